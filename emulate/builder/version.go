package builder

import (
	"runtime/debug"
	"sync"
)

// buildkitModule is the Go module of BuildKit's client.
const buildkitModule = "github.com/moby/buildkit"

// pinnedVersion is the version go.mod pins, for binaries built without
// module information (TestVersionMatchesGoMod keeps the two in step).
const pinnedVersion = "v0.34.2"

var versionOnce = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path != buildkitModule {
				continue
			}
			if d.Replace != nil && d.Replace.Version != "" {
				return d.Replace.Version
			}
			if d.Version != "" && d.Version != "(devel)" {
				return d.Version
			}
		}
	}
	return pinnedVersion
})

// Version is the BuildKit version rehearse's client is built from, and so
// the version of the daemon it starts and of the image it runs:
// "v0.34.2".
func Version() string { return versionOnce() }

// Image is BuildKit's official image of [Version], which [Start] runs
// where buildkitd cannot run natively: "moby/buildkit:v0.34.2".
func Image() string { return "moby/buildkit:" + Version() }

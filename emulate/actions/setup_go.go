package actions

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// setupGo emulates actions/setup-go from installed Go toolchains: this
// machine's on the host executor, the job's PATH elsewhere.
func setupGo(ctx context.Context, in Inputs, h Host, _ Services) error {
	checkSupported(h, "actions/setup-go", in, "go-version", "go-version-file", "cache", "cache-dependency-path", "check-latest", "token", "architecture")
	j := h.Job()
	spec := in.Get("go-version")
	if f := in.Get("go-version-file"); spec == "" && f != "" {
		p := jobPath(j, f)
		data, err := j.ReadFile(ctx, p)
		v, err := toolchain.ParseGoVersionFile(p, h.Getenv("GOTOOLCHAIN"), data, err)
		if err != nil {
			return fmt.Errorf("actions/setup-go: %w", err)
		}
		spec = v
	}
	var installed []toolchain.Go
	if j.Info().HostTools {
		var err error
		installed, err = toolchain.FindGo(ctx, toolchain.Env{PATH: h.Getenv("PATH"), Home: h.Getenv("HOME"), GOROOT: h.Getenv("GOROOT")})
		if err != nil {
			return fmt.Errorf("actions/setup-go: %w", err)
		}
	} else if g, ok := goOnPath(ctx, h); ok {
		installed = []toolchain.Go{g}
	}
	g, err := toolchain.MatchGo(installed, spec)
	if err != nil {
		return err
	}
	h.AddPath(filepath.Dir(g.Path))
	h.SetOutput("go-version", g.Version)
	h.SetOutput("cache-hit", "false")
	h.Log(fmt.Sprintf("Using installed Go %s at %s", g.Version, g.Path))
	return nil
}

// goOnPath is the go command on the job's PATH, asked for its version.
func goOnPath(ctx context.Context, h Host) (toolchain.Go, bool) {
	out, path, err := jobOutput(ctx, h, "go", "env", "GOVERSION", "GOROOT")
	if err != nil {
		return toolchain.Go{}, false
	}
	return toolchain.ParseGoVersion(path, out)
}

package builder

import (
	"fmt"
	"path/filepath"
	"strings"
)

// EnvBuildkitd names a buildkitd binary to use instead of searching.
const EnvBuildkitd = "REHEARSE_BUILDKITD"

// EnvToolsDir is the developer tool cache `make buildkitd` fills
// (default ~/.cache/rehearse-dev).
const EnvToolsDir = "REHEARSE_TOOLS_DIR"

// FindBuildkitd finds the buildkitd binary to start: $REHEARSE_BUILDKITD,
// else buildkitd on PATH, else next to the running rehearse executable,
// else the developer tool cache that `make buildkitd` fills
// ($REHEARSE_TOOLS_DIR or ~/.cache/rehearse-dev, then
// buildkit/<Version>/buildkitd).
func FindBuildkitd(h Host) (string, error) {
	h = h.withDefaults()
	if p := h.Getenv(EnvBuildkitd); p != "" {
		if !isExecutable(p) {
			return "", fmt.Errorf("%s=%s is not an executable file: point it at a buildkitd binary or unset it", EnvBuildkitd, p)
		}
		return p, nil
	}
	looked := []string{"$" + EnvBuildkitd, "PATH"}
	if p, err := h.LookPath("buildkitd"); err == nil {
		return p, nil
	}
	if exe, err := h.Executable(); err == nil {
		dirs := []string{filepath.Dir(exe)}
		if real, err := filepath.EvalSymlinks(exe); err == nil && filepath.Dir(real) != dirs[0] {
			dirs = append(dirs, filepath.Dir(real))
		}
		for _, d := range dirs {
			p := filepath.Join(d, "buildkitd")
			if isExecutable(p) {
				return p, nil
			}
			looked = append(looked, d)
		}
	}
	if tools := toolsDir(h); tools != "" {
		p := filepath.Join(tools, "buildkit", Version(), "buildkitd")
		if isExecutable(p) {
			return p, nil
		}
		looked = append(looked, filepath.Dir(p))
	}
	return "", fmt.Errorf("no buildkitd found (looked in %s): install BuildKit %s (https://github.com/moby/buildkit/releases) or run `make buildkitd` in rehearse's source tree", strings.Join(looked, ", "), Version())
}

// toolsDir is the developer tool cache.
func toolsDir(h Host) string {
	if d := h.Getenv(EnvToolsDir); d != "" {
		return d
	}
	if home := h.home(); home != "" {
		return filepath.Join(home, ".cache", "rehearse-dev")
	}
	return ""
}

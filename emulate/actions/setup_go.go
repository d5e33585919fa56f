package actions

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// setupGo emulates actions/setup-go from installed Go toolchains.
func setupGo(ctx context.Context, in Inputs, h Host, _ Services) error {
	checkSupported(h, "actions/setup-go", in, "go-version", "go-version-file", "cache", "cache-dependency-path", "check-latest", "token", "architecture")
	spec := in.Get("go-version")
	if f := in.Get("go-version-file"); spec == "" && f != "" {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(h.Workspace(), f)
		}
		v, err := toolchain.GoVersionFile(p, h.Getenv("GOTOOLCHAIN"))
		if err != nil {
			return fmt.Errorf("actions/setup-go: %w", err)
		}
		spec = v
	}
	installed, err := toolchain.FindGo(ctx, toolchain.Env{PATH: h.Getenv("PATH"), Home: h.Getenv("HOME"), GOROOT: h.Getenv("GOROOT")})
	if err != nil {
		return fmt.Errorf("actions/setup-go: %w", err)
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

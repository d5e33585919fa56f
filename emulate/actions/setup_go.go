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
		v, err := toolchain.GoVersionFile(p)
		if err != nil {
			return fmt.Errorf("actions/setup-go: %w", err)
		}
		spec = v
	}
	installed, err := toolchain.FindGos(ctx, toolchain.Env{PATH: h.Getenv("PATH"), Home: h.Getenv("HOME")})
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

// setupNode emulates actions/setup-node from installed Node.js.
func setupNode(ctx context.Context, in Inputs, h Host, _ Services) error {
	checkSupported(h, "actions/setup-node", in, "node-version", "node-version-file", "cache", "cache-dependency-path", "check-latest", "token", "architecture", "registry-url", "scope", "always-auth")
	spec := in.Get("node-version")
	if f := in.Get("node-version-file"); spec == "" && f != "" {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(h.Workspace(), f)
		}
		v, err := toolchain.NodeVersionFile(p)
		if err != nil {
			return fmt.Errorf("actions/setup-node: %w", err)
		}
		spec = v
	}
	installed, err := toolchain.FindNodes(ctx, toolchain.Env{PATH: h.Getenv("PATH"), Home: h.Getenv("HOME")})
	if err != nil {
		return fmt.Errorf("actions/setup-node: %w", err)
	}
	n, err := toolchain.MatchNode(installed, spec)
	if err != nil {
		return err
	}
	h.AddPath(filepath.Dir(n.Path))
	h.SetOutput("node-version", "v"+n.Version)
	h.SetOutput("cache-hit", "false")
	h.Log(fmt.Sprintf("Using installed Node.js %s at %s", n.Version, n.Path))
	return nil
}

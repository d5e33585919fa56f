package actions

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/rehearse-dev/rehearse/emulate/executor"
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
	// The job's tool cache first, where the container executor installs Go
	// releases as setup-go does on GitHub; then this machine's toolchains
	// (host executor) or the go on the job's PATH.
	if cached := toolCacheGos(ctx, h); len(cached) > 0 {
		if g, err := toolchain.MatchGo(cached, spec); err == nil {
			setGo(h, g)
			return nil
		}
	}
	if why, ok := j.Info().ToolProblems[executor.ToolKey("go", spec)]; ok {
		return fmt.Errorf("actions/setup-go: Go %s: %s", spec, why)
	}
	var installed []toolchain.Go
	if j.Info().HostTools {
		var err error
		installed, err = toolchain.FindGo(ctx, toolchain.EnvFrom(h.Getenv))
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

// setGo is setup-go for a toolchain of the tool cache: its bin and GOPATH's
// bin on PATH (installer.ts addExecutablesToCache, main.ts), its version.
func setGo(h Host, g toolchain.Go) {
	h.AddPath(filepath.Join(h.Getenv("HOME"), "go", "bin"))
	h.AddPath(filepath.Join(g.Dir, "bin"))
	h.SetOutput("go-version", g.Version)
	h.SetOutput("cache-hit", "false")
	h.Log(fmt.Sprintf("Setup go version spec resolved to %s from the tool cache (%s)", g.Version, g.Dir))
}

// toolCacheGos lists the Go toolchains in the job's tool cache:
// go/<version>/<arch> with its <arch>.complete marker.
func toolCacheGos(ctx context.Context, h Host) []toolchain.Go {
	j := h.Job()
	arch := executor.ToolArch(j.Platform().Arch)
	root := filepath.Join(j.Paths().ToolCache, "go")
	versions, err := j.ReadDir(ctx, root)
	if err != nil {
		return nil
	}
	var out []toolchain.Go
	for _, v := range versions {
		entries, err := j.ReadDir(ctx, filepath.Join(root, v.Name()))
		if err != nil {
			continue
		}
		has := map[string]bool{}
		for _, e := range entries {
			has[e.Name()] = true
		}
		if has[arch] && has[arch+".complete"] {
			dir := filepath.Join(root, v.Name(), arch)
			out = append(out, toolchain.Go{Version: v.Name(), Dir: dir, Path: filepath.Join(dir, "bin", "go")})
		}
	}
	return out
}

// goOnPath is the go command on the job's PATH, asked for its version.
func goOnPath(ctx context.Context, h Host) (toolchain.Go, bool) {
	out, path, err := jobOutput(ctx, h, "go", "env", "GOVERSION", "GOROOT")
	if err != nil {
		return toolchain.Go{}, false
	}
	return toolchain.ParseGoVersion(path, out)
}

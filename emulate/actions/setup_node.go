package actions

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// setupNode emulates actions/setup-node with the Node.js on the step's
// PATH: it checks that its version satisfies node-version (a major,
// major.minor or exact version) and reports it; it installs nothing.
func setupNode(ctx context.Context, in Inputs, h Host, _ Services) error {
	checkSupported(h, "actions/setup-node", in, "node-version", "node-version-file", "cache", "cache-dependency-path", "check-latest", "token", "architecture", "registry-url", "scope", "always-auth")
	j := h.Job()
	spec := strings.TrimPrefix(in.Get("node-version"), "v")
	if f := in.Get("node-version-file"); spec == "" && f != "" {
		data, err := readJobFile(ctx, j, f)
		if err != nil {
			return fmt.Errorf("actions/setup-node: could not read node-version-file %q: %w", f, err)
		}
		spec = strings.TrimPrefix(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]), "v")
	}
	where := "this machine"
	if !j.Info().HostTools {
		where = "the job's image"
	}
	if _, err := j.LookPath(ctx, "node", h.ProcessEnv()); err != nil {
		return fmt.Errorf("actions/setup-node: no Node.js is installed on %s (node is not on PATH); install Node.js %s", where, spec)
	}
	out, path, err := jobOutput(ctx, h, "node", "--version")
	if err != nil {
		return fmt.Errorf("actions/setup-node: could not run node --version: %w", err)
	}
	version := strings.TrimPrefix(strings.TrimSpace(out), "v")
	if spec != "" && !strings.HasPrefix(spec, "lts") && spec != "node" && spec != "latest" && version != spec && !strings.HasPrefix(version, strings.TrimSuffix(spec, ".x")+".") {
		return fmt.Errorf("actions/setup-node: Unable to find Node version '%s' for platform linux: the installed Node.js is %s (%s); install %s (e.g. with nvm) or map the job to another machine", spec, version, path, spec)
	}
	if strings.HasPrefix(spec, "lts") {
		h.Warning(fmt.Sprintf("actions/setup-node: %q is not resolved offline; using the installed Node.js %s", spec, version))
	}
	h.AddPath(filepath.Dir(path))
	h.SetOutput("node-version", "v"+version)
	h.SetOutput("cache-hit", "false")
	h.Log(fmt.Sprintf("Using installed Node.js %s at %s", version, path))
	return nil
}

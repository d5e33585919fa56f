package actions

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// setupNode emulates actions/setup-node with installed Node.js: this
// machine's (node on PATH, nvm's, /usr/local/bin, /usr/bin) on the host
// executor, the node on the job's PATH elsewhere. node-version (or
// node-version-file) picks one as setup-node picks from its tool cache; it
// installs nothing.
func setupNode(ctx context.Context, in Inputs, h Host, _ Services) error {
	checkSupported(h, "actions/setup-node", in, "node-version", "node-version-file", "cache", "cache-dependency-path", "check-latest", "token", "architecture", "registry-url", "scope", "always-auth")
	j := h.Job()
	spec := in.Get("node-version")
	if f := in.Get("node-version-file"); spec == "" && f != "" {
		v, err := toolchain.NodeVersionFile(jobPath(j, f), func(p string) ([]byte, error) { return j.ReadFile(ctx, p) })
		if err != nil {
			return fmt.Errorf("actions/setup-node: %w", err)
		}
		spec = v
	}
	if spec == "" || toolchain.IsNodeAlias(spec) {
		// Without a version setup-node uses the node on PATH; an alias
		// needs nodejs.org's release index, so the node on PATH stands in.
		n, err := nodeOnPath(ctx, h, spec)
		if err != nil {
			return err
		}
		if spec != "" {
			h.Warning(fmt.Sprintf("actions/setup-node: %q is not resolved offline; using the installed Node.js %s", spec, n.Version))
		}
		setNode(h, n)
		return nil
	}
	var installed []toolchain.Node
	if j.Info().HostTools {
		var err error
		installed, err = toolchain.FindNode(ctx, toolchain.EnvFrom(h.Getenv))
		if err != nil {
			return fmt.Errorf("actions/setup-node: %w", err)
		}
		if len(installed) == 0 {
			return errNoNode(h, spec)
		}
	} else {
		n, err := nodeOnPath(ctx, h, spec)
		if err != nil {
			return err
		}
		installed = []toolchain.Node{n}
	}
	n, err := toolchain.MatchNode(installed, spec)
	var nf *toolchain.NotFoundError
	if errors.As(err, &nf) && !j.Info().HostTools {
		return fmt.Errorf("%s\nthe job's image has Node.js %s (%s); rehearse downloads no Node.js: use an image with Node.js %s, or run the job on this machine", nf.Message, installed[0].Version, installed[0].Path, spec)
	}
	if err != nil {
		return err
	}
	setNode(h, n)
	return nil
}

// setNode puts n first on PATH and sets setup-node's outputs.
func setNode(h Host, n toolchain.Node) {
	h.AddPath(filepath.Dir(n.Path))
	h.SetOutput("node-version", "v"+n.Version)
	h.SetOutput("cache-hit", "false")
	h.Log(fmt.Sprintf("Using installed Node.js %s at %s", n.Version, n.Path))
}

// nodeOnPath is the node on the job's PATH, asked for its version; spec is
// the version asked for, for the error when there is none.
func nodeOnPath(ctx context.Context, h Host, spec string) (toolchain.Node, error) {
	out, path, err := jobOutput(ctx, h, "node", "-e", toolchain.NodeProbe)
	if path == "" {
		return toolchain.Node{}, errNoNode(h, spec)
	}
	if err != nil {
		return toolchain.Node{}, fmt.Errorf("actions/setup-node: could not ask %s for its version: %w", path, err)
	}
	n, ok := toolchain.ParseNodeVersion(path, out)
	if !ok {
		return toolchain.Node{}, fmt.Errorf("actions/setup-node: %s did not report a Node.js version (it printed %q)", path, out)
	}
	return n, nil
}

// errNoNode is the failure of a job that has no Node.js at all.
func errNoNode(h Host, spec string) error {
	where := "this machine"
	if !h.Job().Info().HostTools {
		where = "the job's image"
	}
	if spec == "" {
		spec = "(any version)"
	}
	return fmt.Errorf("actions/setup-node: no Node.js is installed on %s (node is not on PATH); install Node.js %s", where, spec)
}

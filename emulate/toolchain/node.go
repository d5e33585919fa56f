package toolchain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
)

// Node is one Node.js installed on this machine.
type Node struct {
	// Version is the semver without the "v": "20.11.1".
	Version string
	// Path is the node binary as found.
	Path string
	// Dir is its install prefix (the directory holding bin/node).
	Dir string
}

// NodeProbe is the script `node -e` runs to report a Node.js install: its
// version, then its real binary. [ParseNodeVersion] reads the answer.
const NodeProbe = "console.log(process.version); console.log(process.execPath)"

// FindNode lists the Node.js installs on this machine: node on PATH, nvm's
// ($NVM_DIR or ~/.nvm/versions/node/*) and /usr/local/bin, /usr/bin. Each
// is run once. The result is sorted highest version first.
func FindNode(ctx context.Context, env Env) ([]Node, error) {
	var c candidates
	for _, dir := range env.pathDirs() {
		if dir != "" {
			c.add(filepath.Join(dir, "node"))
		}
	}
	if nvm := env.nvmDir(); nvm != "" {
		versions, _ := filepath.Glob(filepath.Join(nvm, "versions", "node", "*"))
		for _, v := range versions {
			c.add(filepath.Join(v, "bin", "node"))
		}
	}
	for _, dir := range env.systemDirs() {
		c.add(filepath.Join(dir, "node"))
	}

	return probeAll(ctx, env, c.paths, []string{"-e", NodeProbe}, ParseNodeVersion,
		func(n Node) string { return n.Version })
}

// ParseNodeVersion reads what the node at path printed for [NodeProbe]: the
// version, then the real binary, whose grandparent directory is the install
// prefix. It is how [FindNode] asks each install, and how setup-node asks
// the node on a job's PATH.
func ParseNodeVersion(path, out string) (Node, bool) {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	v, ok := clean(lines[0])
	if !ok || len(lines) < 2 {
		return Node{}, false
	}
	exe := strings.TrimSpace(lines[1])
	return Node{Version: v, Path: path, Dir: filepath.Dir(filepath.Dir(exe))}, true
}

// MatchNode picks the Node.js setup-node would for node-version from its
// tool cache (base-distribution.ts: an exact version after semver.clean,
// else a node-semver range whose highest satisfying version wins; "20" is
// >=20.0.0 <21.0.0-0 and "v20" the same). Aliases that setup-node resolves
// from nodejs.org's index (lts/*, lts/iron, latest, current, node) and
// nightly or canary builds are reported as *[UnsupportedError].
func MatchNode(installed []Node, spec string) (Node, error) {
	spec = strings.TrimSpace(spec)
	lower := strings.ToLower(spec)
	switch {
	case spec == "":
		return Node{}, errors.New("node version is empty")
	case strings.HasPrefix(lower, "lts/"):
		return Node{}, &UnsupportedError{Tool: "node", Spec: spec, Reason: "LTS aliases are resolved from nodejs.org's release index; name a version such as \"20\""}
	case IsNodeAlias(spec):
		return Node{}, &UnsupportedError{Tool: "node", Spec: spec, Reason: "it means the newest release on nodejs.org; name a version such as \"22\""}
	case strings.Contains(lower, "nightly") || strings.Contains(lower, "canary"):
		return Node{}, &UnsupportedError{Tool: "node", Spec: spec, Reason: "nightly and canary builds are downloaded, never found on this machine"}
	}
	versions := nodeVersions(installed)
	if i, ok := toolCacheFind(versions, spec); ok {
		return installed[i], nil
	}
	hint := fmt.Sprintf("install it with `nvm install %s`", strings.TrimPrefix(spec, "v"))
	return Node{}, &NotFoundError{
		Tool:      "node",
		Spec:      spec,
		Message:   fmt.Sprintf("Unable to find Node version '%s' for platform %s and architecture %s.", spec, runtime.GOOS, Architecture()),
		Installed: versions,
		Hint:      hint,
	}
}

// IsNodeAlias reports whether spec names a release by an alias that
// setup-node resolves from nodejs.org's release index: lts/*, lts/<codename>,
// latest, current or node.
func IsNodeAlias(spec string) bool {
	lower := strings.ToLower(strings.TrimSpace(spec))
	return strings.HasPrefix(lower, "lts/") || lower == "latest" || lower == "current" || lower == "node"
}

func nodeVersions(ns []Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Version
	}
	return out
}

var nodeVersionLine = lazyRegexp(`(?m)^(?:node(?:js)?\s+)?v?([^\s]+)$`)

// NodeVersionFile reads node-version-file as setup-node does (src/util.ts
// getNodeVersionFromFile), through read (os.ReadFile, or a job's files): a
// package.json gives volta.node, then engines.node, then follows
// volta.extends (relative to its directory); "" when it has none. Any other
// file (.nvmrc, .node-version, .tool-versions) gives the first line that is
// a version, optionally after "node" or "nodejs" and a "v".
func NodeVersionFile(path string, read func(path string) ([]byte, error)) (string, error) {
	data, err := read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", &ActionError{fmt.Sprintf("The specified node version file at: %s does not exist", path)}
	}
	if err != nil {
		return "", fmt.Errorf("could not read node version file %q: %w", path, err)
	}
	var manifest any
	if json.Unmarshal(data, &manifest) == nil {
		obj, ok := manifest.(map[string]any)
		if !ok {
			// JSON that is not an object (a bare "20" is JSON too) falls
			// through to the text rules, as JSON.parse + typeof does.
			return nodeVersionText(string(data)), nil
		}
		if v := jsonString(obj, "volta", "node"); v != "" {
			return v, nil
		}
		if v := jsonString(obj, "engines", "node"); v != "" {
			return v, nil
		}
		if ext := jsonString(obj, "volta", "extends"); ext != "" {
			if !filepath.IsAbs(ext) { // path.resolve
				ext = filepath.Join(filepath.Dir(path), ext)
			}
			return NodeVersionFile(ext, read)
		}
		return "", nil
	}
	return nodeVersionText(string(data)), nil
}

func nodeVersionText(text string) string {
	if m := nodeVersionLine().FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return strings.TrimSpace(text)
}

func jsonString(obj map[string]any, keys ...string) string {
	var cur any = obj
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[k]
	}
	s, _ := cur.(string)
	return s
}

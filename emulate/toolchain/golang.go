package toolchain

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Go is one Go toolchain installed on this machine.
type Go struct {
	// Version is the semver setup-go's tool cache uses: "1.22.5",
	// "1.23.0-rc.1" for go1.23rc1.
	Version string
	// Path is the go binary as found.
	Path string
	// Dir is its GOROOT.
	Dir string
}

// FindGo lists the Go toolchains on this machine: go on PATH, $GOROOT,
// /usr/local/go, ~/sdk/go* (where golang.org/dl puts them) and
// /usr/lib/go*. Each is asked `go env GOVERSION GOROOT` once. The result is
// sorted highest version first.
func FindGo(ctx context.Context, env Env) ([]Go, error) {
	var c candidates
	for _, dir := range env.pathDirs() {
		if dir != "" {
			c.add(filepath.Join(dir, "go"))
		}
	}
	if env.GOROOT != "" {
		c.add(filepath.Join(env.GOROOT, "bin", "go"))
	}
	var roots []string
	if env.SystemDirs == nil { // tests leave the machine's own installs out
		roots = append(roots, "/usr/local/go")
	}
	if env.Home != "" {
		sdks, _ := filepath.Glob(filepath.Join(env.Home, "sdk", "go*"))
		roots = append(roots, sdks...)
	}
	if env.SystemDirs == nil {
		debian, _ := filepath.Glob("/usr/lib/go*")
		roots = append(roots, debian...)
	}
	for _, r := range roots {
		c.add(filepath.Join(r, "bin", "go"))
	}

	return probeAll(ctx, env, c.paths, []string{"env", "GOVERSION", "GOROOT"}, parseGoProbe,
		func(g Go) string { return g.Version })
}

// parseGoProbe reads the output of `go env GOVERSION GOROOT`. A devel
// toolchain has no release version and is left out.
func parseGoProbe(path, out string) (Go, bool) {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		return Go{}, false
	}
	v, err := goSemver(strings.TrimSpace(lines[0]))
	if err != nil {
		return Go{}, false
	}
	return Go{Version: v, Path: path, Dir: strings.TrimSpace(lines[1])}, true
}

// ParseGoVersion reads the output of `go env GOVERSION GOROOT` of the go at
// path, for a go found on a job's PATH.
func ParseGoVersion(path, out string) (Go, bool) { return parseGoProbe(path, out) }

// goSemver is setup-go installer.ts makeSemver: "go1.21" is 1.21.0,
// "go1.22rc1" is 1.22.0-rc.1, "go1.21beta2" is 1.21.0-beta.2.
func goSemver(goVersion string) (string, error) {
	v := strings.Replace(goVersion, "go", "", 1)
	v = strings.Replace(v, "beta", "-beta.", 1)
	v = strings.Replace(v, "rc", "-rc.", 1)
	main, pre, _ := strings.Cut(v, "-")
	sv, ok := coerce(main)
	if !ok || strings.ContainsAny(main, " \t") {
		return "", fmt.Errorf("could not read %q as a Go version", goVersion)
	}
	if pre == "" {
		return sv, nil
	}
	full, err := parseSemver(sv+"-"+pre, false)
	if err != nil {
		return "", fmt.Errorf("could not read %q as a Go version", goVersion)
	}
	return full.String(), nil
}

var goReleaseName = lazyRegexp(`^(go)?\d+\.\d+(\.\d+)?(beta|rc)\d+$`)

// MatchGo picks the toolchain setup-go would for go-version from its tool
// cache (installer.ts getGo → @actions/tool-cache find): an explicit version
// must be installed as is, anything else is a node-semver range and the
// highest satisfying version wins ("1.22" is >=1.22.0 <1.23.0-0). A Go
// release name such as "1.23rc1" is read as its semver, 1.23.0-rc.1.
// "stable" and "oldstable" need go.dev's release list and are reported as
// *[UnsupportedError].
func MatchGo(installed []Go, spec string) (Go, error) {
	spec = strings.TrimSpace(spec)
	switch spec {
	case "":
		return Go{}, errors.New("go version is empty")
	case "stable", "oldstable":
		return Go{}, &UnsupportedError{Tool: "go", Spec: spec, Reason: "it is resolved from go.dev's release list; name a version such as \"1.22\""}
	}
	semantic := spec
	if goReleaseName().MatchString(spec) {
		if v, err := goSemver(spec); err == nil {
			semantic = v
		}
	}
	versions := make([]string, len(installed))
	for i, g := range installed {
		versions[i] = g.Version
	}
	if i, ok := toolCacheFind(versions, semantic); ok {
		return installed[i], nil
	}
	return Go{}, &NotFoundError{
		Tool:      "go",
		Spec:      spec,
		Message:   fmt.Sprintf("Unable to find Go version '%s' for platform %s and architecture %s.", spec, runtime.GOOS, Architecture()),
		Installed: goVersions(installed),
		Hint:      goHint(spec),
	}
}

func goVersions(gs []Go) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Version
	}
	return out
}

// goHint names the golang.org/dl command for a spec that is a version or a
// major.minor. Releases before Go 1.21 name their first patch "go1.N",
// later ones "go1.N.0".
func goHint(spec string) string {
	v, ok := clean(spec)
	if !ok && majorMinor().MatchString(spec) {
		v, ok = coerce(spec)
	}
	if sv, err := parseSemver(v, false); ok && err == nil && len(sv.pre) == 0 {
		name := fmt.Sprintf("go%d.%d.%d", sv.major, sv.minor, sv.patch)
		if sv.major == 1 && sv.minor < 21 && sv.patch == 0 {
			name = fmt.Sprintf("go%d.%d", sv.major, sv.minor)
		}
		return fmt.Sprintf("install it with `go install golang.org/dl/%s@latest && %s download` (it goes to ~/sdk/%s)", name, name, name)
	}
	return "install a matching release with `go install golang.org/dl/go1.X.Y@latest && go1.X.Y download` (it goes to ~/sdk)"
}

var (
	goModToolchain = lazyRegexp(`(?m)^toolchain go(1\.\d+(?:\.\d+|rc\d+)?)`)
	goModGo        = lazyRegexp(`(?m)^go (\d+(\.\d+)*)`)
	toolVersionsGo = lazyRegexp(`(?m)^golang\s+([^\n#]+)`)
)

// GoVersionFile reads go-version-file as setup-go v6 does (installer.ts
// parseGoVersionFile). For go.mod and go.work the toolchain directive wins
// unless gotoolchain (the step's GOTOOLCHAIN) is "local"; then the go
// directive. For .tool-versions the golang line; for anything else the
// trimmed contents.
func GoVersionFile(path, gotoolchain string) (string, error) {
	data, err := os.ReadFile(path)
	return ParseGoVersionFile(path, gotoolchain, data, err)
}

// ParseGoVersionFile is [GoVersionFile] over a file already read (data, and
// the error reading it gave).
func ParseGoVersionFile(path, gotoolchain string, data []byte, err error) (string, error) {
	if errors.Is(err, fs.ErrNotExist) {
		return "", &ActionError{fmt.Sprintf("The specified go version file at: %s does not exist", path)}
	}
	if err != nil {
		return "", fmt.Errorf("could not read go version file %q: %w", path, err)
	}
	text := string(data)
	switch filepath.Base(path) {
	case "go.mod", "go.work":
		if gotoolchain != "local" {
			if m := goModToolchain().FindStringSubmatch(text); m != nil {
				return m[1], nil
			}
		}
		if m := goModGo().FindStringSubmatch(text); m != nil {
			return m[1], nil
		}
		return "", nil
	case ".tool-versions":
		if m := toolVersionsGo().FindStringSubmatch(text); m != nil {
			return strings.TrimSpace(m[1]), nil
		}
		return "", nil
	}
	return strings.TrimSpace(text), nil
}

// GoToolchainModule is the module path under which the Go module proxy
// serves Go's own releases (what GOTOOLCHAIN downloads): version
// v0.0.1-go1.26.8.linux-amd64 is go1.26.8's linux/amd64 distribution.
const GoToolchainModule = "golang.org/toolchain"

// GoToolchainReleases reads a proxy's version list of [GoToolchainModule]
// (one version per line) and returns the releases for goos/goarch, as Go
// values whose Version is setup-go's semver and whose Path is the
// module version to download.
func GoToolchainReleases(list, goos, goarch string) []Go {
	suffix := "." + goos + "-" + goarch
	var out []Go
	for _, l := range strings.Fields(list) {
		name, ok := strings.CutPrefix(l, "v0.0.1-")
		if !ok || !strings.HasSuffix(name, suffix) {
			continue
		}
		v, err := goSemver(strings.TrimSuffix(name, suffix))
		if err != nil {
			continue
		}
		out = append(out, Go{Version: v, Path: l})
	}
	return out
}

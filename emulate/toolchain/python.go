package toolchain

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Python is one interpreter installed on this machine.
type Python struct {
	// Version is the Python version in the form setup-python's tool cache
	// uses: "3.11.7", or "3.13.0-rc.2" for a prerelease.
	Version string
	// Path is the interpreter as found (bin/python3), before links.
	Path string
	// Dir is its prefix (sys.prefix), what setup-python exports as
	// pythonLocation.
	Dir string
	// Impl is the implementation: CPython, PyPy, GraalPy.
	Impl string
	// ImplVersion is PyPy's own version ("7.3.16"); "" for CPython.
	ImplVersion string
	// Freethreaded is true for a free-threaded build (3.13t).
	Freethreaded bool
}

// pythonProbe prints what FindPythons needs, one item per line. It runs on
// Python 2.7 too.
const pythonProbe = `import sys, platform
try:
    import sysconfig
    ft = sysconfig.get_config_var('Py_GIL_DISABLED')
except Exception:
    ft = 0
v = sys.version_info
p = getattr(sys, 'pypy_version_info', None)
out = ['%d.%d.%d %s %d' % (v[0], v[1], v[2], v[3], v[4]),
       platform.python_implementation(),
       '1' if ft else '0',
       '%d.%d.%d %s %d' % (p[0], p[1], p[2], p[3], p[4]) if p else '',
       sys.prefix,
       sys.executable]
sys.stdout.write('\n'.join(out) + '\n')
`

// interpreterName matches the file names worth asking: python, python3,
// python3.12, python3.13t, pypy, pypy3, pypy3.10, graalpy.
var interpreterName = lazyRegexp(`^(python|pypy|graalpy)(\d+(\.\d+)?t?)?$`)

// FindPythons lists the interpreters installed on this machine: python*,
// pypy* and graalpy on PATH, pyenv's versions ($PYENV_ROOT or
// ~/.pyenv/versions/*), uv's (~/.local/share/uv/python/*) and those in
// /usr/local/bin and /usr/bin. Each is run once to ask its real version;
// answers are cached per binary. Interpreters that are links to one binary
// are listed once, under the first name found. pyenv's shims are skipped:
// they stand for the versions already listed. The result is sorted by
// version, highest first, keeping discovery order among equals.
func FindPythons(ctx context.Context, env Env) ([]Python, error) {
	var c candidates
	shims := ""
	if root := env.pyenvRoot(); root != "" {
		shims = filepath.Join(root, "shims")
	}
	scanDir := func(dir string) {
		if dir == "" || filepath.Clean(dir) == shims {
			return
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			if interpreterName().MatchString(e.Name()) {
				c.add(filepath.Join(dir, e.Name()))
			}
		}
	}
	// prefixes adds the first interpreter found in each <root>/*/bin.
	prefixes := func(root string) {
		dirs, err := os.ReadDir(root)
		if err != nil {
			return
		}
		for _, d := range dirs {
			for _, name := range []string{"python3", "python", "pypy3", "pypy", "graalpy"} {
				p := filepath.Join(root, d.Name(), "bin", name)
				if isExecutable(p) {
					c.add(p)
					break
				}
			}
		}
	}

	for _, dir := range env.pathDirs() {
		scanDir(dir)
	}
	if root := env.pyenvRoot(); root != "" {
		prefixes(filepath.Join(root, "versions"))
	}
	if env.Home != "" {
		prefixes(filepath.Join(env.Home, ".local", "share", "uv", "python"))
	}
	for _, dir := range env.systemDirs() {
		scanDir(dir)
	}

	return probeAll(ctx, env, c.paths, []string{"-c", pythonProbe}, parsePythonProbe,
		func(p Python) string { return p.Version })
}

// parsePythonProbe reads pythonProbe's output.
func parsePythonProbe(path, out string) (Python, bool) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 6 {
		return Python{}, false
	}
	version, ok := versionInfo(lines[0])
	if !ok {
		return Python{}, false
	}
	py := Python{
		Version:      version,
		Path:         path,
		Dir:          lines[4],
		Impl:         lines[1],
		Freethreaded: lines[2] == "1",
	}
	if lines[3] != "" {
		if v, ok := versionInfo(lines[3]); ok {
			py.ImplVersion = v
		}
	}
	return py, true
}

// versionInfo turns "3 13 0 candidate 2" style sys.version_info fields
// ("3.13.0 candidate 2") into the tool cache's semver: 3.13.0-rc.2.
func versionInfo(s string) (string, bool) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return "", false
	}
	v := f[0]
	if _, err := parseSemver(v, false); err != nil {
		return "", false
	}
	serial, err := strconv.Atoi(f[2])
	if err != nil {
		return "", false
	}
	switch f[1] {
	case "final":
		return v, true
	case "alpha", "beta":
		return fmt.Sprintf("%s-%s.%d", v, f[1], serial), true
	case "candidate":
		return fmt.Sprintf("%s-rc.%d", v, serial), true
	}
	return "", false
}

package toolchain

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindPythons(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	bin := filepath.Join(root, "bin")
	pyenv := filepath.Join(root, "home", ".pyenv")
	uv := filepath.Join(root, "home", ".local", "share", "uv", "python")

	fakePython(t, filepath.Join(bin, "python3.12"), "3.12.1 final 0", "CPython", false, "")
	link(t, "python3.12", filepath.Join(bin, "python3"))                                       // same binary: listed once
	fakePython(t, filepath.Join(bin, "python3-config"), "9.9.9 final 0", "CPython", false, "") // not an interpreter name
	failingBin(t, filepath.Join(bin, "python2"))                                               // broken: left out
	fakePython(t, filepath.Join(bin, "python3.13t"), "3.13.0 final 0", "CPython", true, "")
	fakePython(t, filepath.Join(pyenv, "versions", "3.11.7", "bin", "python3"), "3.11.7 final 0", "CPython", false, "")
	fakePython(t, filepath.Join(pyenv, "versions", "3.6.15", "bin", "python"), "3.6.15 final 0", "CPython", false, "")
	fakePython(t, filepath.Join(pyenv, "versions", "3.14.0a1", "bin", "python3"), "3.14.0 alpha 1", "CPython", false, "")
	fakePython(t, filepath.Join(pyenv, "versions", "pypy3.10-7.3.16", "bin", "pypy3"), "3.10.14 final 0", "PyPy", false, "7.3.16 final 0")
	fakePython(t, filepath.Join(pyenv, "shims", "python3"), "0.0.1 final 0", "CPython", false, "") // shims are skipped
	fakePython(t, filepath.Join(uv, "cpython-3.12.4-linux-x86_64-gnu", "bin", "python3"), "3.12.4 final 0", "CPython", false, "")

	env := testEnv(root, filepath.Join(pyenv, "shims"), "relative/bin", "", bin)
	got, err := FindPythons(t.Context(), env)
	if err != nil {
		t.Fatal(err)
	}
	want := []Python{
		{Version: "3.14.0-alpha.1", Path: filepath.Join(pyenv, "versions", "3.14.0a1", "bin", "python3"), Impl: "CPython"},
		{Version: "3.13.0", Path: filepath.Join(bin, "python3.13t"), Impl: "CPython", Freethreaded: true},
		{Version: "3.12.4", Path: filepath.Join(uv, "cpython-3.12.4-linux-x86_64-gnu", "bin", "python3"), Impl: "CPython"},
		{Version: "3.12.1", Path: filepath.Join(bin, "python3"), Impl: "CPython"},
		{Version: "3.11.7", Path: filepath.Join(pyenv, "versions", "3.11.7", "bin", "python3"), Impl: "CPython"},
		{Version: "3.10.14", Path: filepath.Join(pyenv, "versions", "pypy3.10-7.3.16", "bin", "pypy3"), Impl: "PyPy", ImplVersion: "7.3.16"},
		{Version: "3.6.15", Path: filepath.Join(pyenv, "versions", "3.6.15", "bin", "python"), Impl: "CPython"},
	}
	for i := range want {
		want[i].Dir = filepath.Dir(filepath.Dir(want[i].Path))
	}
	// python3 and python3.12 are one binary; which name is kept depends on
	// directory order, and os.ReadDir sorts "python3" first.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindPythons mismatch (-want +got):\n%s", diff)
	}
}

func TestFindPythonsAsksOnce(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	py := filepath.Join(root, "bin", "python3")
	fakePython(t, py, "3.12.1 final 0", "CPython", false, "")
	env := testEnv(root, filepath.Join(root, "bin"))
	for range 3 {
		if _, err := FindPythons(t.Context(), env); err != nil {
			t.Fatal(err)
		}
	}
	if n := runs(t, py); n != 1 {
		t.Errorf("interpreter ran %d times, want 1 (answers are cached per binary)", n)
	}
}

func TestVersionInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, input, want string
	}{
		{"final", "3.11.7 final 0", "3.11.7"},
		{"alpha", "3.13.0 alpha 1", "3.13.0-alpha.1"},
		{"beta", "3.13.0 beta 4", "3.13.0-beta.4"},
		{"candidate is rc, as in python-versions' manifest", "3.13.0 candidate 2", "3.13.0-rc.2"},
		{"garbage", "three", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got, _ := versionInfo(tc.input); got != tc.want {
				t.Errorf("versionInfo(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

// installed is the interpreter list the matching tests choose from.
var installed = []Python{
	{Version: "3.14.0-alpha.1", Impl: "CPython", Path: "/py/3.14.0a1"},
	{Version: "3.13.0", Impl: "CPython", Path: "/py/3.13t", Freethreaded: true},
	{Version: "3.13.0", Impl: "CPython", Path: "/py/3.13"},
	{Version: "3.12.1", Impl: "CPython", Path: "/py/3.12"},
	{Version: "3.11.7", Impl: "CPython", Path: "/py/3.11.7"},
	{Version: "3.11.2", Impl: "CPython", Path: "/py/3.11.2"},
	{Version: "3.10.14", Impl: "PyPy", ImplVersion: "7.3.16", Path: "/pypy/3.10"},
	{Version: "3.9.18", Impl: "PyPy", ImplVersion: "7.3.12", Path: "/pypy/3.9"},
	{Version: "3.9.18", Impl: "CPython", Path: "/py/3.9"},
	{Version: "3.6.15", Impl: "CPython", Path: "/py/3.6"},
	{Version: "2.7.18", Impl: "CPython", Path: "/py/2.7"},
}

func TestMatchPython(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		spec string
		opts PythonOptions
		want string // Path of the pick
	}{
		{"major.minor picks its highest patch", "3.11", PythonOptions{}, "/py/3.11.7"},
		{"exact patch", "3.11.2", PythonOptions{}, "/py/3.11.2"},
		// setup-python __tests__/finder.test.ts "Finds Python if it is installed": '3.x'.
		{"3.x is the highest 3", "3.x", PythonOptions{}, "/py/3.13"},
		{"range", ">=3.9 <3.12", PythonOptions{}, "/py/3.11.7"},
		{"tilde", "~3.9", PythonOptions{}, "/py/3.9"},
		{"caret skips prereleases", "^3.8", PythonOptions{}, "/py/3.13"},
		{"major only", "2", PythonOptions{}, "/py/2.7"},
		// find-python.test.ts desugarVersion: '3.14-dev' -> '~3.14.0-0'.
		{"dev admits the prerelease", "3.14-dev", PythonOptions{}, "/py/3.14.0a1"},
		// finder.test.ts "Finds pre-release Python version in the manifest": exact prerelease.
		{"exact prerelease, semver spelling", "3.14.0-alpha.1", PythonOptions{}, "/py/3.14.0a1"},
		{"exact prerelease, Python spelling", "3.14.0a1", PythonOptions{}, "/py/3.14.0a1"},
		// finder.test.ts "pre-release fallback": allow-prereleases widens x.y.
		{"allow-prereleases widens a bare minor", "3.14", PythonOptions{AllowPreReleases: true}, "/py/3.14.0a1"},
		{"allow-prereleases still prefers the release", "3.13", PythonOptions{AllowPreReleases: true}, "/py/3.13"},
		// find-python.test.ts: '3.13t' -> freethreaded.
		{"t suffix needs a free-threaded build", "3.13t", PythonOptions{}, "/py/3.13t"},
		{"freethreaded input", "3.13", PythonOptions{Freethreaded: true}, "/py/3.13t"},
		{"pypy with a python version", "pypy3.10", PythonOptions{}, "/pypy/3.10"},
		{"pypy with a dash", "pypy-3.9", PythonOptions{}, "/pypy/3.9"},
		{"pypy with a pypy version range", "pypy3.10-v7.3.x", PythonOptions{}, "/pypy/3.10"},
		{"pypy with an exact pypy version", "pypy3.9-7.3.12", PythonOptions{}, "/pypy/3.9"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := MatchPythonWith(installed, tc.spec, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != tc.want {
				t.Errorf("MatchPythonWith(%q) = %s (%s), want %s", tc.spec, got.Path, got.Version, tc.want)
			}
		})
	}
}

func TestMatchPythonErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		spec     string
		opts     PythonOptions
		wantType string // NotFound, Action or Unsupported
		wantMsg  string // prefix of the message
	}{
		{"missing minor", "3.8", PythonOptions{Architecture: "x64"}, "NotFound",
			"The version '3.8' with architecture 'x64' was not found for this operating system.\nThe list of all available versions can be found here: https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json"},
		// finder.test.ts "Errors if Python is not installed".
		{"absurd version", "3.300000", PythonOptions{Architecture: "x64"}, "NotFound", "The version '3.300000' with architecture 'x64' was not found"},
		// finder.test.ts: '1.1' without allow-prereleases rejects 1.1.0-beta.2.
		{"a prerelease needs a dev spec or allow-prereleases", "3.14", PythonOptions{Architecture: "x64"}, "NotFound", "The version '3.14' with architecture 'x64'"},
		// finder.test.ts: '1.1.0' does not fall back to '1.1.0-beta.2'.
		{"an exact version does not fall back to a prerelease", "3.14.0", PythonOptions{AllowPreReleases: true, Architecture: "x64"}, "NotFound", "The version '3.14.0' with architecture 'x64'"},
		{"free-threaded build missing", "3.12t", PythonOptions{Architecture: "x64"}, "NotFound", "The version '3.12t' with architecture 'x64-freethreaded' was not found"},
		{"not a version", "python3", PythonOptions{Architecture: "x64"}, "NotFound", "The version 'python3' with architecture 'x64'"},
		{"pypy version mismatch", "pypy3.10-v7.2.x", PythonOptions{Architecture: "x64"}, "NotFound", "PyPy version 3.10 (v7.2.x) with arch x64 not found"},
		{"pypy without a version", "pypy", PythonOptions{}, "Action",
			"Invalid 'version' property for PyPy. PyPy version should be specified as 'pypy<python-version>' or 'pypy-<python-version>'."},
		{"pypy with a major only", "pypy3", PythonOptions{}, "Action",
			"Invalid format of Python version for PyPy. Python version should be specified in format 'x.y'."},
		{"graalpy", "graalpy-24.0", PythonOptions{}, "Unsupported", "cannot resolve python version \"graalpy-24.0\" locally"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := MatchPythonWith(installed, tc.spec, tc.opts)
			var (
				nf  *NotFoundError
				ae  *ActionError
				ue  *UnsupportedError
				msg string
			)
			switch {
			case errors.As(err, &nf) && tc.wantType == "NotFound":
				msg = nf.Message
			case errors.As(err, &ae) && tc.wantType == "Action":
				msg = ae.Msg
			case errors.As(err, &ue) && tc.wantType == "Unsupported":
				msg = ue.Error()
			default:
				t.Fatalf("MatchPythonWith(%q) error = %v (%T), want a %s error", tc.spec, err, err, tc.wantType)
			}
			if !strings.HasPrefix(msg, tc.wantMsg) {
				t.Errorf("message = %q, want prefix %q", msg, tc.wantMsg)
			}
		})
	}
}

func TestNotFoundErrorHint(t *testing.T) {
	t.Parallel()
	_, err := MatchPythonWith(installed[:2], "3.8", PythonOptions{Architecture: "x64"})
	want := "The version '3.8' with architecture 'x64' was not found for this operating system.\n" +
		"The list of all available versions can be found here: " + pythonManifestURL + "\n" +
		"installed: 3.14.0-alpha.1, 3.13.0t\n" +
		"hint: install it with `pyenv install 3.8` or `uv python install 3.8`"
	if err == nil || err.Error() != want {
		t.Errorf("error =\n%v\nwant\n%s", err, want)
	}
}

// setup-python __tests__/find-python.test.ts, both describe blocks.
func TestDesugarAndSemantic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		input            string
		wantVersion      string
		wantFreethreaded bool
		wantSemantic     string // allowPreReleases false
		wantSemanticPre  string // allowPreReleases true
	}{
		{"3.13", "3.13", false, "3.13", "~3.13.0-0"},
		{"3.13t", "3.13", true, "3.13", "~3.13.0-0"},
		{"3.13.1", "3.13.1", false, "3.13.1", "3.13.1"},
		{"3.13.1t", "3.13.1", true, "3.13.1", "3.13.1"},
		{"3.14-dev", "~3.14.0-0", false, "~3.14.0-0", "~3.14.0-0"},
		{"3.14t-dev", "~3.14.0-0", true, "~3.14.0-0", "~3.14.0-0"},
		{"3.14.0a1t", "3.14.0a1", true, "3.14.0-alpha.1", "3.14.0-alpha.1"},
		{"3.7.0b2", "3.7.0b2", false, "3.7.0-beta.2", "3.7.0-beta.2"},
		{"3.12.0rc1", "3.12.0rc1", false, "3.12.0-rc.1", "3.12.0-rc.1"},
	}
	for _, tc := range tests {
		t.Run(tc.input, func(t *testing.T) {
			t.Parallel()
			v, ft := desugarVersion(tc.input)
			if v != tc.wantVersion || ft != tc.wantFreethreaded {
				t.Errorf("desugarVersion(%q) = (%q, %v), want (%q, %v)", tc.input, v, ft, tc.wantVersion, tc.wantFreethreaded)
			}
			if got := pythonVersionToSemantic(v, false); got != tc.wantSemantic {
				t.Errorf("pythonVersionToSemantic(%q, false) = %q, want %q", v, got, tc.wantSemantic)
			}
			if got := pythonVersionToSemantic(v, true); got != tc.wantSemanticPre {
				t.Errorf("pythonVersionToSemantic(%q, true) = %q, want %q", v, got, tc.wantSemanticPre)
			}
		})
	}
}

// setup-python __tests__/find-pypy.test.ts parsePyPyVersion.
func TestParsePyPyVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		input string
		want  pyPySpec
		ok    bool
	}{
		{"pypy-3.6-v7.3.3", pyPySpec{"3.6", "v7.3.3"}, true},
		{"pypy-3.6-v7.3.x", pyPySpec{"3.6", "v7.3.x"}, true},
		{"pypy-3.6-v7.x", pyPySpec{"3.6", "v7.x"}, true},
		{"pypy-3.6", pyPySpec{"3.6", "x"}, true},
		{"pypy-3.6-nightly", pyPySpec{"3.6", "nightly"}, true},
		{"pypy-3.6-v7.3.3rc1", pyPySpec{"3.6", "v7.3.3-rc.1"}, true},
		{"pypy3.8-v7.3.x", pyPySpec{"3.8", "v7.3.x"}, true},
		{"pypy3.8", pyPySpec{"3.8", "x"}, true},
		{"pypy-", pyPySpec{}, false},
		{"pypy-3.x", pyPySpec{}, false},
		{"pypy-3", pyPySpec{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.input, func(t *testing.T) {
			t.Parallel()
			got, err := parsePyPyVersion(tc.input)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("parsePyPyVersion(%q) = (%+v, %v), want (%+v, ok %v)", tc.input, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestPythonVersionFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		name    string
		content string
		want    []string
	}{
		// setup-python __tests__/utils.test.ts "Version from file test".
		{"plain file", "python-version.file", "3.13", []string{"3.13"}},
		{"multiline plain file", "python-version.file", "3.13\r\n3.12", []string{"3.13", "3.12"}},
		{"complex plain file", ".python-version", "3.13/envs/virtualenv\r# 3.12\n3.11\r\n3.10\r\n 3.9 \r\n", []string{"3.13", "3.11", "3.10", "3.9"}},
		{"standard pyproject.toml", "pyproject.toml", "[project]\nrequires-python = \">=3.13.0\"", []string{">=3.13.0"}},
		{"poetry pyproject.toml", "pyproject.toml", "[tool.poetry.dependencies]\npython = \">=3.13.0\"", []string{">=3.13.0"}},
		{"empty pyproject.toml", "pyproject.toml", "", nil},
		{"requires-python with a comma is normalized", "pyproject.toml", "[project]\nname = 'x'\nrequires-python = \">=3.9,<3.13\"\n", []string{">=3.9.0 <3.13.0-0"}},
		{"a [project] table without requires-python does not fall back to poetry", "pyproject.toml",
			"[project]\nname = \"x\"\n[tool.poetry.dependencies]\npython = \"^3.10\"\n", nil},
		{"dotted keys and inline tables", "pyproject.toml", "tool.poetry = { dependencies = { python = \"^3.10\" } }\n", []string{">=3.10.0 <4.0.0-0"}},
		{".tool-versions", ".tool-versions", "python 3.13.2\nnodejs 16", []string{"3.13.2"}},
		{".tool-versions with comment", ".tool-versions", "# python 3.13\npython 3.12", []string{"3.12"}},
		{".tool-versions with whitespace", ".tool-versions", "  python   3.13  ", []string{"3.13"}},
		{".tool-versions with v prefix", ".tool-versions", "python v3.13.2", []string{"3.13.2"}},
		{".tool-versions with pypy version", ".tool-versions", "python pypy3.10-7.3.19", []string{"pypy3.10-7.3.19"}},
		{".tool-versions with alpha release", ".tool-versions", "python 3.14.0a5t", []string{"3.14.0a5t"}},
		{".tool-versions with dev suffix", ".tool-versions", "python 3.14t-dev", []string{"3.14t-dev"}},
		{"Pipfile python_version", "Pipfile", "[requires]\npython_version = \"3.13\"", []string{"3.13"}},
		{"Pipfile python_full_version", "Pipfile", "[requires]\npython_full_version = \"3.13.0\"", []string{"3.13.0"}},
		{"Pipfile without version", "Pipfile", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := PythonVersionFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("PythonVersionFile mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPythonVersionFileMissing(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), ".python-version")
	_, err := PythonVersionFile(p)
	var ae *ActionError
	if !errors.As(err, &ae) || ae.Msg != "The specified python version file at: "+p+" doesn't exist." {
		t.Errorf("error = %v, want setup-python's missing-file message", err)
	}
}

// TestFindPythonsOnThisMachine checks the real pyenv install: every
// version directory is found with its own version, and "3.11" picks the
// newest 3.11.
func TestFindPythonsOnThisMachine(t *testing.T) {
	t.Parallel()
	env := EnvFrom(os.Getenv)
	versionsDir := filepath.Join(env.pyenvRoot(), "versions")
	dirs, err := os.ReadDir(versionsDir)
	if err != nil || len(dirs) == 0 {
		t.Skipf("no pyenv versions in %s", versionsDir)
	}
	pythons, err := FindPythons(t.Context(), env)
	if err != nil {
		t.Fatal(err)
	}
	byDir := map[string]Python{}
	for _, p := range pythons {
		byDir[filepath.Base(filepath.Dir(filepath.Dir(p.Path)))] = p
	}
	for _, d := range dirs {
		name := d.Name()
		if _, ok := clean(name); !ok {
			continue // not a plain CPython version directory (pypy, venvs)
		}
		p, ok := byDir[name]
		if !ok {
			t.Errorf("pyenv version %s not found among %v", name, describePythons(pythons))
			continue
		}
		if p.Version != name || p.Impl != "CPython" {
			t.Errorf("pyenv %s reported as %s %s", name, p.Impl, p.Version)
		}
	}
	if _, err := os.Stat(filepath.Join(versionsDir, "3.11.7")); err == nil {
		got, err := MatchPythonWith(pythons, "3.11", PythonOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != "3.11.7" {
			t.Errorf(`MatchPython("3.11") = %s, want 3.11.7`, got.Version)
		}
	}
}

package placement

import (
	"testing"
	"testing/fstest"
)

func TestDependencyKey(t *testing.T) {
	t.Parallel()
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"requirements.txt":     {Data: []byte("pytest==8.3\n")},
			"requirements/dev.txt": {Data: []byte("ruff\n")},
			"sub/pyproject.toml":   {Data: []byte("[project]\nname = 'x'\n")},
			"src/app.py":           {Data: []byte("print(1)\n")},
			"README.txt":           {Data: []byte("hello\n")},
		}
	}
	key := func(t *testing.T, fsys fstest.MapFS, extra ...string) string {
		t.Helper()
		k, err := DependencyKey(fsys, extra...)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	want := key(t, base())
	if want == "" {
		t.Fatal("a repository with requirements has no key")
	}
	tests := []struct {
		what   string
		change func(fstest.MapFS)
		extra  []string
		same   bool
	}{
		{what: "a source file does not count", change: func(m fstest.MapFS) { m["src/app.py"] = &fstest.MapFile{Data: []byte("print(2)\n")} }, same: true},
		{what: "a text file that is not requirements does not count", change: func(m fstest.MapFS) { m["README.txt"] = &fstest.MapFile{Data: []byte("bye\n")} }, same: true},
		{what: "a virtual environment is not searched", change: func(m fstest.MapFS) {
			m["venv/pyvenv.cfg"] = &fstest.MapFile{Data: []byte("home = /usr\n")}
			m["venv/lib/site-packages/p/pyproject.toml"] = &fstest.MapFile{Data: []byte("x")}
		}, same: true},
		{what: "a hidden directory is not searched", change: func(m fstest.MapFS) { m[".tox/requirements.txt"] = &fstest.MapFile{Data: []byte("x")} }, same: true},
		{what: "node_modules is not searched", change: func(m fstest.MapFS) { m["node_modules/p/setup.py"] = &fstest.MapFile{Data: []byte("x")} }, same: true},
		{what: "a requirement changes it", change: func(m fstest.MapFS) { m["requirements.txt"] = &fstest.MapFile{Data: []byte("pytest==8.4\n")} }},
		{what: "a file under requirements/ changes it", change: func(m fstest.MapFS) { m["requirements/dev.txt"] = &fstest.MapFile{Data: []byte("ruff==0.9\n")} }},
		{what: "a lock file changes it", change: func(m fstest.MapFS) { m["uv.lock"] = &fstest.MapFile{Data: []byte("version = 1\n")} }},
		{what: "a constraints file changes it", change: func(m fstest.MapFS) { m["ci/constraints-3.12.txt"] = &fstest.MapFile{Data: []byte("x\n")} }},
		{what: "moving a file changes it", change: func(m fstest.MapFS) {
			m["other/pyproject.toml"] = m["sub/pyproject.toml"]
			delete(m, "sub/pyproject.toml")
		}},
		{what: "the Python version changes it", extra: []string{"3.12"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			m := base()
			if tc.change != nil {
				tc.change(m)
			}
			if got := key(t, m, tc.extra...); (got == want) != tc.same {
				t.Errorf("key %s, base key %s: want same=%v", got, want, tc.same)
			}
		})
	}
	t.Run("no dependency files, no key", func(t *testing.T) {
		t.Parallel()
		if got := key(t, fstest.MapFS{"main.go": {Data: []byte("package main")}}, "3.12"); got != "" {
			t.Errorf("key %q, want none", got)
		}
	})
}

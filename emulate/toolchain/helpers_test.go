package toolchain

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeBin writes an executable shell script at path that prints output
// whatever it is asked, and appends a line to path+".runs" each time it runs
// so tests can count probes.
func fakeBin(t *testing.T, path, output string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	// Builtins only: probes run with the fake PATH, where there is no cat.
	quoted := "'" + strings.ReplaceAll(output, "'", `'\''`) + "'"
	script := fmt.Sprintf("#!/bin/sh\necho run >> '%s.runs'\nprintf '%%s' %s\n", path, quoted)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// failingBin writes a script that exits 1, like a broken interpreter.
func failingBin(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\necho broken >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// fakePython writes an interpreter answering pythonProbe. info is the
// sys.version_info fields ("3.11.7 final 0"); impl is CPython or PyPy;
// pypy is pypy_version_info fields or "".
func fakePython(t *testing.T, path, info, impl string, freethreaded bool, pypy string) {
	t.Helper()
	ft := "0"
	if freethreaded {
		ft = "1"
	}
	prefix := filepath.Dir(filepath.Dir(path))
	fakeBin(t, path, strings.Join([]string{info, impl, ft, pypy, prefix, path}, "\n")+"\n")
}

func link(t *testing.T, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

func runs(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path + ".runs")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "run\n")
}

// testEnv is an Env confined to root: no system directories.
func testEnv(root string, path ...string) Env {
	return Env{
		PATH:       strings.Join(path, string(os.PathListSeparator)),
		Home:       filepath.Join(root, "home"),
		SystemDirs: []string{},
	}
}

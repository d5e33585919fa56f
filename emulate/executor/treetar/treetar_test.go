package treetar

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRoundTrip: files, directories and links travel; an existing
// directory in the way keeps its mode (the stream carries the parents of
// what it holds, such as /tmp, which are not its to change).
func TestRoundTrip(t *testing.T) {
	src := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(src, "a", "b"), 0o755))
	must(os.WriteFile(filepath.Join(src, "a", "b", "f.txt"), []byte("hello"), 0o640))
	must(os.WriteFile(filepath.Join(src, "a", "x.sh"), []byte("#!/bin/sh\n"), 0o755))
	must(os.Symlink("b/f.txt", filepath.Join(src, "a", "link")))
	var buf bytes.Buffer
	must(Write(t.Context(), &buf, src, []string{filepath.Join(src, "a"), filepath.Join(src, "missing")}))

	dst := t.TempDir()
	must(os.MkdirAll(filepath.Join(dst, "a"), 0o700))
	must(Extract(t.Context(), &buf, dst, nil))
	if data, err := os.ReadFile(filepath.Join(dst, "a", "b", "f.txt")); err != nil || string(data) != "hello" {
		t.Errorf("f.txt = %q, %v", data, err)
	}
	if st, err := os.Stat(filepath.Join(dst, "a", "x.sh")); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("x.sh mode = %v, %v", st.Mode(), err)
	}
	if l, err := os.Readlink(filepath.Join(dst, "a", "link")); err != nil || l != "b/f.txt" {
		t.Errorf("link = %q, %v", l, err)
	}
	if st, _ := os.Stat(filepath.Join(dst, "a")); st.Mode().Perm() != 0o700 {
		t.Errorf("existing directory mode changed to %v", st.Mode().Perm())
	}
}

// TestExtractRefusesEscape: an entry may not leave the directory, and
// Write refuses a path outside its base.
func TestExtractRefusesEscape(t *testing.T) {
	for _, name := range []string{"../evil", "a/../../evil"} {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 1, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte("x"))
		_ = tw.Close()
		dst := filepath.Join(t.TempDir(), "d")
		if err := Extract(t.Context(), &buf, dst, nil); err == nil {
			t.Errorf("Extract of %q: no error", name)
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(dst), "evil")); err == nil {
			t.Errorf("Extract of %q wrote outside its directory", name)
		}
	}
	if err := Write(t.Context(), &bytes.Buffer{}, t.TempDir(), []string{"/etc"}); err == nil {
		t.Error("Write of a path outside its base: no error")
	}
}

package cache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLayout(t *testing.T) {
	t.Parallel()
	l := layout{workspace: "/home/u/work/repo", home: "/home/u"}
	tests := []struct {
		what string
		abs  string
		name string
	}{
		{"workspace file is relative, as actions/cache stores it", "/home/u/work/repo/node_modules", "node_modules"},
		{"the workspace itself is dot", "/home/u/work/repo", "."},
		{"home path is home relative", "/home/u/.cache/pip", "~/.cache/pip"},
		{"home itself", "/home/u", "~"},
		{"other paths are absolute", "/opt/tool/cache", "/opt/tool/cache"},
		{"a workspace name starting with ~ is kept apart from home", "/home/u/work/repo/~tmp", "./~tmp"},
		{"a sibling of the workspace with a common prefix is not inside it", "/home/u/work/repo2/x", "~/work/repo2/x"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := l.name(tc.abs); got != tc.name {
				t.Errorf("name(%q) = %q, want %q", tc.abs, got, tc.name)
			}
			back, err := l.path(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if back != tc.abs {
				t.Errorf("path(%q) = %q, want %q", tc.name, back, tc.abs)
			}
		})
	}
}

func TestLayoutMovesWithWorkspaceAndHome(t *testing.T) {
	t.Parallel()
	saved := layout{workspace: "/tmp/run1/ws", home: "/home/u"}
	restored := layout{workspace: "/var/a/b/c/ws", home: "/github/home"}
	tests := []struct {
		what, abs, want string
	}{
		{"workspace paths follow the workspace", "/tmp/run1/ws/build/x.o", "/var/a/b/c/ws/build/x.o"},
		{"home paths follow HOME", "/home/u/.cache/pip/a", "/github/home/.cache/pip/a"},
		{"absolute paths stay", "/opt/x", "/opt/x"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := restored.path(saved.name(tc.abs))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestArchiveRoundTrip(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	ws := filepath.Join(src, "ws")
	tree(t, ws, map[string]string{
		"build/a.o":       "object a",
		"build/sub/b.o":   "object b",
		"build/script.sh": "#!/bin/sh\n",
		"build/ro/c.txt":  "in a read-only directory",
	})
	if err := os.Chmod(filepath.Join(ws, "build/script.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.o", filepath.Join(ws, "build/link")); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(ws, "build/a.o"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(ws, "build/ro"), 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(ws, "build/ro"), 0o755) })

	var buf bytes.Buffer
	l := layout{workspace: ws, home: filepath.Join(src, "home")}
	tops, err := writeArchive(t.Context(), &buf, l, []string{filepath.Join(ws, "build"), filepath.Join(ws, "build/sub")})
	if err != nil {
		t.Fatal(err)
	}
	if len(tops) != 1 || tops[0] != "build" {
		t.Errorf("tops = %q, want [build] (build/sub is inside build)", tops)
	}

	dst := t.TempDir()
	ws2 := filepath.Join(dst, "other", "ws")
	// An existing file is replaced, an unrelated one is left alone.
	tree(t, ws2, map[string]string{"build/a.o": "stale", "keep.txt": "mine"})
	if err := extractArchive(t.Context(), &buf, layout{workspace: ws2, home: dst}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(ws2, "build/ro"), 0o755) })

	checks := []struct {
		what string
		fn   func() error
	}{
		{"contents", func() error { return wantFile(filepath.Join(ws2, "build/sub/b.o"), "object b") }},
		{"replaced file", func() error { return wantFile(filepath.Join(ws2, "build/a.o"), "object a") }},
		{"untouched file", func() error { return wantFile(filepath.Join(ws2, "keep.txt"), "mine") }},
		{"file in read-only directory", func() error { return wantFile(filepath.Join(ws2, "build/ro/c.txt"), "in a read-only directory") }},
		{"mode", func() error { return wantMode(filepath.Join(ws2, "build/script.sh"), 0o755) }},
		{"directory mode", func() error { return wantMode(filepath.Join(ws2, "build/ro"), 0o555|os.ModeDir) }},
		{"mtime", func() error { return wantMtime(filepath.Join(ws2, "build/a.o"), old) }},
		{"symlink", func() error { return wantLink(filepath.Join(ws2, "build/link"), "a.o") }},
	}
	for _, c := range checks {
		if err := c.fn(); err != nil {
			t.Errorf("%s: %v", c.what, err)
		}
	}
}

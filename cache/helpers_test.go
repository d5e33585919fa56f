package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// tree writes files (relative name → contents) under root.
func tree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func wantFile(p, body string) error {
	got, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if string(got) != body {
		return fmt.Errorf("%s = %q, want %q", p, got, body)
	}
	return nil
}

func wantMode(p string, mode os.FileMode) error {
	info, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if info.Mode() != mode {
		return fmt.Errorf("%s mode = %v, want %v", p, info.Mode(), mode)
	}
	return nil
}

func wantMtime(p string, mtime time.Time) error {
	info, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !info.ModTime().Equal(mtime) {
		return fmt.Errorf("%s mtime = %v, want %v", p, info.ModTime(), mtime)
	}
	return nil
}

func wantLink(p, target string) error {
	got, err := os.Readlink(p)
	if err != nil {
		return err
	}
	if got != target {
		return fmt.Errorf("%s -> %q, want %q", p, got, target)
	}
	return nil
}

// fakeClock hands out increasing times so "newest" is deterministic.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time {
	c.t = c.t.Add(time.Minute)
	return c.t
}

// job is one side of a test: a workspace and a home directory.
type job struct {
	ws, home string
}

func newJob(t *testing.T) job {
	t.Helper()
	root := t.TempDir()
	j := job{ws: filepath.Join(root, "work", "repo"), home: filepath.Join(root, "home")}
	for _, d := range []string{j.ws, j.home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return j
}

// newStore opens a store in a temp dir with a fake clock.
func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := OpenStore(filepath.Join(t.TempDir(), "actions-cache"))
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.now = clock.now
	return s
}

// save writes files into the job and saves them under key in scope.
func save(t *testing.T, s *Store, j job, scope, key string, paths []string, files map[string]string) {
	t.Helper()
	tree(t, j.ws, files)
	saved, msg, err := s.Save(t.Context(), SaveRequest{Key: key, Paths: paths, Workspace: j.ws, Home: j.home, Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	if !saved {
		t.Fatalf("save %q: not saved: %s", key, msg)
	}
}

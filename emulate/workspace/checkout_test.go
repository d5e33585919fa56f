package workspace_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// gitEnv isolates the test's git commands from the user's configuration
// (commit signing, hooks, excludes files), so the repository is the same
// on every machine.
var gitEnv = []string{
	"GIT_CONFIG_GLOBAL=" + os.DevNull,
	"GIT_CONFIG_NOSYSTEM=1",
	"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
	"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
	"GIT_AUTHOR_DATE=2025-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2025-01-01T00:00:00Z",
}

func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), gitEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	// WriteFile keeps the mode of an existing file and applies the umask.
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

func requireGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	if runtime.GOOS == "windows" {
		t.Skip("symlinks and modes are POSIX here")
	}
}

// newRepo makes a repository with one commit, then changes its working
// tree the ways a user's checkout differs from HEAD.
func newRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	runGit(t, root, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(root, "README.md"), "hello\n", 0o644)
	writeFile(t, filepath.Join(root, "src", "app.py"), "print('v1')\n", 0o644)
	writeFile(t, filepath.Join(root, "run.sh"), "#!/bin/sh\necho run\n", 0o755)
	writeFile(t, filepath.Join(root, "gone.txt"), "deleted later\n", 0o644)
	writeFile(t, filepath.Join(root, ".gitignore"), "*.log\nbuild/\n", 0o644)
	symlink(t, "README.md", filepath.Join(root, "link"))
	symlink(t, "src", filepath.Join(root, "dirlink"))
	runGit(t, root, "add", "-A")
	runGit(t, root, "commit", "-q", "-m", "first")

	// Uncommitted work: a modification, a deletion, untracked files (one
	// in a new directory, one with a space and non-ASCII in its path), a
	// staged new file, and ignored files.
	writeFile(t, filepath.Join(root, "src", "app.py"), "print('v2, not committed')\n", 0o644)
	if err := os.Remove(filepath.Join(root, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "notes.txt"), "untracked\n", 0o644)
	writeFile(t, filepath.Join(root, "new dir", "ünï.txt"), "untracked, deep\n", 0o600)
	writeFile(t, filepath.Join(root, "staged.txt"), "staged\n", 0o644)
	runGit(t, root, "add", "staged.txt")
	writeFile(t, filepath.Join(root, "debug.log"), "ignored\n", 0o644)
	writeFile(t, filepath.Join(root, "build", "out.bin"), "ignored\n", 0o644)
	return root
}

// entry is what a test compares of one path: its kind, permission bits
// and content (a symlink's target).
type entry struct {
	Mode    string
	Content string
}

// tree lists every path under root; .git is left out unless withGit, and
// then its files are compared by hash since they are binary.
func tree(t *testing.T, root string, withGit bool) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" && !withGit {
			return filepath.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := entry{Mode: info.Mode().String()}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			e.Content, err = os.Readlink(p)
		case info.Mode().IsRegular():
			var b []byte
			b, err = os.ReadFile(p)
			if strings.HasPrefix(filepath.ToSlash(rel), ".git/") {
				sum := sha256.Sum256(b)
				e.Content = hex.EncodeToString(sum[:])
			} else {
				e.Content = string(b)
			}
		}
		out[filepath.ToSlash(rel)] = e
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// status is `git status` in dir as sorted porcelain lines.
func status(t *testing.T, dir string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(runGit(t, dir, "status", "--porcelain=v1", "--untracked-files=all"), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return []string{}
	}
	slices.Sort(lines)
	return lines
}

func TestCheckoutWorkingTree(t *testing.T) {
	t.Parallel()
	requireGit(t)
	src := newRepo(t)
	before := tree(t, src, true)

	dst := filepath.Join(t.TempDir(), "run", "jobs", "build", "workspace")
	if err := workspace.Checkout(t.Context(), workspace.Source{Root: src, Git: true}, dst); err != nil {
		t.Fatal(err)
	}

	want := map[string]entry{
		".gitignore":      {"-rw-r--r--", "*.log\nbuild/\n"},
		"README.md":       {"-rw-r--r--", "hello\n"},
		"dirlink":         {"Lrwxrwxrwx", "src"},
		"link":            {"Lrwxrwxrwx", "README.md"},
		"new dir":         {"drwxr-xr-x", ""},
		"new dir/ünï.txt": {"-rw-------", "untracked, deep\n"},
		"notes.txt":       {"-rw-r--r--", "untracked\n"},
		"run.sh":          {"-rwxr-xr-x", "#!/bin/sh\necho run\n"},
		"src":             {"drwxr-xr-x", ""},
		"src/app.py":      {"-rw-r--r--", "print('v2, not committed')\n"},
		"staged.txt":      {"-rw-r--r--", "staged\n"},
	}
	if diff := cmp.Diff(want, tree(t, dst, false)); diff != "" {
		t.Errorf("copy differs (-want +got):\n%s", diff)
	}

	// The copy is a repository at HEAD whose git status shows the user's
	// uncommitted work as changes. The staged file shows as untracked: the
	// copy's index is HEAD's.
	wantStatus := []string{
		" D gone.txt",
		" M src/app.py",
		"?? \"new dir/\\303\\274n\\303\\257.txt\"",
		"?? notes.txt",
		"?? staged.txt",
	}
	if diff := cmp.Diff(wantStatus, status(t, dst)); diff != "" {
		t.Errorf("git status in the copy (-want +got):\n%s", diff)
	}
	if got, want := runGit(t, dst, "rev-parse", "HEAD"), runGit(t, src, "rev-parse", "HEAD"); got != want {
		t.Errorf("copy HEAD = %s, want the source's %s", got, want)
	}

	// Nothing was written into the user's repository, .git included.
	if diff := cmp.Diff(before, tree(t, src, true)); diff != "" {
		t.Errorf("source repository changed (-before +after):\n%s", diff)
	}
}

func TestCheckoutFromCommit(t *testing.T) {
	t.Parallel()
	requireGit(t)
	src := newRepo(t)
	before := tree(t, src, true)

	dst := filepath.Join(t.TempDir(), "workspace")
	if err := workspace.Checkout(t.Context(), workspace.Source{Root: src, Git: true, FromCommit: true}, dst); err != nil {
		t.Fatal(err)
	}
	want := map[string]entry{
		".gitignore": {"-rw-r--r--", "*.log\nbuild/\n"},
		"README.md":  {"-rw-r--r--", "hello\n"},
		"dirlink":    {"Lrwxrwxrwx", "src"},
		"gone.txt":   {"-rw-r--r--", "deleted later\n"},
		"link":       {"Lrwxrwxrwx", "README.md"},
		"run.sh":     {"-rwxr-xr-x", "#!/bin/sh\necho run\n"},
		"src":        {"drwxr-xr-x", ""},
		"src/app.py": {"-rw-r--r--", "print('v1')\n"},
	}
	if diff := cmp.Diff(want, tree(t, dst, false)); diff != "" {
		t.Errorf("copy differs from HEAD (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{}, status(t, dst)); diff != "" {
		t.Errorf("git status in the copy is not clean (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, tree(t, src, true)); diff != "" {
		t.Errorf("source repository changed (-before +after):\n%s", diff)
	}
}

// TestCheckoutNoCommits: a freshly initialised repository has no HEAD; its
// files are still copied.
func TestCheckoutNoCommits(t *testing.T) {
	t.Parallel()
	requireGit(t)
	src := t.TempDir()
	runGit(t, src, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(src, "a.txt"), "a\n", 0o644)
	writeFile(t, filepath.Join(src, "x.log"), "ignored\n", 0o644)
	writeFile(t, filepath.Join(src, ".gitignore"), "*.log\n", 0o644)

	dst := filepath.Join(t.TempDir(), "workspace")
	if err := workspace.Checkout(t.Context(), workspace.Source{Root: src, Git: true}, dst); err != nil {
		t.Fatal(err)
	}
	want := map[string]entry{
		".gitignore": {"-rw-r--r--", "*.log\n"},
		"a.txt":      {"-rw-r--r--", "a\n"},
	}
	if diff := cmp.Diff(want, tree(t, dst, false)); diff != "" {
		t.Errorf("copy differs (-want +got):\n%s", diff)
	}
}

func TestCheckoutNotGit(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symlinks and modes are POSIX here")
	}
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "a.txt"), "a\n", 0o644)
	writeFile(t, filepath.Join(src, "bin", "tool"), "#!/bin/sh\n", 0o755)
	writeFile(t, filepath.Join(src, "debug.log"), "no .gitignore applies here\n", 0o644)
	// A stray .git directory, at the top or deeper, is not copied: it is
	// not a repository Checkout could clone.
	writeFile(t, filepath.Join(src, ".git", "HEAD"), "garbage\n", 0o644)
	writeFile(t, filepath.Join(src, "vendor", "lib", ".git", "config"), "garbage\n", 0o644)
	writeFile(t, filepath.Join(src, "vendor", "lib", "lib.py"), "x = 1\n", 0o644)
	symlink(t, "a.txt", filepath.Join(src, "link"))
	symlink(t, "bin", filepath.Join(src, "binlink"))
	if err := os.MkdirAll(filepath.Join(src, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}

	dst := filepath.Join(t.TempDir(), "nested", "workspace")
	if err := workspace.Checkout(t.Context(), workspace.Source{Root: src}, dst); err != nil {
		t.Fatal(err)
	}
	want := map[string]entry{
		"a.txt":             {"-rw-r--r--", "a\n"},
		"bin":               {"drwxr-xr-x", ""},
		"bin/tool":          {"-rwxr-xr-x", "#!/bin/sh\n"},
		"binlink":           {"Lrwxrwxrwx", "bin"},
		"debug.log":         {"-rw-r--r--", "no .gitignore applies here\n"},
		"empty":             {"drwxr-xr-x", ""},
		"link":              {"Lrwxrwxrwx", "a.txt"},
		"vendor":            {"drwxr-xr-x", ""},
		"vendor/lib":        {"drwxr-xr-x", ""},
		"vendor/lib/lib.py": {"-rw-r--r--", "x = 1\n"},
	}
	if diff := cmp.Diff(want, tree(t, dst, true)); diff != "" {
		t.Errorf("copy differs (-want +got):\n%s", diff)
	}
}

// TestCheckoutCancelled: a cancelled context stops the clone with an error
// instead of leaving a half-made workspace that looks fine.
func TestCheckoutCancelled(t *testing.T) {
	t.Parallel()
	requireGit(t)
	src := newRepo(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := workspace.Checkout(ctx, workspace.Source{Root: src, Git: true}, filepath.Join(t.TempDir(), "w")); err == nil {
		t.Error("Checkout with a cancelled context succeeded, want an error")
	}
}

// TestCheckoutSubdirectory: a root inside a repository (rehearse -C
// sub/dir) gives the job that directory's files, without the enclosing
// repository's history.
func TestCheckoutSubdirectory(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@b", "GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@b")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.MkdirAll(filepath.Join(repo, "sub", "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	for p, c := range map[string]string{"top.txt": "top", "sub/a.txt": "a", "sub/pkg/b.txt": "b", "sub/.gitignore": "ignored.txt\n", "sub/ignored.txt": "x"} {
		if err := os.WriteFile(filepath.Join(repo, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q")
	run("add", "-A")
	run("commit", "-qm", "init")
	if err := os.WriteFile(filepath.Join(repo, "sub", "new.txt"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, standalone := range []bool{false, true} {
		dst := filepath.Join(t.TempDir(), "ws")
		if err := workspace.Checkout(t.Context(), workspace.Source{Root: filepath.Join(repo, "sub"), Git: true, Standalone: standalone}, dst); err != nil {
			t.Fatal(err)
		}
		var got []string
		_ = filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dst, p)
				got = append(got, rel)
			}
			return nil
		})
		slices.Sort(got)
		want := []string{".gitignore", "a.txt", "new.txt", "pkg/b.txt"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("standalone=%v: files %v, want %v", standalone, got, want)
		}
	}
}

package workspace

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Source is the repository a run copies from.
type Source struct {
	Root string
	// Git is false when Root is not a git repository: every file but .git
	// is copied then.
	Git bool
	// FromCommit copies HEAD only, leaving out uncommitted changes.
	FromCommit bool
	// Standalone makes a clone with its own objects, for a job whose files
	// are not this machine's (a container): a shared clone's objects are
	// the user's repository, which the job cannot reach.
	Standalone bool
}

// Checkout makes dst a copy of the repository as actions/checkout would
// give it: a git repository at HEAD, whose files are the tracked files and
// the untracked files git does not ignore, as they are now in the working
// tree (so a dry run sees uncommitted work). The clone shares the user's
// object store read-only (git clone --shared), which writes nothing into
// the user's repository.
func Checkout(ctx context.Context, src Source, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if !src.Git {
		return copyTree(src.Root, dst)
	}
	if top, err := gitOutput(ctx, src.Root, "rev-parse", "--show-toplevel"); err == nil && !sameDir(strings.TrimSpace(string(top)), src.Root) {
		// The root is a directory inside a repository (-C sub/dir): the job
		// gets its files (tracked and untracked-but-not-ignored, as they
		// are), without the enclosing repository's history.
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		return copyListed(ctx, src.Root, dst)
	}
	share := "--shared"
	if src.Standalone {
		// A local clone hard-links the objects: as cheap, and self-contained.
		share = "--local"
	}
	if err := git(ctx, "", "clone", "-q", share, "--no-checkout", src.Root, dst); err != nil {
		return err
	}
	if src.FromCommit {
		return git(ctx, dst, "checkout", "-q", "--detach", "HEAD")
	}
	if err := copyListed(ctx, src.Root, dst); err != nil {
		return err
	}
	// Point the index at HEAD so `git status` in the job shows the user's
	// uncommitted changes as changes, as they are.
	if err := git(ctx, dst, "reset", "-q"); err != nil {
		// A repository without commits has no HEAD to reset to.
		if _, herr := gitOutput(ctx, src.Root, "rev-parse", "--verify", "HEAD"); herr == nil {
			return err
		}
	}
	return nil
}

// copyListed copies the files git lists in root (tracked, and untracked
// but not ignored) as they are in the working tree.
func copyListed(ctx context.Context, root, dst string) error {
	out, err := gitOutput(ctx, root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return err
	}
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if rel == "" {
			continue
		}
		if err := copyEntry(filepath.Join(root, rel), filepath.Join(dst, rel)); err != nil {
			return err
		}
	}
	return nil
}

// sameDir reports whether a and b name the same directory.
func sameDir(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

func git(ctx context.Context, dir string, args ...string) error {
	_, err := gitOutput(ctx, dir, args...)
	return err
}

func gitOutput(ctx context.Context, dir string, args ...string) ([]byte, error) {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// copyEntry copies one file or symlink; a path listed by git but deleted
// in the working tree is left out, as it is deleted.
func copyEntry(from, to string) error {
	st, err := os.Lstat(from)
	if os.IsNotExist(err) {
		_ = os.Remove(to)
		return nil
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	switch {
	case st.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(from)
		if err != nil {
			return err
		}
		_ = os.Remove(to)
		return os.Symlink(target, to)
	case st.IsDir(): // a submodule or nested repository: not copied
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		return copyEntry(p, filepath.Join(to, rel))
	})
}

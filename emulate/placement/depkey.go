package placement

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	digest "github.com/opencontainers/go-digest"
)

// DependencyKey hashes the files of a repository that decide what a pip
// install puts in the pip cache, with extra (the cell's Python version and
// platform: wheels differ by both), for [Cell.DepKey]. The files are, at
// any depth: requirements*.txt, constraints*.txt, any .txt under a
// directory named requirements, pyproject.toml, setup.py, setup.cfg,
// Pipfile, Pipfile.lock, poetry.lock, uv.lock and pdm.lock; hidden
// directories, node_modules, __pycache__ and virtual environments
// (directories with a pyvenv.cfg) are not searched. A repository with none
// of them has the key "" (its cells' pip caches do not matter).
func DependencyKey(fsys fs.FS, extra ...string) (string, error) {
	d := digest.Canonical.Digester()
	h := d.Hash()
	found := false
	// WalkDir visits in lexical order, so the key does not depend on the
	// file system's order.
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p != "." && skipDir(fsys, p, e.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || !isDependencyFile(p) {
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", p)
		if _, err := io.Copy(h, f); err != nil {
			return fmt.Errorf("could not read %q: %w", p, err)
		}
		h.Write([]byte{0})
		found = true
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("could not hash the dependency files: %w", err)
	}
	if !found {
		return "", nil
	}
	for _, x := range extra {
		fmt.Fprintf(h, "extra\x00%s\x00", x)
	}
	return d.Digest().String(), nil
}

func skipDir(fsys fs.FS, p, name string) bool {
	if strings.HasPrefix(name, ".") || name == "node_modules" || name == "__pycache__" {
		return true
	}
	_, err := fs.Stat(fsys, path.Join(p, "pyvenv.cfg"))
	return !errors.Is(err, fs.ErrNotExist)
}

func isDependencyFile(p string) bool {
	name := path.Base(p)
	switch name {
	case "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock":
		return true
	}
	if !strings.HasSuffix(name, ".txt") {
		return false
	}
	return strings.HasPrefix(name, "requirements") || strings.HasPrefix(name, "constraints") ||
		path.Base(path.Dir(p)) == "requirements"
}

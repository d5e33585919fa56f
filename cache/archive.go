package cache

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// layout maps absolute paths to archive names and back. Inside the workspace
// names are relative, as actions/cache's tar -C $GITHUB_WORKSPACE makes
// them; below HOME they start with "~/"; anything else is absolute. See the
// package comment for why HOME is not written as "../..".
type layout struct {
	workspace string
	home      string
	// root is where the job's "/" is on this machine ("" for the host
	// executor); workspace, home and the paths handled are the job's.
	root string
}

// local is where a job path's file is on this machine.
func (l layout) local(p string) string { return glob.Local(l.root, p) }

// name encodes an absolute path.
func (l layout) name(abs string) string {
	if rel, ok := within(l.workspace, abs); ok {
		if rel == "." {
			return "."
		}
		if strings.HasPrefix(rel, "~") {
			// Keep a workspace file named "~..." apart from the home prefix.
			return "./" + rel
		}
		return rel
	}
	if rel, ok := within(l.home, abs); ok {
		if rel == "." {
			return "~"
		}
		return "~/" + rel
	}
	return filepath.ToSlash(abs)
}

// path decodes an archive name into an absolute path.
func (l layout) path(name string) (string, error) {
	name = strings.TrimSuffix(name, "/")
	switch {
	case name == "~":
		return l.absHome()
	case strings.HasPrefix(name, "~/"):
		home, err := l.absHome()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, filepath.FromSlash(name[2:])), nil
	case strings.HasPrefix(name, "/"):
		return filepath.Clean(filepath.FromSlash(name)), nil
	default:
		if !filepath.IsAbs(l.workspace) {
			return "", fmt.Errorf("workspace %q is not an absolute path", l.workspace)
		}
		return filepath.Join(l.workspace, filepath.FromSlash(name)), nil
	}
}

func (l layout) absHome() (string, error) {
	if !filepath.IsAbs(l.home) {
		return "", fmt.Errorf("home directory %q is not an absolute path", l.home)
	}
	return filepath.Clean(l.home), nil
}

// within reports p relative to base when p is base or below it.
func within(base, p string) (string, bool) {
	if base == "" {
		return "", false
	}
	rel, err := filepath.Rel(base, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// writeArchive writes a tar.gz of paths, recursing into directories and
// storing symlinks as links, as tar without -h does. It returns the archive
// names of the top-level paths it stored.
func writeArchive(ctx context.Context, w io.Writer, l layout, paths []string) ([]string, error) {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	var tops []string
	var stored []string
	for _, top := range paths {
		if covered(stored, top) {
			continue // already archived as part of an ancestor
		}
		stored = append(stored, top)
		topName := l.name(top)
		tops = append(tops, topName)
		localTop := l.local(top)
		err := filepath.WalkDir(localTop, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			rel, _ := within(localTop, p)
			name := topName
			if rel != "." {
				name = strings.TrimSuffix(topName, "/") + "/" + rel
			}
			return addEntry(tw, p, name)
		})
		if err != nil {
			return nil, fmt.Errorf("could not archive %q: %w", top, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return tops, gz.Close()
}

func covered(stored []string, p string) bool {
	for _, s := range stored {
		if _, ok := within(s, p); ok {
			return true
		}
	}
	return false
}

func addEntry(tw *tar.Writer, p, name string) error {
	info, err := os.Lstat(p)
	if err != nil {
		return err
	}
	link := ""
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		if link, err = os.Readlink(p); err != nil {
			return err
		}
	case info.IsDir(), info.Mode().IsRegular():
	default:
		return nil // sockets, devices and fifos are not cache material
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return err
	}
	hdr.Name = name
	if info.IsDir() && !strings.HasSuffix(hdr.Name, "/") {
		hdr.Name += "/"
	}
	hdr.Format = tar.FormatPAX
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

// extractArchive unpacks a tar.gz written by writeArchive. Like tar -x it
// replaces existing files and leaves other files alone; directory modes and
// times are set last so that writing their contents neither fails on a
// read-only directory nor disturbs its time.
func extractArchive(ctx context.Context, r io.Reader, l layout) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	type dirMeta struct {
		path string
		mode fs.FileMode
		t    time.Time
	}
	var dirs []dirMeta
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		// Archive names may be absolute on purpose (see layout); the reader
		// flags them as insecure but still returns the header.
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			return err
		}
		jobTarget, err := l.path(hdr.Name)
		if err != nil {
			return err
		}
		target := l.local(jobTarget)
		mode := hdr.FileInfo().Mode()
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			dirs = append(dirs, dirMeta{target, mode.Perm(), hdr.ModTime})
		case tar.TypeReg:
			if err := replaceable(target); err != nil {
				return err
			}
			f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode.Perm()|0o200)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			if err := os.Chmod(target, mode.Perm()); err != nil {
				return err
			}
			if err := os.Chtimes(target, hdr.ModTime, hdr.ModTime); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := replaceable(target); err != nil {
				return err
			}
			if err := os.Symlink(hdr.Linkname, target); err != nil {
				return err
			}
		}
	}
	// Deepest first, so a read-only parent is locked only after its children.
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Chmod(dirs[i].path, dirs[i].mode); err != nil {
			return err
		}
		if err := os.Chtimes(dirs[i].path, dirs[i].t, dirs[i].t); err != nil {
			return err
		}
	}
	return nil
}

// replaceable makes room for a file or link at target: its parent exists
// and nothing but a directory is in the way.
func replaceable(target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	info, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case info.IsDir():
		return fmt.Errorf("could not restore %q: a directory is in the way", target)
	default:
		return os.Remove(target)
	}
}

// Package treetar moves file trees in and out of a job as tar streams: the
// host executor uses it in process, and the in-container agent of the
// container executor uses the same code on the other side of the pipe, so
// both executors copy files the same way.
package treetar

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Write writes a tar stream of paths (files, directories recursively,
// symbolic links, never followed) to w. Entry names are relative to base;
// every path must be below base. Missing paths are left out, as a cache or
// artifact path that does not exist is not an error here.
func Write(ctx context.Context, w io.Writer, base string, paths []string) error {
	tw := tar.NewWriter(w)
	seen := map[string]bool{}
	for _, p := range paths {
		rel, err := filepath.Rel(base, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return fmt.Errorf("%q is not below %q", p, base)
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			name, _ := filepath.Rel(base, path)
			name = filepath.ToSlash(name)
			if name == "." || seen[name] {
				return nil
			}
			seen[name] = true
			return addEntry(tw, path, name)
		})
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

func addEntry(tw *tar.Writer, path, name string) error {
	st, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	link := ""
	if st.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(path); err != nil {
			return err
		}
	}
	if !st.Mode().IsRegular() && !st.IsDir() && st.Mode()&fs.ModeSymlink == 0 {
		// Sockets, pipes and devices do not travel.
		return nil
	}
	hdr, err := tar.FileInfoHeader(st, link)
	if err != nil {
		return err
	}
	hdr.Name = name
	if st.IsDir() {
		hdr.Name += "/"
	}
	// Owners are the receiver's business: it extracts as its job's user.
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
	hdr.Format = tar.FormatPAX
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyN(tw, f, st.Size())
	return err
}

// Owner is who extracted files belong to; nil leaves them to the process.
type Owner struct{ UID, GID int }

// Extract extracts a tar stream under dir. An entry may not leave dir.
// Existing files are replaced; existing directories are kept as they are
// (mode, owner, time) and merged.
func Extract(ctx context.Context, r io.Reader, dir string, owner *Owner) error {
	tr := tar.NewReader(r)
	type dirTime struct {
		path string
		t    time.Time
	}
	var dirs []dirTime
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(strings.TrimPrefix(hdr.Name, "/"))
		target := filepath.Join(dir, name)
		if rel, err := filepath.Rel(dir, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fmt.Errorf("tar entry %q leaves %q", hdr.Name, dir)
		}
		if err := mkParents(dir, filepath.Dir(target), owner); err != nil {
			return err
		}
		mode := fs.FileMode(hdr.Mode) & fs.ModePerm
		switch hdr.Typeflag {
		case tar.TypeDir:
			st, err := os.Lstat(target)
			if err == nil && st.IsDir() {
				// An existing directory keeps its mode, owner and time, as
				// with tar --no-overwrite-dir: a stream carries the parents
				// of what it holds (/tmp, /home), which are not its to change.
				continue
			}
			if err == nil {
				if err := os.RemoveAll(target); err != nil {
					return err
				}
			}
			if err := os.MkdirAll(target, mode|0o700); err != nil {
				return err
			}
			_ = os.Chmod(target, mode)
			dirs = append(dirs, dirTime{target, hdr.ModTime})
		case tar.TypeReg:
			if err := replaceable(target); err != nil {
				return err
			}
			f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
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
			_ = os.Chmod(target, mode)
		case tar.TypeSymlink:
			if err := replaceable(target); err != nil {
				return err
			}
			if err := os.Symlink(hdr.Linkname, target); err != nil {
				return err
			}
		case tar.TypeLink:
			src := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(hdr.Linkname, "/")))
			if rel, err := filepath.Rel(dir, src); err != nil || strings.HasPrefix(rel, "..") {
				return fmt.Errorf("tar link %q leaves %q", hdr.Linkname, dir)
			}
			if err := replaceable(target); err != nil {
				return err
			}
			if err := os.Link(src, target); err != nil {
				return err
			}
		default:
			continue
		}
		if owner != nil {
			_ = os.Lchown(target, owner.UID, owner.GID)
		}
		if hdr.Typeflag == tar.TypeReg {
			_ = os.Chtimes(target, hdr.ModTime, hdr.ModTime)
		}
	}
	// Directory times last: extracting into a directory changes its mtime.
	for i := len(dirs) - 1; i >= 0; i-- {
		_ = os.Chtimes(dirs[i].path, dirs[i].t, dirs[i].t)
	}
	return nil
}

// mkParents creates the directories between dir and p, owned by owner.
func mkParents(dir, p string, owner *Owner) error {
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if p == dir || len(p) < len(dir) {
		return os.MkdirAll(p, 0o755)
	}
	if err := mkParents(dir, filepath.Dir(p), owner); err != nil {
		return err
	}
	if err := os.Mkdir(p, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if owner != nil {
		_ = os.Lchown(p, owner.UID, owner.GID)
	}
	return nil
}

// replaceable removes what is at target unless it is a directory, which a
// file may not silently replace.
func replaceable(target string) error {
	st, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%q is a directory", target)
	}
	return os.Remove(target)
}

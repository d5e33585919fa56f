//go:build linux

package agent

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// unzip extracts the entries of a zip below prefix into dir, owned by
// uid:gid: how a Go toolchain from the module proxy (a zip whose entries
// start with golang.org/toolchain@VERSION/) becomes a GOROOT in the tool
// cache, in an image that may have no unzip.
func unzip(zipPath, dir, prefix, owner string) error {
	u, g, _ := strings.Cut(owner, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("bad owner %q", owner)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || name == "" {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		if rel, err := filepath.Rel(dir, target); err != nil || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("zip entry %q leaves %q", f.Name, dir)
		}
		if err := mkdirOwned(filepath.Dir(target), uid, gid); err != nil {
			return err
		}
		if f.FileInfo().IsDir() {
			if err := mkdirOwned(target, uid, gid); err != nil {
				return err
			}
			continue
		}
		if err := extractZipFile(f, target); err != nil {
			return err
		}
		if err := os.Lchown(target, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

func extractZipFile(f *zip.File, target string) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, f.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, rc)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Chtimes(target, f.Modified, f.Modified)
}

//go:build linux

package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// layerWriter writes a root filesystem as one deterministic tar layer:
// entries in sorted path order (each directory's names sorted, depth
// first), numeric owners without names, modes with setuid/setgid/sticky,
// hard links as links to the first path, symbolic links, device nodes and
// FIFOs, extended attributes as PAX records, and no access or change
// times. Modification times are kept in whole seconds (see [Import] for
// why), so the same tree gives the same bytes.
type layerWriter struct {
	root    string
	rootDev uint64
	tw      *tar.Writer
	// links maps a multiply-linked file's device and inode to the first
	// path written for it.
	links map[[2]uint64]string
	buf   []byte
	warn  func(string)
	stats layerStats
}

// writeLayer archives root into w. warn receives what is left out (sockets,
// whiteout names, other file systems' contents).
func writeLayer(ctx context.Context, root string, w io.Writer, warn func(string)) (layerStats, error) {
	var st unix.Stat_t
	if err := unix.Lstat(root, &st); err != nil {
		return layerStats{}, fmt.Errorf("could not read %q: %w", root, err)
	}
	if warn == nil {
		warn = func(string) {}
	}
	lw := &layerWriter{
		root: root, rootDev: uint64(st.Dev), tw: tar.NewWriter(w),
		links: map[[2]uint64]string{}, buf: make([]byte, 1<<20), warn: warn,
	}
	if err := lw.dir(ctx, ""); err != nil {
		return lw.stats, err
	}
	if err := lw.tw.Close(); err != nil {
		return lw.stats, err
	}
	return lw.stats, nil
}

// dir writes the entries of the directory rel (relative to the root,
// "" for the root itself), recursively.
func (lw *layerWriter) dir(ctx context.Context, rel string) error {
	f, err := os.Open(filepath.Join(lw.root, rel))
	if err != nil {
		return readError(err)
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return readError(err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return context.Cause(ctx)
		}
		p := path.Join(rel, name)
		if strings.HasPrefix(name, ".wh.") {
			lw.warn(fmt.Sprintf("left out /%s: names starting with .wh. mean deletions in image layers", p))
			continue
		}
		descend, err := lw.entry(p)
		if err != nil {
			return err
		}
		if descend {
			if err := lw.dir(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// entry writes one path's header (and contents) and says whether it is a
// directory to descend into.
func (lw *layerWriter) entry(p string) (bool, error) {
	full := filepath.Join(lw.root, p)
	var st unix.Stat_t
	if err := unix.Lstat(full, &st); err != nil {
		return false, readError(&os.PathError{Op: "lstat", Path: full, Err: err})
	}
	hdr := &tar.Header{
		Name:    p,
		Mode:    int64(st.Mode & 0o7777),
		Uid:     int(st.Uid),
		Gid:     int(st.Gid),
		ModTime: time.Unix(st.Mtim.Sec, 0),
	}
	descend := false
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		hdr.Typeflag, hdr.Name = tar.TypeDir, p+"/"
		descend = uint64(st.Dev) == lw.rootDev
		if !descend {
			lw.warn(fmt.Sprintf("left out the contents of /%s: another file system is mounted there", p))
		}
	case unix.S_IFREG:
		hdr.Typeflag, hdr.Size = tar.TypeReg, st.Size
		if st.Nlink > 1 {
			key := [2]uint64{uint64(st.Dev), st.Ino}
			if first, ok := lw.links[key]; ok {
				hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
			} else {
				lw.links[key] = p
			}
		}
	case unix.S_IFLNK:
		target, err := os.Readlink(full)
		if err != nil {
			return false, readError(err)
		}
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, target
	case unix.S_IFCHR, unix.S_IFBLK:
		hdr.Typeflag = tar.TypeChar
		if st.Mode&unix.S_IFMT == unix.S_IFBLK {
			hdr.Typeflag = tar.TypeBlock
		}
		hdr.Devmajor, hdr.Devminor = int64(unix.Major(uint64(st.Rdev))), int64(unix.Minor(uint64(st.Rdev)))
	case unix.S_IFIFO:
		hdr.Typeflag = tar.TypeFifo
	default:
		lw.warn(fmt.Sprintf("left out /%s: a socket cannot be archived", p))
		return false, nil
	}
	xattrs, err := readXattrs(full)
	if err != nil {
		return false, readError(err)
	}
	if len(xattrs) > 0 {
		hdr.PAXRecords = map[string]string{}
		for k, v := range xattrs {
			hdr.PAXRecords["SCHILY.xattr."+k] = v
		}
	}
	if err := lw.tw.WriteHeader(hdr); err != nil {
		return false, fmt.Errorf("could not archive /%s: %w", p, err)
	}
	lw.stats.Entries++
	if hdr.Typeflag == tar.TypeReg && hdr.Size > 0 {
		if err := lw.contents(full, hdr.Size); err != nil {
			return false, err
		}
	}
	return descend, nil
}

// contents copies a regular file into the archive; a file that changes
// size while it is read is an error, not a corrupt layer.
func (lw *layerWriter) contents(full string, size int64) error {
	f, err := os.Open(full)
	if err != nil {
		return readError(err)
	}
	defer f.Close()
	n, err := io.CopyBuffer(lw.tw, io.LimitReader(f, size), lw.buf)
	if err != nil {
		if errors.Is(err, tar.ErrWriteTooLong) {
			return fmt.Errorf("%q changed while it was archived: import a root filesystem that nothing writes to", full)
		}
		return fmt.Errorf("could not archive %q: %w", full, err)
	}
	if n != size {
		return fmt.Errorf("%q changed while it was archived (%d bytes, expected %d): import a root filesystem that nothing writes to", full, n, size)
	}
	lw.stats.Bytes += n
	return nil
}

// readXattrs reads a path's extended attributes without following a
// symbolic link. File systems without them give none.
func readXattrs(full string) (map[string]string, error) {
	size, err := unix.Llistxattr(full, nil)
	if err != nil || size == 0 {
		if err == nil || errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) {
			return nil, nil
		}
		return nil, &os.PathError{Op: "listxattr", Path: full, Err: err}
	}
	buf := make([]byte, size)
	size, err = unix.Llistxattr(full, buf)
	if err != nil {
		return nil, &os.PathError{Op: "listxattr", Path: full, Err: err}
	}
	out := map[string]string{}
	for _, name := range strings.Split(strings.TrimRight(string(buf[:size]), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		vsize, err := unix.Lgetxattr(full, name, nil)
		if err != nil {
			if errors.Is(err, unix.ENODATA) {
				continue
			}
			return nil, &os.PathError{Op: "getxattr " + name, Path: full, Err: err}
		}
		val := make([]byte, vsize)
		vsize, err = unix.Lgetxattr(full, name, val)
		if err != nil {
			return nil, &os.PathError{Op: "getxattr " + name, Path: full, Err: err}
		}
		out[name] = string(val[:vsize])
	}
	return out, nil
}

// readError adds the usual fix to a permission error: a root filesystem
// has files only root may read.
func readError(err error) error {
	if errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM) {
		return fmt.Errorf("%w (a root filesystem has files only root may read: run the import as root)", err)
	}
	return err
}

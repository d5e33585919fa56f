//go:build linux

package image

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/tonistiigi/fsutil"
	"golang.org/x/sys/unix"
)

// ownerFixMount is where the owner-restoring script is mounted; BuildKit
// removes the mount point afterwards.
const ownerFixMount = "/.rehearse-owners"

// loadRootfs makes the LLB of a root filesystem directory: llb.Local of
// it, copied into scratch (so that later sessions sync only what changed),
// then, when the tree has files not owned by root, one layer that gives
// them back their owners.
//
// That layer is needed because BuildKit's client sends every local file
// as uid 0, gid 0 (client.Solve wraps each LocalMounts entry in a filter
// that resets them), so /etc/shadow would lose its shadow group and a home
// directory its user. The layer runs the image's /bin/sh with chown -h,
// chmod (chown clears setuid and setgid bits) and ln (for hard links) for
// each such path, as root with no network. An image imported with [Import] keeps
// owners in its tar and needs none of this.
func loadRootfs(ref Ref) (*Source, error) {
	st, err := os.Stat(ref.Dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("root filesystem %q does not exist", ref.Dir)
		}
		return nil, fmt.Errorf("could not read root filesystem %q: %w", ref.Dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("root filesystem %q is not a directory", ref.Dir)
	}
	owners, err := foreignOwners(ref.Dir)
	if err != nil {
		return nil, err
	}
	fsys, err := fsutil.NewFS(ref.Dir)
	if err != nil {
		return nil, fmt.Errorf("could not open root filesystem %q: %w", ref.Dir, err)
	}
	name := dirKey("rootfs", ref.Dir)
	dir := llb.Local(name, llb.SharedKeyHint(name), llb.WithCustomName("sync "+ref.Dir))
	state := llb.Scratch().File(llb.Copy(dir, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true}),
		llb.WithCustomName("image "+ref.String()))
	if len(owners) > 0 {
		if _, err := os.Stat(filepath.Join(ref.Dir, "bin", "sh")); err != nil {
			return nil, fmt.Errorf("root filesystem %q has %d paths not owned by root (such as %s) and no /bin/sh to give them back their owners, which BuildKit's client resets to root: import it with `rehearse image import %s` and use the oci-layout:// reference it prints",
				ref.Dir, len(owners), owners[0].path, ref.Dir)
		}
		script := llb.Scratch().File(llb.Mkfile("/owners.sh", 0o644, []byte(ownerScript(owners))),
			llb.WithCustomName("rehearse: owners script"))
		state = state.Run(
			llb.Args([]string{"/bin/sh", ownerFixMount + "/owners.sh"}),
			llb.AddMount(ownerFixMount, script, llb.Readonly),
			llb.User("0:0"),
			llb.Dir("/"),
			llb.Network(llb.NetModeNone),
			llb.WithCustomName(fmt.Sprintf("rehearse: restore the owners of %d paths", len(owners))),
		).Root()
	}
	return &Source{
		Ref:          ref,
		State:        state,
		Requirements: Requirements{LocalMounts: map[string]fsutil.FS{name: fsys}},
	}, nil
}

// ownedPath is a path of the tree, from its root, whose owner is not root.
type ownedPath struct {
	path     string
	uid, gid uint32
	mode     uint32 // permission bits with setuid, setgid, sticky
	symlink  bool
	// linkOf is the first path of the same file, for a hard link.
	linkOf string
}

// foreignOwners lists the paths of a tree not owned by uid 0 and gid 0,
// in walk order, staying on the tree's file system.
func foreignOwners(root string) ([]ownedPath, error) {
	var rootSt unix.Stat_t
	if err := unix.Lstat(root, &rootSt); err != nil {
		return nil, fmt.Errorf("could not read %q: %w", root, err)
	}
	var out []ownedPath
	firstLink := map[[2]uint64]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return readError(err)
		}
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			return readError(&os.PathError{Op: "lstat", Path: p, Err: err})
		}
		if d.IsDir() && p != root && st.Dev != rootSt.Dev {
			return filepath.SkipDir
		}
		if st.Uid == 0 && st.Gid == 0 {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		o := ownedPath{
			path: "/" + filepath.ToSlash(rel), uid: st.Uid, gid: st.Gid,
			mode: st.Mode & 0o7777, symlink: st.Mode&unix.S_IFMT == unix.S_IFLNK,
		}
		if st.Nlink > 1 && !d.IsDir() {
			key := [2]uint64{uint64(st.Dev), st.Ino}
			if first, ok := firstLink[key]; ok {
				o.linkOf = first
			} else {
				firstLink[key] = o.path
			}
		}
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("could not read root filesystem %q: %w", root, err)
	}
	return out, nil
}

// ownerScript gives each path its owner back, then its mode (chown clears
// setuid and setgid). A changed file is copied up into the new layer on
// its own, which breaks hard links, so further names of a file are linked
// again to the first one instead.
func ownerScript(owners []ownedPath) string {
	var b strings.Builder
	b.WriteString("set -e\n")
	for _, o := range owners {
		q := shellQuote(o.path)
		if o.linkOf != "" {
			fmt.Fprintf(&b, "ln -f %s %s\n", shellQuote(o.linkOf), q)
			continue
		}
		fmt.Fprintf(&b, "chown -h %d:%d %s\n", o.uid, o.gid, q)
		if !o.symlink {
			fmt.Fprintf(&b, "chmod %04o %s\n", o.mode, q)
		}
	}
	return b.String()
}

// shellQuote quotes s for sh in single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

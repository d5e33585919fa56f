//go:build linux

package image

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/solver/pb"
	"golang.org/x/sys/unix"
)

// ownedTree is a tree with paths owned by others than root: the case
// BuildKit's client flattens to root when it sends a local directory.
func ownedTree(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("making files owned by other users needs root")
	}
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "home", "dev's"), 0o750))
	must(os.WriteFile(filepath.Join(dir, "etc", "shadow"), nil, 0o640))
	must(os.WriteFile(filepath.Join(dir, "chage"), nil, 0o755))
	must(os.Symlink("chage", filepath.Join(dir, "link")))
	must(os.Lchown(filepath.Join(dir, "etc", "shadow"), 0, 42))
	must(os.Lchown(filepath.Join(dir, "chage"), 0, 42))
	must(unix.Chmod(filepath.Join(dir, "chage"), 0o2755))
	must(os.Lchown(filepath.Join(dir, "home", "dev's"), 1000, 1000))
	must(os.Lchown(filepath.Join(dir, "link"), 7, 8))
	must(os.Link(filepath.Join(dir, "chage"), filepath.Join(dir, "expiry")))
	return dir
}

func TestForeignOwners(t *testing.T) {
	t.Parallel()
	dir := ownedTree(t)
	owners, err := foreignOwners(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []ownedPath{
		{path: "/chage", uid: 0, gid: 42, mode: 0o2755},
		{path: "/etc/shadow", uid: 0, gid: 42, mode: 0o640},
		{path: "/expiry", uid: 0, gid: 42, mode: 0o2755, linkOf: "/chage"},
		{path: "/home/dev's", uid: 1000, gid: 1000, mode: 0o750},
		{path: "/link", uid: 7, gid: 8, mode: 0o777, symlink: true},
	}
	if d := cmp.Diff(want, owners, cmp.AllowUnexported(ownedPath{})); d != "" {
		t.Fatalf("foreignOwners (-want +got):\n%s", d)
	}
	wantScript := "set -e\n" +
		"chown -h 0:42 '/chage'\nchmod 2755 '/chage'\n" +
		"chown -h 0:42 '/etc/shadow'\nchmod 0640 '/etc/shadow'\n" +
		"ln -f '/chage' '/expiry'\n" +
		"chown -h 1000:1000 '/home/dev'\\''s'\nchmod 0750 '/home/dev'\\''s'\n" +
		"chown -h 7:8 '/link'\n"
	if d := cmp.Diff(wantScript, ownerScript(owners)); d != "" {
		t.Errorf("ownerScript (-want +got):\n%s", d)
	}
}

func TestLoadRootfsOwners(t *testing.T) {
	t.Parallel()
	dir := ownedTree(t)
	_, err := Load(Ref{Scheme: SchemeRootfs, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "no /bin/sh") || !strings.Contains(err.Error(), "rehearse image import "+dir) {
		t.Fatalf("Load of a tree with other owners and no shell = %v; want the import hint", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "sh"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := Load(Ref{Scheme: SchemeRootfs, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	chain := rootChain(t, src.State)
	last := chain[len(chain)-1].GetExec()
	if last == nil || mountAt(last, ownerFixMount) == nil || last.GetNetwork() != pb.NetMode_NONE || last.GetMeta().GetUser() != "0:0" {
		t.Fatalf("last layer %v; want the owners script run as root without network", chain[len(chain)-1])
	}
}

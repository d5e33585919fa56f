package image

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/sys/unix"
)

// tinyTree is a root filesystem with one of each kind of entry the layer
// must keep. Ownership and device nodes need root; xattrs need a file
// system with user xattrs. The booleans say what could be made.
type tinyTree struct {
	dir            string
	root, xattrsOK bool
}

func makeTinyTree(t *testing.T) tinyTree {
	t.Helper()
	dir := t.TempDir()
	tt := tinyTree{dir: dir, root: os.Geteuid() == 0}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"etc", "bin", "data", "dev", "tmp", "empty"} {
		must(os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	must(os.Chmod(filepath.Join(dir, "tmp"), 0o1777|os.ModeSticky))
	must(os.WriteFile(filepath.Join(dir, "etc", "passwd"), []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "bin", "tool"), []byte("#!/bin/sh\necho tool\n"), 0o755))
	must(unix.Chmod(filepath.Join(dir, "bin", "tool"), 0o4755))
	must(os.WriteFile(filepath.Join(dir, "data", "file"), []byte("contents"), 0o600))
	must(os.Link(filepath.Join(dir, "data", "file"), filepath.Join(dir, "data", "hard")))
	must(os.Symlink("data/file", filepath.Join(dir, "link")))
	must(os.Symlink("/etc/passwd", filepath.Join(dir, "etc", "abs-link")))
	must(unix.Mkfifo(filepath.Join(dir, "data", "fifo"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "data", ".wh.gone"), nil, 0o644))
	if l, err := net.Listen("unix", filepath.Join(dir, "data", "sock")); err == nil {
		t.Cleanup(func() { l.Close() })
	}
	if tt.root {
		must(os.Lchown(filepath.Join(dir, "data", "file"), 1234, 5678))
		// In data/, not dev/: a container gets its own /dev.
		must(unix.Mknod(filepath.Join(dir, "data", "null"), unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))))
		must(os.Chmod(filepath.Join(dir, "data", "null"), 0o666)) // mknod applies the umask
	}
	if err := unix.Lsetxattr(filepath.Join(dir, "data", "file"), "user.rehearse", []byte("yes"), 0); err == nil {
		tt.xattrsOK = true
	}
	return tt
}

// readLayer returns the headers of an imported layout's only layer.
func readLayer(t *testing.T, res *ImportResult) []*tar.Header {
	t.Helper()
	l, err := OpenLayout(res.Ref.Dir, "")
	if err != nil {
		t.Fatal(err)
	}
	var m ocispecs.Manifest
	readJSON(t, blobPath(l.Dir, l.Manifest.Digest), &m)
	f, err := os.Open(blobPath(l.Dir, m.Layers[0].Digest))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if m.Layers[0].MediaType == ocispecs.MediaTypeImageLayerZstd {
		zr, err := zstd.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	tr := tar.NewReader(r)
	var hdrs []*tar.Header
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return hdrs
		}
		if err != nil {
			t.Fatal(err)
		}
		hdrs = append(hdrs, h)
	}
}

func readJSON(t *testing.T, p string, v any) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
}

func TestImportLayerEntries(t *testing.T) {
	t.Parallel()
	for _, comp := range []Compression{CompressionZstd, CompressionNone} {
		t.Run(string(comp), func(t *testing.T) {
			t.Parallel()
			tt := makeTinyTree(t)
			var warnings []string
			res, err := Import(t.Context(), tt.dir, ImportOptions{
				Name: "tiny", Out: filepath.Join(t.TempDir(), "layout"), Compression: comp,
				Warn: func(m string) { warnings = append(warnings, m) },
			})
			if err != nil {
				t.Fatal(err)
			}
			type entry struct {
				Name     string
				Type     byte
				Mode     int64
				Owner    [2]int
				Link     string
				Dev      [2]int64
				Xattr    string
				HasMtime bool
			}
			var got []entry
			for _, h := range readLayer(t, res) {
				e := entry{Name: h.Name, Type: h.Typeflag, Mode: h.Mode, Owner: [2]int{h.Uid, h.Gid}, Link: h.Linkname,
					Dev: [2]int64{h.Devmajor, h.Devminor}, Xattr: h.PAXRecords["SCHILY.xattr.user.rehearse"],
					HasMtime: !h.ModTime.IsZero() && h.ModTime.Nanosecond() == 0 && h.AccessTime.IsZero() && h.ChangeTime.IsZero()}
				if h.Uname != "" || h.Gname != "" {
					t.Errorf("%s has owner names %q:%q; want numeric owners only", h.Name, h.Uname, h.Gname)
				}
				got = append(got, e)
			}
			me := [2]int{os.Getuid(), os.Getgid()}
			fileOwner, xattr := me, ""
			if tt.root {
				fileOwner = [2]int{1234, 5678}
			}
			if tt.xattrsOK {
				xattr = "yes"
			}
			want := []entry{
				{Name: "bin/", Type: tar.TypeDir, Mode: 0o755, Owner: me, HasMtime: true},
				{Name: "bin/tool", Type: tar.TypeReg, Mode: 0o4755, Owner: me, HasMtime: true},
				{Name: "data/", Type: tar.TypeDir, Mode: 0o755, Owner: me, HasMtime: true},
				{Name: "data/fifo", Type: tar.TypeFifo, Mode: 0o644, Owner: me, HasMtime: true},
				{Name: "data/file", Type: tar.TypeReg, Mode: 0o600, Owner: fileOwner, Xattr: xattr, HasMtime: true},
				{Name: "data/hard", Type: tar.TypeLink, Mode: 0o600, Owner: fileOwner, Link: "data/file", Xattr: xattr, HasMtime: true},
			}
			if tt.root {
				want = append(want, entry{Name: "data/null", Type: tar.TypeChar, Mode: 0o666, Owner: me, Dev: [2]int64{1, 3}, HasMtime: true})
			}
			want = append(want,
				entry{Name: "dev/", Type: tar.TypeDir, Mode: 0o755, Owner: me, HasMtime: true},
				entry{Name: "empty/", Type: tar.TypeDir, Mode: 0o755, Owner: me, HasMtime: true},
				entry{Name: "etc/", Type: tar.TypeDir, Mode: 0o755, Owner: me, HasMtime: true},
				entry{Name: "etc/abs-link", Type: tar.TypeSymlink, Mode: 0o777, Owner: me, Link: "/etc/passwd", HasMtime: true},
				entry{Name: "etc/passwd", Type: tar.TypeReg, Mode: 0o644, Owner: me, HasMtime: true},
				entry{Name: "link", Type: tar.TypeSymlink, Mode: 0o777, Owner: me, Link: "data/file", HasMtime: true},
				entry{Name: "tmp/", Type: tar.TypeDir, Mode: 0o1777, Owner: me, HasMtime: true},
			)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("layer entries (-want +got):\n%s", d)
			}
			if len(warnings) != 2 || !strings.Contains(strings.Join(warnings, "\n"), "/data/.wh.gone") || !strings.Contains(strings.Join(warnings, "\n"), "/data/sock: a socket") {
				t.Errorf("warnings = %q; want one for the whiteout name and one for the socket", warnings)
			}
			if res.Entries != len(got) {
				t.Errorf("Entries = %d, want %d", res.Entries, len(got))
			}
		})
	}
}

func TestImportLayout(t *testing.T) {
	t.Parallel()
	tt := makeTinyTree(t)
	out := filepath.Join(t.TempDir(), "layout")
	res, err := Import(t.Context(), tt.dir, ImportOptions{Name: "team/tiny", Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ref.String() != "oci-layout://"+out+"@"+res.Manifest.String() {
		t.Errorf("Ref = %s; want oci-layout://%s@%s", res.Ref, out, res.Manifest)
	}
	var lay ocispecs.ImageLayout
	readJSON(t, filepath.Join(out, "oci-layout"), &lay)
	if lay.Version != "1.0.0" {
		t.Errorf("oci-layout version %q", lay.Version)
	}
	var idx ocispecs.Index
	readJSON(t, filepath.Join(out, "index.json"), &idx)
	if len(idx.Manifests) != 1 || idx.MediaType != ocispecs.MediaTypeImageIndex {
		t.Fatalf("index.json = %+v; want one manifest", idx)
	}
	d := idx.Manifests[0]
	wantAnn := map[string]string{ocispecs.AnnotationRefName: "team/tiny", annotationContainerdName: "docker.io/team/tiny:latest"}
	if diff := cmp.Diff(wantAnn, d.Annotations); diff != "" || d.Digest != res.Manifest || d.MediaType != ocispecs.MediaTypeImageManifest {
		t.Errorf("index entry %+v; annotations (-want +got):\n%s", d, diff)
	}
	var m ocispecs.Manifest
	readJSON(t, blobPath(out, d.Digest), &m)
	if m.SchemaVersion != 2 || m.MediaType != ocispecs.MediaTypeImageManifest || m.Config.MediaType != ocispecs.MediaTypeImageConfig ||
		len(m.Layers) != 1 || m.Layers[0].MediaType != ocispecs.MediaTypeImageLayerZstd || m.Layers[0].Size != res.LayerSize {
		t.Errorf("manifest = %+v", m)
	}
	var cfg ocispecs.Image
	readJSON(t, blobPath(out, m.Config.Digest), &cfg)
	if cfg.OS != "linux" || cfg.Architecture != runtime.GOARCH || cfg.RootFS.Type != "layers" ||
		len(cfg.RootFS.DiffIDs) != 1 || cfg.RootFS.DiffIDs[0] != res.DiffID || cfg.Created != nil {
		t.Errorf("config = %+v; want linux/%s, the layer's diff_id %s and no creation time", cfg, runtime.GOARCH, res.DiffID)
	}
	l, err := OpenLayout(out, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Reference() != "docker.io/team/tiny@"+res.Manifest.String() {
		t.Errorf("Layout.Reference() = %q", l.Reference())
	}
}

func TestImportDeterministic(t *testing.T) {
	t.Parallel()
	tt := makeTinyTree(t)
	imp := func() *ImportResult {
		t.Helper()
		res, err := Import(t.Context(), tt.dir, ImportOptions{Name: "tiny", Out: filepath.Join(t.TempDir(), "l")})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := imp()
	// Reading the tree changes access times; sub-second parts of
	// modification times are not kept: neither changes the digest.
	p := filepath.Join(tt.dir, "etc", "passwd")
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	mt := st.ModTime().Truncate(time.Second).Add(123 * time.Millisecond)
	if err := os.Chtimes(p, time.Now().Add(time.Hour), mt); err != nil {
		t.Fatal(err)
	}
	if again := imp(); again.Manifest != first.Manifest || again.DiffID != first.DiffID {
		t.Fatalf("second import of the same tree: manifest %s, diff_id %s; first %s, %s", again.Manifest, again.DiffID, first.Manifest, first.DiffID)
	}
	if err := os.WriteFile(p, []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if changed := imp(); changed.Manifest == first.Manifest {
		t.Fatal("a changed file gave the same manifest digest")
	}
}

func TestImportIntoExistingLayout(t *testing.T) {
	t.Parallel()
	tt := makeTinyTree(t)
	out := filepath.Join(t.TempDir(), "layout")
	first, err := Import(t.Context(), tt.dir, ImportOptions{Name: "tiny", Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tt.dir, "etc", "new"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	second, err := Import(t.Context(), tt.dir, ImportOptions{Name: "tiny", Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if second.Manifest == first.Manifest {
		t.Fatal("re-import of a changed tree kept the manifest")
	}
	if _, err := os.Stat(blobPath(out, first.Manifest)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the first import's manifest blob is still there (err %v); want old blobs pruned", err)
	}
	entries, err := os.ReadDir(filepath.Join(out, "blobs", "sha256"))
	if err != nil || len(entries) != 3 {
		t.Errorf("blobs after re-import: %d (%v); want 3 (layer, config, manifest)", len(entries), err)
	}
	if _, err := OpenLayout(out, ""); err != nil {
		t.Error(err)
	}
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	tt := makeTinyTree(t)
	file := filepath.Join(tt.dir, "etc", "passwd")
	notLayout := t.TempDir()
	if err := os.WriteFile(filepath.Join(notLayout, "precious"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what  string
		dir   string
		opts  ImportOptions
		want  string
		input bool
	}{
		{"missing directory", filepath.Join(tt.dir, "nope"), ImportOptions{}, "does not exist", true},
		{"a file", file, ImportOptions{}, "is not a directory", true},
		{"bad name", tt.dir, ImportOptions{Name: "Bad Name", Out: t.TempDir()}, `image name "Bad Name" is not valid`, false},
		{"name with a tag", tt.dir, ImportOptions{Name: "tiny:1", Out: t.TempDir()}, "no tag", false},
		{"unknown compression", tt.dir, ImportOptions{Name: "tiny", Out: t.TempDir(), Compression: "gzip"}, `compression "gzip" is not known`, false},
		{"non-empty directory that is not a layout", tt.dir, ImportOptions{Name: "tiny", Out: notLayout}, "not empty and not an oci layout", false},
		{"output inside the tree", tt.dir, ImportOptions{Name: "tiny", Out: filepath.Join(tt.dir, "out")}, "inside the root filesystem", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			_, err := Import(t.Context(), tc.dir, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Import = %v; want an error saying %q", err, tc.want)
			}
			var in *InputError
			if errors.As(err, &in) != tc.input {
				t.Fatalf("Import error %v: InputError %v, want %v", err, !tc.input, tc.input)
			}
		})
	}
}

func TestImportCancelled(t *testing.T) {
	t.Parallel()
	tt := makeTinyTree(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Import(ctx, tt.dir, ImportOptions{Name: "tiny", Out: t.TempDir()}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Import with a cancelled context = %v; want context.Canceled", err)
	}
}

func TestNameFromDir(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/tmp/rootfs-Bookworm": "rootfs-bookworm",
		"/srv/My Image!":       "my-image",
		"/srv/___":             "rootfs",
		"/srv/debian_12.1":     "debian_12.1",
	} {
		if got := nameFromDir(in); got != want {
			t.Errorf("nameFromDir(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultLayoutDir(t *testing.T) {
	t.Setenv("REHEARSE_STATE_DIR", "/state")
	got, err := DefaultLayoutDir("team/bookworm")
	if err != nil || got != "/state/images/team/bookworm" {
		t.Fatalf("DefaultLayoutDir = %q, %v", got, err)
	}
}

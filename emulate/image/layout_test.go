package image

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// fakeLayout writes layouts by hand: manifests without real layers are
// enough for OpenLayout, which reads only indexes and manifests.
type fakeLayout struct {
	t   *testing.T
	dir string
}

func newFakeLayout(t *testing.T) *fakeLayout {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return &fakeLayout{t: t, dir: dir}
}

func (f *fakeLayout) blob(v any) ocispecs.Descriptor {
	f.t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		f.t.Fatal(err)
	}
	d := digest.FromBytes(data)
	if err := os.WriteFile(blobPath(f.dir, d), data, 0o644); err != nil {
		f.t.Fatal(err)
	}
	return ocispecs.Descriptor{Digest: d, Size: int64(len(data))}
}

// manifest writes a manifest whose config says arch; each is distinct.
func (f *fakeLayout) manifest(arch string) ocispecs.Descriptor {
	cfg := f.blob(map[string]string{"architecture": arch, "os": "linux"})
	cfg.MediaType = ocispecs.MediaTypeImageConfig
	d := f.blob(ocispecs.Manifest{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispecs.MediaTypeImageManifest, Config: cfg})
	d.MediaType = ocispecs.MediaTypeImageManifest
	return d
}

func (f *fakeLayout) index(ms ...ocispecs.Descriptor) ocispecs.Descriptor {
	d := f.blob(ocispecs.Index{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispecs.MediaTypeImageIndex, Manifests: ms})
	d.MediaType = ocispecs.MediaTypeImageIndex
	return d
}

func (f *fakeLayout) top(ms ...ocispecs.Descriptor) {
	f.t.Helper()
	data, err := json.Marshal(ocispecs.Index{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispecs.MediaTypeImageIndex, Manifests: ms})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "index.json"), data, 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func named(d ocispecs.Descriptor, name string) ocispecs.Descriptor {
	d.Annotations = map[string]string{ocispecs.AnnotationRefName: name}
	return d
}

func onPlatform(d ocispecs.Descriptor, os, arch string) ocispecs.Descriptor {
	d.Platform = &ocispecs.Platform{OS: os, Architecture: arch}
	return d
}

func TestOpenLayout(t *testing.T) {
	t.Parallel()
	host := runtime.GOARCH
	other := "s390x"
	tests := []struct {
		what string
		// build returns the digest to ask for and the manifest expected.
		build    func(f *fakeLayout) (ask, want digest.Digest)
		wantName string
	}{
		{"single image without digest", func(f *fakeLayout) (digest.Digest, digest.Digest) {
			m := f.manifest(host)
			f.top(named(m, "bookworm"))
			return "", m.Digest
		}, "docker.io/library/bookworm"},
		{"one of two images by digest", func(f *fakeLayout) (digest.Digest, digest.Digest) {
			a, b := f.manifest(host), f.manifest(other)
			f.top(named(a, "a"), named(b, "b"))
			return b.Digest, b.Digest
		}, "docker.io/library/b"},
		{"platform index resolved to this machine", func(f *fakeLayout) (digest.Digest, digest.Digest) {
			mine, theirs := f.manifest(host), f.manifest(other)
			attest := f.manifest("unknown")
			idx := f.index(onPlatform(theirs, "linux", other), onPlatform(attest, "unknown", "unknown"), onPlatform(mine, "linux", host))
			f.top(idx)
			return "", mine.Digest
		}, "docker.io/library/image"},
		{"nested index by digest, as buildkit's exporter writes", func(f *fakeLayout) (digest.Digest, digest.Digest) {
			mine := f.manifest(host)
			inner := f.index(onPlatform(mine, "linux", host))
			outer := f.index(inner)
			f.top(named(outer, "nested"))
			return outer.Digest, mine.Digest
		}, "docker.io/library/nested"},
		{"digest of a manifest not listed in index.json", func(f *fakeLayout) (digest.Digest, digest.Digest) {
			mine := f.manifest(host)
			f.top(f.index(onPlatform(mine, "linux", host)))
			return mine.Digest, mine.Digest
		}, "docker.io/library/image"},
		{"containerd name wins over ref.name", func(f *fakeLayout) (digest.Digest, digest.Digest) {
			m := f.manifest(host)
			m.Annotations = map[string]string{ocispecs.AnnotationRefName: "latest", annotationContainerdName: "ghcr.io/o/img:1"}
			f.top(m)
			return "", m.Digest
		}, "ghcr.io/o/img"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			f := newFakeLayout(t)
			ask, want := tc.build(f)
			l, err := OpenLayout(f.dir, ask)
			if err != nil {
				t.Fatal(err)
			}
			if l.Manifest.Digest != want || l.Manifest.MediaType != ocispecs.MediaTypeImageManifest || l.Manifest.Size == 0 {
				t.Errorf("manifest %+v; want %s", l.Manifest, want)
			}
			if l.Name != tc.wantName || l.Reference() != tc.wantName+"@"+want.String() {
				t.Errorf("name %q, reference %q; want %q", l.Name, l.Reference(), tc.wantName)
			}
		})
	}
}

func TestOpenLayoutErrors(t *testing.T) {
	t.Parallel()
	missing := digest.FromString("missing")
	tests := []struct {
		what  string
		build func(f *fakeLayout) (dir string, ask digest.Digest)
		want  []string
	}{
		{"two images without digest", func(f *fakeLayout) (string, digest.Digest) {
			a, b := f.manifest("amd64"), f.manifest("arm64")
			f.top(named(a, "first"), named(b, "second"))
			return f.dir, ""
		}, []string{"has 2 images", "oci-layout://DIR@sha256:DIGEST", "(first)", "(second)"}},
		{"no image", func(f *fakeLayout) (string, digest.Digest) {
			f.top()
			return f.dir, ""
		}, []string{"has no image in index.json"}},
		{"no platform for this machine", func(f *fakeLayout) (string, digest.Digest) {
			f.top(f.index(onPlatform(f.manifest("s390x"), "linux", "s390x"), onPlatform(f.manifest("ppc64le"), "linux", "ppc64le")))
			return f.dir, ""
		}, []string{"has no image for linux/" + runtime.GOARCH, "linux/ppc64le, linux/s390x"}},
		{"digest without blob", func(f *fakeLayout) (string, digest.Digest) {
			f.top(f.manifest("amd64"))
			return f.dir, missing
		}, []string{"has no blob " + missing.String()}},
		{"corrupt blob", func(f *fakeLayout) (string, digest.Digest) {
			m := f.manifest("amd64")
			f.top(m)
			if err := os.WriteFile(blobPath(f.dir, m.Digest), []byte(`{"mediaType":"x"}`), 0o644); err != nil {
				t.Fatal(err)
			}
			return f.dir, ""
		}, []string{"is corrupt"}},
		{"a config is not a manifest", func(f *fakeLayout) (string, digest.Digest) {
			cfg := f.blob(map[string]string{"mediaType": "application/vnd.oci.image.config.v1+json"})
			f.top(cfg)
			return f.dir, ""
		}, []string{"not an image manifest or index"}},
		{"not a layout", func(f *fakeLayout) (string, digest.Digest) {
			os.Remove(filepath.Join(f.dir, "oci-layout"))
			return f.dir, ""
		}, []string{"is not an oci layout", "oci-layout file"}},
		{"missing directory", func(f *fakeLayout) (string, digest.Digest) {
			return filepath.Join(f.dir, "nope"), ""
		}, []string{"does not exist", "rehearse image import"}},
		{"no index.json", func(f *fakeLayout) (string, digest.Digest) {
			return f.dir, ""
		}, []string{"index.json"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			f := newFakeLayout(t)
			dir, ask := tc.build(f)
			_, err := OpenLayout(dir, ask)
			if err == nil {
				t.Fatal("OpenLayout succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("OpenLayout error %q does not say %q", err, w)
				}
			}
		})
	}
}

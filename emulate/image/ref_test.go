package image

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	digest "github.com/opencontainers/go-digest"
)

func TestParseRef(t *testing.T) {
	t.Parallel()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dgst := digest.Digest("sha256:" + strings.Repeat("ab", 32))
	tests := []struct {
		what  string
		input string
		want  Ref
	}{
		{"bare name is docker-image, normalized with latest", "ubuntu", Ref{Scheme: SchemeDockerImage, Name: "docker.io/library/ubuntu:latest"}},
		{"bare name with tag", "ubuntu:24.04", Ref{Scheme: SchemeDockerImage, Name: "docker.io/library/ubuntu:24.04"}},
		{"docker-image scheme", "docker-image://ubuntu:22.04", Ref{Scheme: SchemeDockerImage, Name: "docker.io/library/ubuntu:22.04"}},
		{"user repository on docker hub", "catthehacker/ubuntu:act-latest", Ref{Scheme: SchemeDockerImage, Name: "docker.io/catthehacker/ubuntu:act-latest"}},
		{"other registry", "docker-image://ghcr.io/owner/img:1", Ref{Scheme: SchemeDockerImage, Name: "ghcr.io/owner/img:1"}},
		{"registry with port", "127.0.0.1:5000/test/bookworm", Ref{Scheme: SchemeDockerImage, Name: "127.0.0.1:5000/test/bookworm:latest"}},
		{"pinned by digest", "ubuntu@" + dgst.String(), Ref{Scheme: SchemeDockerImage, Name: "docker.io/library/ubuntu@" + dgst.String()}},
		{"surrounding spaces", "  ubuntu:24.04 ", Ref{Scheme: SchemeDockerImage, Name: "docker.io/library/ubuntu:24.04"}},
		{"oci layout", "oci-layout:///srv/img", Ref{Scheme: SchemeOCILayout, Dir: "/srv/img"}},
		{"oci layout with digest", "oci-layout:///srv/img@" + dgst.String(), Ref{Scheme: SchemeOCILayout, Dir: "/srv/img", Digest: dgst}},
		{"oci layout relative", "oci-layout://img", Ref{Scheme: SchemeOCILayout, Dir: filepath.Join(wd, "img")}},
		{"oci layout dir with @ but no digest", "oci-layout:///srv/a@b", Ref{Scheme: SchemeOCILayout, Dir: "/srv/a@b"}},
		{"rootfs", "rootfs:///srv/rootfs/", Ref{Scheme: SchemeRootfs, Dir: "/srv/rootfs"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			got, err := ParseRef(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Fatalf("ParseRef(%q) (-want +got):\n%s", tc.input, d)
			}
			again, err := ParseRef(got.String())
			if err != nil || again != got {
				t.Fatalf("ParseRef(%q) = %+v, %v; want the same Ref back from its String", got.String(), again, err)
			}
		})
	}
}

func TestParseRefErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, input, want string
	}{
		{"empty", "", "empty reference"},
		{"host is not an image", "host", "host is this machine"},
		{"no name", "docker-image://", "no image name"},
		{"uppercase", "Ubuntu:24.04", "not a registry reference"},
		{"unknown scheme", "podman://x", `unknown scheme "podman://"`},
		{"docker scheme of uses:", "docker://ubuntu", "did you mean docker-image://ubuntu"},
		{"layout without dir", "oci-layout://", "no directory"},
		{"layout bad digest", "oci-layout:///x@sha256:zz", "bad digest"},
		{"rootfs without dir", "rootfs://", "no directory"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			_, err := ParseRef(tc.input)
			if err == nil {
				t.Fatalf("ParseRef(%q) succeeded", tc.input)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "accepted forms: docker-image://") {
				t.Fatalf("ParseRef(%q) = %v; want it to say %q and list the accepted forms", tc.input, err, tc.want)
			}
		})
	}
}

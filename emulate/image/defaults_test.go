package image

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/solver/pb"
)

func TestDefaultFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		label, ref, imageOS string
		libssl              string
	}{
		{"ubuntu-latest", "docker-image://docker.io/library/ubuntu:24.04", "ubuntu24", "libssl3t64"},
		{"ubuntu-24.04", "docker-image://docker.io/library/ubuntu:24.04", "ubuntu24", "libssl3t64"},
		{"ubuntu-22.04", "docker-image://docker.io/library/ubuntu:22.04", "ubuntu22", "libssl3"},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			d, ok := DefaultFor(tc.label)
			if !ok {
				t.Fatal("no default")
			}
			if d.Label != tc.label || d.Ref != tc.ref || d.ImageOS != tc.imageOS || !slices.Contains(d.Packages, tc.libssl) {
				t.Errorf("DefaultFor(%q) = %+v; want %s, ImageOS %s, with %s", tc.label, d, tc.ref, tc.imageOS, tc.libssl)
			}
			for _, p := range []string{"bash", "git", "curl", "ca-certificates", "sudo", "xz-utils", "zstd", "lsb-release", "libffi8", "libsqlite3-0", "zlib1g"} {
				if !slices.Contains(d.Packages, p) {
					t.Errorf("%s: package %s missing", tc.label, p)
				}
			}
		})
	}
	for _, label := range []string{"windows-latest", "macos-14", "self-hosted", "ubuntu-20.04", ""} {
		if _, ok := DefaultFor(label); ok {
			t.Errorf("DefaultFor(%q) has a default", label)
		}
	}
	if d := cmp.Diff([]string{"ubuntu-22.04", "ubuntu-24.04", "ubuntu-latest"}, DefaultLabels()); d != "" {
		t.Errorf("DefaultLabels (-want +got):\n%s", d)
	}
	a, _ := DefaultFor("ubuntu-latest")
	a.Packages[0] = "changed"
	if b, _ := DefaultFor("ubuntu-latest"); b.Packages[0] == "changed" {
		t.Error("DefaultFor shares its package list with callers")
	}
}

func TestDefaultSourceLLB(t *testing.T) {
	t.Parallel()
	d, _ := DefaultFor("ubuntu-latest")
	src, err := d.Source()
	if err != nil {
		t.Fatal(err)
	}
	chain := rootChain(t, src.State)
	if len(chain) != 3 {
		t.Fatalf("%d layers; want image, apt, prepare", len(chain))
	}
	if id := chain[0].GetSource().GetIdentifier(); id != "docker-image://docker.io/library/ubuntu:24.04" {
		t.Errorf("base %q", id)
	}
	apt := chain[1].GetExec()
	script := strings.Join(apt.GetMeta().GetArgs(), " ")
	if !strings.Contains(script, "apt-get update") || !strings.Contains(script, "--no-install-recommends "+strings.Join(d.Packages, " ")) ||
		!strings.Contains(script, "rm -rf /var/lib/apt/lists/*") {
		t.Errorf("apt layer runs %q", script)
	}
	if apt.GetNetwork() != pb.NetMode_UNSET || apt.GetMeta().GetUser() != "0:0" {
		t.Errorf("apt layer: network %v user %q; want the daemon's network (unset) as root", apt.GetNetwork(), apt.GetMeta().GetUser())
	}
	prep := chain[2].GetExec()
	if prep.GetNetwork() != pb.NetMode_NONE || mountAt(prep, prepareMount) == nil {
		t.Errorf("last layer is not the preparation: %v", prep)
	}
	if len(src.Requirements.OCIStores)+len(src.Requirements.LocalMounts) != 0 {
		t.Errorf("default image needs %+v from the session; want nothing", src.Requirements)
	}
}

// TestLabelImages: a label's default image is its base image with the apt
// layer and the preparation; an image given with -P gets the preparation
// only (what the container executor does with each, jobSource).
func TestLabelImages(t *testing.T) {
	t.Parallel()
	d, ok := DefaultFor("ubuntu-22.04")
	if !ok {
		t.Fatal("ubuntu-22.04 has no default image")
	}
	src, err := d.Source()
	if err != nil {
		t.Fatal(err)
	}
	if id := rootChain(t, src.State)[0].GetSource().GetIdentifier(); id != "docker-image://docker.io/library/ubuntu:22.04" {
		t.Errorf("ubuntu-22.04 runs on %q", id)
	}
	ref, err := ParseRef("debian:12")
	if err != nil {
		t.Fatal(err)
	}
	src, err = Load(ref)
	if err != nil {
		t.Fatal(err)
	}
	src.State = Prepare(src.State)
	chain := rootChain(t, src.State)
	if len(chain) != 2 || chain[0].GetSource().GetIdentifier() != "docker-image://docker.io/library/debian:12" || mountAt(chain[1].GetExec(), prepareMount) == nil {
		t.Errorf("-P ubuntu-latest=debian:12 gives %v; want debian:12 and the preparation, no apt layer", chain)
	}
}

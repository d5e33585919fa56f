package placement

import (
	"testing"
	"time"

	"github.com/containerd/platforms"
	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// t0 is the tests' "now"; record entries and mounts are placed around it.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var (
	amd64 = platforms.MustParse("linux/amd64")
	arm64 = platforms.MustParse("linux/arm64")
)

const (
	imgRef = "docker-image://ubuntu:24.04"
	imgDig = digest.Digest("sha256:1111111111111111111111111111111111111111111111111111111111111111")
	depKey = "sha256:requirements-a"
)

// bld is a reachable builder of capacity jobs running plats.
func bld(name string, jobs int, plats ...specs.Platform) Builder {
	if len(plats) == 0 {
		plats = []specs.Platform{amd64}
	}
	return Builder{Name: name, Reachable: true, Jobs: jobs, Platforms: plats}
}

// warm makes b hold the test image and a pip cache mount made a day
// before t0.
func warm(b Builder) Builder {
	b.Images = map[digest.Digest]bool{imgDig: true}
	b.PipCache = Mount{Present: true, Created: t0.Add(-24 * time.Hour)}
	return b
}

// cell is a linux/amd64 cell of the test image and dependency key.
func cell(key string) Cell {
	return Cell{Key: key, Platform: amd64, Image: imgRef, ImageDigest: imgDig, DepKey: depKey}
}

// recordOf is an unsaved record holding entries.
func recordOf(entries ...Entry) *Record {
	r := &Record{}
	r.reset()
	for _, e := range entries {
		r.add(e)
	}
	return r
}

// newPlacer is a placer on fleet and rec with the clock at t0.
func newPlacer(t testing.TB, fleet []Builder, rec *Record) *Placer {
	t.Helper()
	p, err := New(fleet, Options{Record: rec, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mustRun places c and fails unless it runs on builder.
func mustRun(t testing.TB, p *Placer, c Cell, builder string) {
	t.Helper()
	if d := p.Place(c); d.Action != Run || d.Builder != builder {
		t.Fatalf("placing %s: got %+v, want it run on %s", c.Key, d, builder)
	}
}

// specsOS is amd64 on another OS.
func specsOS(os string) specs.Platform {
	return specs.Platform{OS: os, Architecture: "amd64"}
}

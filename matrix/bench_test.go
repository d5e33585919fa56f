package matrix

import (
	"fmt"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// benchSpec is a 4x4x4x4 matrix with a matching include, two excludes and
// two unmatched includes: 256 jobs, the most GitHub allows.
func benchSpec() Spec {
	return Spec{
		Axes: []Axis{
			axis("os", "ubuntu-latest", "windows-latest", "macos-latest", "ubuntu-24.04-arm"),
			axis("python", 3.9, 3.1, 3.11, 3.12),
			axis("node", obj("version", 18), obj("version", 20), obj("version", 22), obj("version", 24)),
			axis("debug", true, false, "maybe", nil),
		},
		Include: []*expr.Object{
			obj("os", "windows-latest", "shell", "pwsh"),
			obj("os", "freebsd", "python", 3.12),
			obj("os", "solaris", "python", 3.12),
		},
		Exclude: []*expr.Object{
			obj("os", "macos-latest", "python", "3.9", "node", obj("version", 18), "debug", true),
			obj("os", "MACOS-LATEST", "python", 3.1, "node", obj("version", 20), "debug", "Maybe"),
		},
	}
}

func BenchmarkExpand(b *testing.B) {
	s := benchSpec()
	for b.Loop() {
		cells, err := Expand(s)
		if err != nil || len(cells) != 256 {
			b.Fatalf("got %d cells, %v", len(cells), err)
		}
	}
}

func BenchmarkDisplayName(b *testing.B) {
	cells, err := Expand(benchSpec())
	if err != nil || len(cells) != 256 {
		b.Fatalf("got %d cells, %v", len(cells), err)
	}
	for b.Loop() {
		for _, c := range cells {
			if DisplayName("build", false, c) == "" {
				b.Fatal("empty name")
			}
		}
	}
}

// BenchmarkExpandHostile: each of the hostile shapes (a long axis, long
// exclude and include lists); each expands or fails in milliseconds, where
// walking every combination took from seconds to hours.
func BenchmarkExpandHostile(b *testing.B) {
	for _, h := range hostileSpecs() {
		b.Run(h.what, func(b *testing.B) {
			s := h.spec()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Expand(s); fmt.Sprint(err) != fmt.Sprint(nilIfEmpty(h.err)) {
					b.Fatalf("error %v, want %q", err, h.err)
				}
			}
		})
	}
}

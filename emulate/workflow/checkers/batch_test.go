package checkers

import (
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestSplit: the parts cover the scripts in order, one part per core at
// most unless a part would pass maxFilesPerProcess, and weigh about the
// same.
func TestSplit(t *testing.T) {
	t.Parallel()
	cores := runtime.NumCPU()
	for _, tc := range []struct {
		what  string
		sizes []int
	}{
		{"one script", []int{10}},
		{"fewer scripts than cores", make([]int, max(cores-1, 1))},
		{"many equal scripts", slices.Repeat([]int{20}, 1000)},
		{"one large script among small ones", append([]int{128 << 10}, slices.Repeat([]int{20}, 99)...)},
		{"more than maxFilesPerProcess per core", slices.Repeat([]int{5}, cores*maxFilesPerProcess+1)},
	} {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			texts := make([]string, len(tc.sizes))
			idx := make([]int, len(tc.sizes))
			for i, n := range tc.sizes {
				texts[i] = strings.Repeat("x", n)
				idx[i] = i
			}
			parts := split(idx, texts)
			if got := slices.Concat(parts...); !slices.Equal(got, idx) {
				t.Fatalf("parts do not cover the scripts in order: %v", parts)
			}
			want := max(min(len(idx), cores), (len(idx)+maxFilesPerProcess-1)/maxFilesPerProcess)
			if len(parts) > want {
				t.Errorf("%d parts, want at most %d", len(parts), want)
			}
			heaviest, total := 0, 0
			for _, p := range parts {
				if len(p) > maxFilesPerProcess {
					t.Errorf("a part of %d files, over %d", len(p), maxFilesPerProcess)
				}
				w := 0
				for _, i := range p {
					w += len(texts[i]) + perFileWeight
				}
				heaviest, total = max(heaviest, w), total+w
			}
			// A part may exceed its share by one script at most.
			if limit := total/len(parts) + 128<<10 + perFileWeight; heaviest > limit {
				t.Errorf("heaviest part weighs %d, over %d", heaviest, limit)
			}
			if len(idx) >= cores && len(idx) <= maxFilesPerProcess && len(parts) != cores {
				t.Errorf("%d parts for %d scripts, want one per core (%d)", len(parts), len(idx), cores)
			}
		})
	}
}

// TestUnique: repeated keys are checked once and map back to their first.
func TestUnique(t *testing.T) {
	t.Parallel()
	distinct, of := unique([]string{"a", "b", "a", "c", "b"})
	if !slices.Equal(distinct, []int{0, 1, 3}) || !slices.Equal(of, []int{0, 1, 0, 2, 1}) {
		t.Errorf("unique = %v, %v", distinct, of)
	}
}

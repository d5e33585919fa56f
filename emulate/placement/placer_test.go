package placement

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// entryAt is a record entry of the test image and dependency key on
// builder, ago before t0.
func entryAt(builder string, ago time.Duration) Entry {
	return Entry{Builder: builder, Image: imgRef, Digest: imgDig, DepKey: depKey, At: t0.Add(-ago)}
}

func TestPlace(t *testing.T) {
	t.Parallel()
	busy := func(b Builder, n int) Builder { b.Running = n; return b }
	armCell := func(key string) Cell { c := cell(key); c.Platform = arm64; return c }
	tests := []struct {
		what    string
		fleet   []Builder
		record  []Entry
		setup   func(t *testing.T, p *Placer)
		cell    Cell
		want    Decision
		wantNot string // a builder the decision must not be
	}{
		{
			what:  "platform filter: the arm64 cell goes to the arm64 builder",
			fleet: []Builder{bld("b1", 4), bld("b2", 2, arm64)},
			cell:  armCell("c"),
			want:  Decision{Action: Run, Builder: "b2", Reason: "only builder with linux/arm64 (0 of 2 slots busy)"},
		},
		{
			what:  "a worker's arm64/v8 runs a linux/arm64 cell",
			fleet: []Builder{bld("b1", 4), bld("b2", 2, specs.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"})},
			cell:  armCell("c"),
			want:  Decision{Action: Run, Builder: "b2", Reason: "only builder with linux/arm64 (0 of 2 slots busy)"},
		},
		{
			what:  "no builder runs the platform: the reason names those that exist",
			fleet: []Builder{bld("b1", 4, amd64, specs.Platform{OS: "linux", Architecture: "386"}), bld("b2", 4)},
			cell:  armCell("c"),
			want:  Decision{Action: NoBuilder, Reason: "no builder can run linux/arm64: the reachable builders run linux/amd64, linux/386"},
		},
		{
			what:  "no builder runs the platform, and an unreachable one is named",
			fleet: []Builder{bld("b1", 4), {Name: "b2", Why: "connection refused"}},
			cell:  armCell("c"),
			want:  Decision{Action: NoBuilder, Reason: "no builder can run linux/arm64: the reachable builders run linux/amd64; b2 is unreachable (connection refused)"},
		},
		{
			what:  "the only builder of the platform is unreachable",
			fleet: []Builder{bld("b1", 4), {Name: "b2", Why: "connection refused", Platforms: []specs.Platform{arm64}}},
			cell:  armCell("c"),
			want:  Decision{Action: NoBuilder, Reason: "no reachable builder can run linux/arm64; b2 is unreachable (connection refused)"},
		},
		{
			what:  "builders known to run other platforms are not named as down",
			fleet: []Builder{bld("b1", 4), {Name: "b2", Why: "connection refused", Platforms: []specs.Platform{amd64}}, bld("b3", 4)},
			setup: func(t *testing.T, p *Placer) { p.Lost("b3", "connection reset") },
			cell:  armCell("c"),
			want:  Decision{Action: NoBuilder, Reason: "no builder can run linux/arm64: the reachable builders run linux/amd64"},
		},
		{
			what: "no builders at all",
			cell: cell("c"),
			want: Decision{Action: NoBuilder, Reason: "no builders: give one with --builder"},
		},
		{
			what:  "capacity: a full builder is passed over",
			fleet: []Builder{busy(bld("b1", 2), 2), bld("b2", 2)},
			cell:  cell("c"),
			want:  Decision{Action: Run, Builder: "b2", Reason: "only builder with linux/amd64 and a free slot (0 of 2 slots busy)"},
		},
		{
			what:   "affinity preferred over load: image and warm pip cache",
			fleet:  []Builder{bld("b1", 4), busy(warm(bld("b2", 4)), 3)},
			record: []Entry{entryAt("b2", time.Hour)},
			cell:   cell("c"),
			want:   Decision{Action: Run, Builder: "b2", Reason: "holds image and warm pip cache (3 of 4 slots busy)"},
		},
		{
			what:  "a warm pip cache outweighs a held image",
			fleet: []Builder{warm(bld("b1", 4)), warm(bld("b2", 4))},
			// b1 ran another dependency key; b2 ran this one.
			record: []Entry{{Builder: "b1", DepKey: "other", At: t0.Add(-time.Hour)}, {Builder: "b2", DepKey: depKey, At: t0.Add(-time.Hour)}},
			cell:   Cell{Key: "c", Platform: amd64, Image: "docker-image://debian:13", ImageDigest: "sha256:other", DepKey: depKey},
			want:   Decision{Action: Run, Builder: "b2", Reason: "holds warm pip cache (0 of 4 slots busy)"},
		},
		{
			what:  "the image alone is affinity",
			fleet: []Builder{bld("b1", 4), warm(bld("b2", 4))},
			cell:  Cell{Key: "c", Platform: amd64, Image: imgRef, ImageDigest: imgDig},
			want:  Decision{Action: Run, Builder: "b2", Reason: "holds image (0 of 4 slots busy)"},
		},
		{
			what:   "without a digest in the cell, the record's digest for the reference is checked",
			fleet:  []Builder{bld("b1", 4), warm(bld("b2", 4))},
			record: []Entry{{Builder: "b2", Image: imgRef, Digest: imgDig, At: t0.Add(-time.Hour)}},
			cell:   Cell{Key: "c", Platform: amd64, Image: imgRef},
			want:   Decision{Action: Run, Builder: "b2", Reason: "holds image (0 of 4 slots busy)"},
		},
		{
			what: "stale affinity: the pip cache mount was made after the entry (pruned since)",
			fleet: []Builder{bld("b1", 4), func() Builder {
				b := bld("b2", 4)
				b.PipCache = Mount{Present: true, Created: t0.Add(-time.Minute)}
				return b
			}()},
			record: []Entry{{Builder: "b2", DepKey: depKey, At: t0.Add(-time.Hour)}},
			cell:   cell("c"),
			want:   Decision{Action: Run, Builder: "b1", Reason: "least loaded (0 of 4 slots busy)"},
		},
		{
			what:   "stale affinity: the builder reports no pip cache mount",
			fleet:  []Builder{bld("b1", 4), bld("b2", 4)},
			record: []Entry{{Builder: "b2", DepKey: depKey, At: t0.Add(-time.Hour)}},
			cell:   cell("c"),
			want:   Decision{Action: Run, Builder: "b1", Reason: "least loaded (0 of 4 slots busy)"},
		},
		{
			what:   "stale affinity: the builder no longer reports the recorded digest",
			fleet:  []Builder{bld("b1", 4), bld("b2", 4)},
			record: []Entry{{Builder: "b2", Image: imgRef, Digest: imgDig, At: t0.Add(-time.Hour)}},
			cell:   Cell{Key: "c", Platform: amd64, Image: imgRef},
			want:   Decision{Action: Run, Builder: "b1", Reason: "least loaded (0 of 4 slots busy)"},
		},
		{
			what:  "least loaded",
			fleet: []Builder{busy(bld("b1", 4), 2), busy(bld("b2", 4), 1), busy(bld("b3", 4), 3)},
			cell:  cell("c"),
			want:  Decision{Action: Run, Builder: "b2", Reason: "least loaded (1 of 4 slots busy)"},
		},
		{
			what:  "least loaded is by share of slots: 2 of 8 beats 1 of 2",
			fleet: []Builder{busy(bld("b1", 2), 1), busy(bld("b2", 8), 2)},
			cell:  cell("c"),
			want:  Decision{Action: Run, Builder: "b2", Reason: "least loaded (2 of 8 slots busy)"},
		},
		{
			what:  "ties go to the builder given first",
			fleet: []Builder{busy(bld("b1", 4), 1), busy(bld("b2", 4), 1)},
			cell:  cell("c"),
			want:  Decision{Action: Run, Builder: "b1", Reason: "least loaded (1 of 4 slots busy)"},
		},
		{
			what:  "ties go to the builder given first, in the other order",
			fleet: []Builder{busy(bld("b2", 4), 1), busy(bld("b1", 4), 1)},
			cell:  cell("c"),
			want:  Decision{Action: Run, Builder: "b2", Reason: "least loaded (1 of 4 slots busy)"},
		},
		{
			what:   "affinity ties go to the less loaded, then the first",
			fleet:  []Builder{busy(warm(bld("b1", 4)), 2), busy(warm(bld("b2", 4)), 1), busy(warm(bld("b3", 4)), 1)},
			record: []Entry{entryAt("b1", time.Hour), entryAt("b2", time.Hour), entryAt("b3", time.Hour)},
			cell:   cell("c"),
			want:   Decision{Action: Run, Builder: "b2", Reason: "holds image and warm pip cache (1 of 4 slots busy)"},
		},
		{
			what:   "the warm builder is full: the cell goes elsewhere, and the reason says so",
			fleet:  []Builder{bld("b1", 4), busy(warm(bld("b2", 2)), 2)},
			record: []Entry{entryAt("b2", time.Hour)},
			cell:   cell("c"),
			want:   Decision{Action: Run, Builder: "b1", Reason: "only builder with linux/amd64 and a free slot (0 of 4 slots busy); b2 holds image and warm pip cache but is full"},
		},
		{
			what:  "all full: wait",
			fleet: []Builder{busy(bld("b1", 2), 2), busy(bld("b2", 2), 2), bld("b3", 2, arm64)},
			cell:  cell("c"),
			want:  Decision{Action: Wait, Reason: "all 2 builders with linux/amd64 are busy (4 of 4 slots)"},
		},
		{
			what:  "the only builder of the platform is full: wait",
			fleet: []Builder{bld("b1", 4), busy(bld("b2", 2, arm64), 2)},
			cell:  armCell("c"),
			want:  Decision{Action: Wait, Reason: "the only builder with linux/arm64, b2, is busy (2 of 2 slots)"},
		},
		{
			what:  "capacity defaults to the CPUs, then the workers",
			fleet: []Builder{{Name: "b1", Reachable: true, Platforms: []specs.Platform{amd64}, CPUs: 3, Workers: 1, Running: 2}},
			cell:  cell("c"),
			want:  Decision{Action: Run, Builder: "b1", Reason: "only builder with linux/amd64 (2 of 3 slots busy)"},
		},
		{
			what:  "retry excludes the lost builder",
			fleet: []Builder{warm(bld("b1", 4)), bld("b2", 4), busy(bld("b3", 4), 1)},
			setup: func(t *testing.T, p *Placer) {
				mustRun(t, p, cell("c"), "b1")
				if got := p.Lost("b1", "connection reset"); !cmp.Equal(got, []string{"c"}) {
					t.Fatalf("Lost returned %q, want [c]", got)
				}
			},
			cell:    cell("c"),
			want:    Decision{Action: Run, Builder: "b2", Retry: true, Reason: "retried on b2 after b1 was lost: connection reset; least loaded (0 of 4 slots busy)"},
			wantNot: "b1",
		},
		{
			what:  "a retry waits when the other builders are full",
			fleet: []Builder{bld("b1", 4), busy(bld("b2", 1), 1)},
			setup: func(t *testing.T, p *Placer) {
				mustRun(t, p, cell("c"), "b1")
				p.Lost("b1", "daemon died")
			},
			cell: cell("c"),
			want: Decision{Action: Wait, Retry: true, Reason: "to be retried after b1 was lost: daemon died; the only builder with linux/amd64, b2, is busy (1 of 1 slots)"},
		},
		{
			what:  "lost twice: failed because of the builder",
			fleet: []Builder{bld("b1", 4), bld("b2", 4), bld("b3", 4)},
			setup: func(t *testing.T, p *Placer) {
				mustRun(t, p, cell("c"), "b1")
				p.Lost("b1", "connection reset")
				mustRun(t, p, cell("c"), "b2")
				p.Lost("b2", "daemon died")
			},
			cell: cell("c"),
			want: Decision{Action: Fail, Retry: true, Reason: "lost twice to a builder: b1 was lost (connection reset), then b2 was lost (daemon died)"},
		},
		{
			what:  "lost once with no other builder for the platform: failed because of the builder",
			fleet: []Builder{bld("b1", 4, arm64), bld("b2", 4)},
			setup: func(t *testing.T, p *Placer) {
				mustRun(t, p, armCell("c"), "b1")
				p.Lost("b1", "connection reset")
			},
			cell: armCell("c"),
			want: Decision{Action: Fail, Retry: true, Reason: "b1 was lost: connection reset; no other builder can run linux/arm64"},
		},
		{
			what:  "a lost builder takes no new cells, which are not retries",
			fleet: []Builder{bld("b1", 4), busy(bld("b2", 4), 3)},
			setup: func(t *testing.T, p *Placer) { p.Lost("b1", "connection reset") },
			cell:  cell("c"),
			want:  Decision{Action: Run, Builder: "b2", Reason: "only builder with linux/amd64 (3 of 4 slots busy)"},
		},
		{
			what:  "no reachable builder left for the platform: the lost one is named",
			fleet: []Builder{bld("b1", 4, arm64), bld("b2", 4)},
			setup: func(t *testing.T, p *Placer) { p.Lost("b1", "connection reset") },
			cell:  armCell("c"),
			want:  Decision{Action: NoBuilder, Reason: "no reachable builder can run linux/arm64; b1 was lost (connection reset)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p := newPlacer(t, tc.fleet, recordOf(tc.record...))
			if tc.setup != nil {
				tc.setup(t, p)
			}
			got := p.Place(tc.cell)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Place(%s) (-want +got):\n%s", tc.cell.Key, diff)
			}
			if tc.wantNot != "" && got.Builder == tc.wantNot {
				t.Errorf("Place(%s) chose %s", tc.cell.Key, tc.wantNot)
			}
		})
	}
}

func TestPlaceTakesTheSlotAndFinishFreesIt(t *testing.T) {
	t.Parallel()
	p := newPlacer(t, []Builder{bld("b1", 2)}, nil)
	mustRun(t, p, cell("c1"), "b1")
	mustRun(t, p, cell("c2"), "b1")
	if d := p.Place(cell("c3")); d.Action != Wait {
		t.Fatalf("third cell on a builder of 2 slots: got %+v, want wait", d)
	}
	if d := p.Place(cell("c1")); d.Action != Run || d.Builder != "b1" || d.Reason != "already running on b1" {
		t.Errorf("placing a running cell again: got %+v, want its builder", d)
	}
	p.Finish("c1", "")
	p.Finish("c1", "") // a second Finish frees nothing more
	mustRun(t, p, cell("c3"), "b1")
	if d := p.Place(cell("c4")); d.Action != Wait {
		t.Errorf("after one Finish and one Place: got %+v, want wait", d)
	}
}

func TestFinishTeachesAffinity(t *testing.T) {
	t.Parallel()
	// b2 is less loaded, but c1 ran on b1 (cold) first: its image and
	// dependencies are there now, in the builder's state and the record.
	rec := recordOf()
	p := newPlacer(t, []Builder{bld("b1", 4), bld("b2", 4)}, rec)
	c1 := Cell{Key: "c1", Platform: amd64, Image: imgRef, DepKey: depKey}
	mustRun(t, p, c1, "b1")
	mustRun(t, p, cell("other"), "b2")
	p.Finish("c1", imgDig)
	mustRun(t, p, cell("hold"), "b1") // b1 now busier than b2
	got := p.Place(Cell{Key: "c2", Platform: amd64, Image: imgRef, DepKey: depKey})
	want := Decision{Action: Run, Builder: "b1", Reason: "holds image and warm pip cache (1 of 4 slots busy)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a cell like one that finished (-want +got):\n%s", diff)
	}
	wantEntries := []Entry{{Builder: "b1", Image: imgRef, Digest: imgDig, DepKey: depKey, At: t0}}
	if diff := cmp.Diff(wantEntries, rec.sorted()); diff != "" {
		t.Errorf("record entries (-want +got):\n%s", diff)
	}
}

func TestLostReturnsItsCellsInStartOrder(t *testing.T) {
	t.Parallel()
	b2 := bld("b2", 2)
	b2.Running = 1 // half busy: b1 stays less loaded for four cells
	p := newPlacer(t, []Builder{bld("b1", 8), b2}, nil)
	for _, k := range []string{"z", "a", "m", "x"} {
		mustRun(t, p, cell(k), "b1")
	}
	p.Finish("a", "")
	if diff := cmp.Diff([]string{"z", "m", "x"}, p.Lost("b1", "gone")); diff != "" {
		t.Errorf("Lost (-want +got):\n%s", diff)
	}
	if got := p.Lost("b1", "gone"); got != nil {
		t.Errorf("Lost twice: got %q, want nothing", got)
	}
	if got := p.Lost("nope", "gone"); got != nil {
		t.Errorf("Lost of an unknown builder: got %q", got)
	}
	p.Finish("z", "") // the caller's late Finish of a lost cell does nothing
	mustRun(t, p, cell("z"), "b2")
}

func TestNewRefusesBadNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		fleet []Builder
		want  string
	}{
		{"twice", []Builder{bld("tcp://h:1234", 1), bld("tcp://h:1234", 2)}, `builder "tcp://h:1234" is given twice: give each builder once`},
		{"empty", []Builder{bld("", 1)}, "a builder has no name: give each --builder an address"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := New(tc.fleet, Options{})
			if err == nil || err.Error() != tc.want {
				t.Errorf("New: got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestNewCopiesTheFleet(t *testing.T) {
	t.Parallel()
	b := bld("b1", 1)
	b.Images = map[digest.Digest]bool{}
	p := newPlacer(t, []Builder{b}, nil)
	mustRun(t, p, cell("c"), "b1")
	p.Finish("c", "")
	if len(b.Images) != 0 {
		t.Errorf("Finish changed the caller's map: %v", b.Images)
	}
}

// TestPlaceConcurrently places from several goroutines, as the run path
// does, and checks that no builder ever runs more than its capacity (run
// it with -race).
func TestPlaceConcurrently(t *testing.T) {
	t.Parallel()
	fleet := []Builder{bld("b1", 2), bld("b2", 3), bld("b3", 1)}
	p := newPlacer(t, fleet, recordOf())
	caps := map[string]int64{"b1": 2, "b2": 3, "b3": 1}
	var running sync.Map // builder -> *atomic.Int64
	for name := range caps {
		running.Store(name, new(atomic.Int64))
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for i := range 50 {
				c := cell(fmt.Sprintf("g%d-%d", g, i))
				var d Decision
				for d = p.Place(c); d.Action == Wait; d = p.Place(c) {
					time.Sleep(10 * time.Microsecond)
				}
				v, _ := running.Load(d.Builder)
				n := v.(*atomic.Int64)
				if now := n.Add(1); now > caps[d.Builder] {
					t.Errorf("%s runs %d cells, over its %d slots", d.Builder, now, caps[d.Builder])
				}
				n.Add(-1)
				p.Finish(c.Key, "")
			}
		})
	}
	wg.Wait()
	for _, b := range p.builders {
		if b.busy != 0 {
			t.Errorf("after every cell finished, %s has %d slots busy", b.Name, b.busy)
		}
	}
}

func TestCapacity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		b    Builder
		want int
	}{
		{"jobs=N wins", Builder{Jobs: 3, CPUs: 16, Workers: 2}, 3},
		{"CPUs by default", Builder{CPUs: 16, Workers: 2}, 16},
		{"one per worker without CPUs", Builder{Workers: 2}, 2},
		{"at least one", Builder{}, 1},
	}
	for _, tc := range tests {
		if got := tc.b.Capacity(); got != tc.want {
			t.Errorf("%s: Capacity() = %d, want %d", tc.what, got, tc.want)
		}
	}
}

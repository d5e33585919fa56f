package placement

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestForecast(t *testing.T) {
	t.Parallel()
	p := newPlacer(t, []Builder{bld("b1", 1), bld("b2", 1), bld("b3", 1, arm64)}, recordOf())
	other := cell("c2")
	other.DepKey = "other"
	arm := cell("c5")
	arm.Platform = arm64
	got := p.Forecast([]Cell{cell("c1"), other, cell("c3"), cell("c4"), arm, {Key: "c6", Platform: specsOS("windows")}})
	want := []Decision{
		{Action: Run, Builder: "b1", Reason: "least loaded (0 of 1 slots busy)"},
		{Action: Run, Builder: "b2", Reason: "only builder with linux/amd64 and a free slot (0 of 1 slots busy)"},
		// c1 started first, so it ends first, on b1, leaving its cache.
		{Action: Run, Builder: "b1", Reason: "after a wait for a slot: holds image and warm pip cache (0 of 1 slots busy)"},
		{Action: Run, Builder: "b2", Reason: "after a wait for a slot: holds image (0 of 1 slots busy); b1 holds image and warm pip cache but is full"},
		{Action: Run, Builder: "b3", Reason: "only builder with linux/arm64 (0 of 1 slots busy)"},
		{Action: NoBuilder, Reason: "no builder can run windows/amd64: the reachable builders run linux/amd64, linux/arm64"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Forecast (-want +got):\n%s", diff)
	}
	// The forecast changed nothing.
	mustRun(t, p, cell("real"), "b1")
	if len(p.record.entries) != 0 {
		t.Errorf("the forecast wrote the record: %v", p.record.entries)
	}
}

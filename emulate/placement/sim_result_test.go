package placement

import "testing"

// TestSimulationPlacerBeatsBaselines runs the benchmark's model (fixed
// seeds, so the numbers are the same every time) and holds the Placer to
// what it is for: more cells on a warm pip cache than least-loaded or
// random placement, without making cells wait noticeably longer than
// least-loaded does.
func TestSimulationPlacerBeatsBaselines(t *testing.T) {
	t.Parallel()
	w := defaultModel().workload()
	got := map[string]simResult{}
	for _, s := range strategies(t, w) {
		r := simulate(w, s.make)
		got[s.name] = r
		t.Logf("%-12s mean queue %6.1f s  p95 %6.1f s  pip hits %5.1f%%  image hits %5.1f%%  makespan %6.0f s  retried %d  failed %d",
			s.name, r.meanQueue(), r.p95Queue(), 100*r.pipHitRate(), 100*r.imageHitRate(), r.makespan, r.retried, r.failed)
	}
	p, ll, rnd := got["placer"], got["least-loaded"], got["random"]
	for _, r := range got {
		if r.starts < len(w.cells) || r.retried == 0 {
			t.Fatalf("the model did not run: %d starts of %d cells, %d retried", r.starts, len(w.cells), r.retried)
		}
	}
	for name, base := range map[string]simResult{"least-loaded": ll, "random": rnd} {
		if p.pipHitRate() <= base.pipHitRate() {
			t.Errorf("pip cache hit rate: placer %.3f, %s %.3f; want the placer's higher", p.pipHitRate(), name, base.pipHitRate())
		}
	}
	// A small margin: affinity may pick a busier warm builder, which costs
	// a little queueing where the fleet is near full.
	if limit := ll.meanQueue()*1.10 + 5; p.meanQueue() > limit {
		t.Errorf("mean queue time: placer %.1f s, least-loaded %.1f s; want the placer's within %.1f s", p.meanQueue(), ll.meanQueue(), limit)
	}
}

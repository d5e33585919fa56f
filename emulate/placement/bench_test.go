package placement

import "testing"

// BenchmarkPlacementSimulation drives the simulation of sim_test.go (50
// builders, 1,000 cells, three builder losses, warm and stale caches)
// through the Placer and the two baselines and reports, per strategy,
// what a user waits for: queue time (mean, p95, seconds of simulated
// time), cache hits (share of cell starts on a builder whose pip cache
// holds the cell's dependency key, or that holds its image), makespan
// (simulated seconds until the last cell ends) and the cells retried
// after a loss or failed by one. ns/op is the cost of one whole simulated
// run, placement included.
func BenchmarkPlacementSimulation(b *testing.B) {
	w := defaultModel().workload()
	for _, s := range strategies(b, w) {
		b.Run(s.name, func(b *testing.B) {
			var r simResult
			for b.Loop() {
				r = simulate(w, s.make)
			}
			b.ReportMetric(r.meanQueue(), "mean-queue-s")
			b.ReportMetric(r.p95Queue(), "p95-queue-s")
			b.ReportMetric(100*r.pipHitRate(), "pip-hit-%")
			b.ReportMetric(100*r.imageHitRate(), "image-hit-%")
			b.ReportMetric(r.makespan, "makespan-s")
			b.ReportMetric(float64(r.retried), "retried")
			b.ReportMetric(float64(r.failed), "failed")
			b.ReportMetric(float64(r.places), "place-calls")
		})
	}
}

package plan_test

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// BenchmarkHostileShapes: each hostile shape of hostileShapes at 1 MB (or
// at its own size), read, validated and planned as `rehearse plan` and
// `rehearse list` do, without external checkers. Target (issue 10): under
// 2 s and 256 MB each, refused with a positioned error or planned. Besides
// time and allocations, peak-heap-MB is the most heap in use while the
// shape was planned, sampled every millisecond.
func BenchmarkHostileShapes(b *testing.B) {
	for _, s := range hostileShapes() {
		b.Run(s.name, func(b *testing.B) {
			src, want := s.gen(1 << 20)
			root := writeHostile(b, src)
			b.ReportAllocs()
			runtime.GC()
			peak, stop := heapPeak()
			for b.Loop() {
				res, p := planHostile(b, root)
				checkHostile(b, res, p, want)
			}
			stop()
			b.ReportMetric(float64(*peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(len(src))/(1<<10), "file-KB")
		})
	}
}

// heapPeak samples the heap in use (objects and the unused part of their
// spans) every millisecond until stop is called, keeping the most seen.
func heapPeak() (peak *uint64, stop func()) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	peak = new(uint64)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			*peak = max(*peak, samples[0].Value.Uint64()+samples[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return peak, func() {
		close(done)
		<-finished
	}
}

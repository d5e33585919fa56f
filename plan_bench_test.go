package main

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// BenchmarkPlanCommand: `rehearse plan` of the tutorial, the whole
// command as a user starts it, in a fresh one-commit repository and in one
// with 75 unpushed commits. With act on PATH, `act -l` of the same
// repository runs side by side (act-ms) for the issue 8 target: plan at
// most as slow as act -l. Without it the comparison is skipped, said in
// the log.
func BenchmarkPlanCommand(b *testing.B) {
	for _, commits := range []int{1, 75} {
		b.Run(fmt.Sprintf("commits=%d", commits), func(b *testing.B) {
			dir := fixtures.Materialize(b, "tutorial")
			run := func(name string, args ...string) {
				c := exec.Command(name, args...)
				c.Dir = dir
				if out, err := c.CombinedOutput(); err != nil {
					b.Fatalf("%s %v: %v\n%s", name, args, err, out)
				}
			}
			// The history is local only: drop the fixture's remote.
			run("git", "remote", "remove", "origin")
			for i := 1; i < commits; i++ {
				if err := os.WriteFile(dir+"/history.txt", []byte(fmt.Sprint(i)), 0o644); err != nil {
					b.Fatal(err)
				}
				run("git", "add", "history.txt")
				run("git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", fmt.Sprint("commit ", i))
			}
			act, _ := exec.LookPath("act")
			if act == "" {
				b.Log("act is not on PATH: act -l is not measured alongside")
			}
			var planTime, actTime time.Duration
			for b.Loop() {
				start := time.Now()
				c := exec.Command(rehearseBin, "plan")
				c.Dir = dir
				if out, err := c.CombinedOutput(); err != nil {
					b.Fatalf("rehearse plan: %v\n%s", err, out)
				}
				planTime += time.Since(start)
				if act != "" {
					start = time.Now()
					c := exec.Command(act, "-l")
					c.Dir = dir
					_ = c.Run() // act warns without Docker and still lists
					actTime += time.Since(start)
				}
			}
			b.ReportMetric(float64(planTime.Milliseconds())/float64(b.N), "plan-ms")
			if act != "" {
				b.ReportMetric(float64(actTime.Milliseconds())/float64(b.N), "act-ms")
			}
		})
	}
}

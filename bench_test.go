package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchRepo writes a git repository whose one workflow has jobs jobs of
// steps steps each running cmd, and returns it.
func benchRepo(b *testing.B, jobs, steps int, cmd string) string {
	b.Helper()
	root := b.TempDir()
	var wf strings.Builder
	wf.WriteString("name: bench\non: push\njobs:\n")
	for j := range jobs {
		fmt.Fprintf(&wf, "  job%d:\n    runs-on: ubuntu-latest\n    steps:\n", j)
		for range steps {
			fmt.Fprintf(&wf, "      - run: %s\n", cmd)
		}
	}
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bench.yml"), []byte(wf.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "bench"}} {
		c := exec.Command("git", args...)
		c.Dir = root
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	return root
}

func runRehearse(b *testing.B, root string, args ...string) time.Duration {
	b.Helper()
	start := time.Now()
	c := exec.Command(rehearseBin, append([]string{"run", "--progress", "quiet", "--format", "json"}, args...)...)
	c.Dir = root
	if out, err := c.CombinedOutput(); err != nil {
		b.Fatalf("rehearse run: %v\n%s", err, out)
	}
	return time.Since(start)
}

// shellBaseline runs the same steps as one shell script would: each step's
// command in its own bash, as the runner starts one shell per step.
func shellBaseline(b *testing.B, n int, cmd string) time.Duration {
	b.Helper()
	script := filepath.Join(b.TempDir(), "steps.sh")
	var s strings.Builder
	for range n {
		fmt.Fprintf(&s, "bash --noprofile --norc -e -o pipefail -c %q\n", cmd)
	}
	if err := os.WriteFile(script, []byte(s.String()), 0o755); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if out, err := exec.Command("bash", script).CombinedOutput(); err != nil {
		b.Fatalf("baseline: %v: %s", err, out)
	}
	return time.Since(start)
}

// BenchmarkRunOverhead: 20 jobs x 10 trivial steps with --jobs 1, against
// the same 200 commands run by one shell script. Target: under 10 ms of
// overhead per step (the ms/step-overhead metric).
func BenchmarkRunOverhead(b *testing.B) {
	const jobs, steps = 20, 10
	root := benchRepo(b, jobs, steps, "true")
	base := shellBaseline(b, jobs*steps, "true")
	var total time.Duration
	for b.Loop() {
		total += runRehearse(b, root, "--jobs", "1")
	}
	per := total / time.Duration(b.N)
	b.ReportMetric(float64(per-base)/float64(time.Millisecond)/float64(jobs*steps), "ms/step-overhead")
	b.ReportMetric(float64(base)/float64(time.Millisecond), "ms-shell-baseline")
}

// BenchmarkParallelJobs: two independent CPU-bound jobs; --jobs 2 should
// take close to half of --jobs 1 on two cores (the speedup metric).
func BenchmarkParallelJobs(b *testing.B) {
	root := benchRepo(b, 2, 1, `i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done`)
	var one, two time.Duration
	for b.Loop() {
		one += runRehearse(b, root, "--jobs", "1")
		two += runRehearse(b, root, "--jobs", "2")
	}
	b.ReportMetric(float64(one)/float64(two), "speedup")
	b.ReportMetric(float64(one)/float64(b.N)/float64(time.Millisecond), "ms-jobs1")
	b.ReportMetric(float64(two)/float64(b.N)/float64(time.Millisecond), "ms-jobs2")
}

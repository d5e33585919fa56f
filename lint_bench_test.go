package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lintBenchLines are the commands of the benchmark's scripts; %d makes
// each script distinct, so no two are checked as one.
var lintBenchLines = []string{
	`echo "job %d" $FOO`,
	`ls -la dir%d`,
	`cd dir%d && make`,
	`for f in $(ls d%d); do echo "$f"; done`,
	`x%d=1`,
	`test -f a%d && echo ok`,
	`echo "${{ github.sha }}" %d`,
	`grep -r pattern%d .`,
}

// BenchmarkLint1000Jobs: rehearse lint, shellcheck installed, of one
// workflow of 1,000 jobs each with a distinct 1-5-line run: script. lint
// keeps nothing between runs, so each is cold. Target (issue 10): under
// 3 s on a 2-core machine, where one shellcheck per script took 19 s.
func BenchmarkLint1000Jobs(b *testing.B) {
	requireChecker(b, "shellcheck")
	dir := b.TempDir()
	var wf strings.Builder
	wf.WriteString("on: push\njobs:\n")
	line := 0
	for j := range 1000 {
		fmt.Fprintf(&wf, "  job%d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n", j)
		for range 1 + j%5 {
			fmt.Fprintf(&wf, "          "+lintBenchLines[line%len(lintBenchLines)]+"\n", j)
			line++
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "jobs.yml"), []byte(wf.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		out, err := exec.Command(rehearseBin, "-C", dir, "lint").Output()
		if err != nil {
			b.Fatalf("lint: %v\n%s", err, out)
		}
		// Jobs with $FOO, $(ls) and x=1 have findings: about half.
		if n := strings.Count(string(out), "[shellcheck]"); n < 400 {
			b.Fatalf("lint found %d shellcheck findings, want one per job with $FOO, $(ls) or x=1:\n%.2000s", n, out)
		}
	}
}

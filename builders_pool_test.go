package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// poolJob is a job of a run's JSON report, as these tests read it.
type poolJob struct {
	Name, Conclusion, Builder, Placement, Retried, Reason string
	QueueMS                                               int64    `json:"queue_ms"`
	LogTail                                               []string `json:"log_tail"`
}

// poolRepo writes a repository whose workflow runs a matrix of cells in
// the test image, each printing its number, sleeping, and printing the
// CPUs it may use; and a configuration naming the builders.
func poolRepo(t *testing.T, cells int, sleep string, builders []string) (dir, cfg string) {
	t.Helper()
	ref := containertest.Image(t)
	dir = t.TempDir()
	var ns []string
	for i := 1; i <= cells; i++ {
		ns = append(ns, fmt.Sprint(i))
	}
	wf := `on: push
jobs:
  cell:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [` + strings.Join(ns, ", ") + `]
    steps:
      - run: echo "started-${{ matrix.n }}"; sleep ` + sleep + `; echo "done-${{ matrix.n }}"
`
	files := map[string]string{
		".github/workflows/ci.yml": wf,
		"requirements.txt":         "requests==2.31.0\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg = filepath.Join(t.TempDir(), "config.yml")
	text := "executor: container\nplatforms:\n  ubuntu-latest: " + ref + "\nbuilders:\n"
	for _, b := range builders {
		text += "  - " + b + "\n"
	}
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, cfg
}

// poolReport reads the jobs of a run's JSON report by name.
func poolReport(t *testing.T, r result) map[string]poolJob {
	t.Helper()
	var rep struct{ Workflows []struct{ Jobs []poolJob } }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("report is not JSON (exit %d): %v\nstderr:\n%s", r.code, err, r.stderr)
	}
	jobs := map[string]poolJob{}
	for _, w := range rep.Workflows {
		for _, j := range w.Jobs {
			jobs[j.Name] = j
		}
	}
	return jobs
}

// TestRunOverSeveralBuilders runs matrices over two local buildkitd
// daemons (shared by the subtests: each start costs seconds): the cells
// spread over both as placed, waiting when both are full; a builder that
// is down at the start is reported and skipped; a repeated cell goes to
// the builder with its warm pip cache; and a daemon killed mid-run has
// its cells retried on the other, with every cell correct.
func TestRunOverSeveralBuilders(t *testing.T) {
	skipIfShort(t)
	b1, dir1 := buildkittest.FleetDaemon(t, 1)
	b2, _ := buildkittest.FleetDaemon(t, 2)
	down := "unix://" + filepath.Join(t.TempDir(), "down.sock")

	t.Run("spread, wait and a builder down at the start", func(t *testing.T) {
		dir, cfg := poolRepo(t, 4, "1", []string{b1 + ",jobs=1", down, b2 + ",jobs=1"})
		state := t.TempDir()
		// --jobs 4: the run's own limit (this machine's CPUs) would
		// otherwise hold the cells back before the builders do.
		r := runBin(t, dir, []string{"REHEARSE_CONFIG=" + cfg, "REHEARSE_STATE_DIR=" + state}, "run", "--jobs", "4", "--format", "json", "--progress", "plain")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "builder "+down+" is unreachable and left out of this run: dial unix") {
			t.Errorf("the builder that is down is not reported:\n%s", r.stderr)
		}
		jobs := poolReport(t, r)
		on := map[string]int{}
		waited := 0
		for i := 1; i <= 4; i++ {
			j := jobs[fmt.Sprintf("cell (%d)", i)]
			if j.Conclusion != "success" || j.Placement == "" {
				t.Errorf("cell %d: %+v", i, j)
			}
			on[j.Builder]++
			if j.QueueMS > 0 {
				waited++
			}
		}
		if on[b1] != 2 || on[b2] != 2 {
			t.Errorf("cells per builder: %v, want 2 on each of %s and %s", on, b1, b2)
		}
		if waited < 2 {
			t.Errorf("%d cells waited for a builder, want at least 2 (4 cells, 2 slots)", waited)
		}
		text := runBin(t, dir, []string{"REHEARSE_CONFIG=" + cfg, "REHEARSE_STATE_DIR=" + state}, "run", "--progress", "quiet")
		if text.code != 0 || !strings.Contains(text.stdout, "Builders\n") || !strings.Contains(text.stdout, "cell (1): ") {
			t.Errorf("text report (exit %d) has no Builders section:\n%s%s", text.code, text.stdout, text.stderr)
		}
	})

	t.Run("affinity to the warm pip cache", func(t *testing.T) {
		state := t.TempDir()
		dir, cfg := poolRepo(t, 1, "0", []string{b2, b1})
		r := runBin(t, dir, []string{"REHEARSE_CONFIG=" + cfg, "REHEARSE_STATE_DIR=" + state}, "run", "--format", "json", "--progress", "quiet")
		if j := poolReport(t, r)["cell (1)"]; r.code != 0 || j.Builder != b2 {
			t.Fatalf("first run (exit %d): %+v, want it on %s (first given, both idle)\n%s", r.code, j, b2, r.stderr)
		}
		// The same cell with b1 given first: least loaded would pick b1,
		// affinity keeps it on b2.
		cfg2 := filepath.Join(t.TempDir(), "config.yml")
		data, _ := os.ReadFile(cfg)
		swapped := strings.Replace(string(data), "  - "+b2+"\n  - "+b1+"\n", "  - "+b1+"\n  - "+b2+"\n", 1)
		if err := os.WriteFile(cfg2, []byte(swapped), 0o644); err != nil {
			t.Fatal(err)
		}
		r = runBin(t, dir, []string{"REHEARSE_CONFIG=" + cfg2, "REHEARSE_STATE_DIR=" + state}, "run", "--format", "json", "--progress", "quiet")
		j := poolReport(t, r)["cell (1)"]
		if r.code != 0 || j.Builder != b2 || !strings.Contains(j.Placement, "warm pip cache") {
			t.Errorf("repeated cell (exit %d): %+v, want it on %s for its warm pip cache\n%s", r.code, j, b2, r.stderr)
		}
	})

	t.Run("a builder killed mid-run", func(t *testing.T) {
		dir, cfg := poolRepo(t, 4, "6", []string{b1 + ",jobs=2", b2 + ",jobs=2"})
		cmd := exec.Command(rehearseBin, "run", "--format", "json", "--progress", "plain")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "REHEARSE_CONFIG="+cfg, "REHEARSE_STATE_DIR="+t.TempDir())
		var out bytes.Buffer
		cmd.Stdout = &out
		errPipe, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		var mu sync.Mutex
		started := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(errPipe)
			n := 0
			for sc.Scan() {
				mu.Lock()
				stderr.WriteString(sc.Text() + "\n")
				mu.Unlock()
				if strings.Contains(sc.Text(), "started-") && !strings.Contains(sc.Text(), "echo") {
					if n++; n == 4 {
						close(started)
					}
				}
			}
		}()
		select {
		case <-started:
		case <-time.After(90 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("the four cells did not start:\n%s", stderr.String())
		}
		if err := buildkittest.Kill(dir1); err != nil {
			t.Fatal(err)
		}
		waited := make(chan error, 1)
		go func() { waited <- cmd.Wait() }()
		select {
		case err = <-waited:
		case <-time.After(2 * time.Minute):
			// Hung: its goroutines say where.
			_ = cmd.Process.Signal(syscall.SIGQUIT)
			<-waited
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("the run did not end within 2 minutes of the kill:\n%s", stderr.String())
		}
		// Later tests get the daemon back.
		defer buildkittest.FleetDaemon(t, 1)
		mu.Lock()
		log := stderr.String()
		mu.Unlock()
		r := result{stdout: out.String(), stderr: log}
		if err != nil {
			t.Fatalf("run: %v\n%s", err, log)
		}
		jobs := poolReport(t, r)
		retried := 0
		for i := 1; i <= 4; i++ {
			j := jobs[fmt.Sprintf("cell (%d)", i)]
			if j.Conclusion != "success" || j.Builder != b2 && j.Retried == "" {
				t.Errorf("cell %d: %+v", i, j)
			}
			if j.Retried != "" {
				retried++
				if j.Builder != b2 || !strings.Contains(j.Retried, "builder "+b1+" was lost") {
					t.Errorf("retried cell %d: %+v, want it on %s after %s was lost", i, j, b2, b1)
				}
			}
		}
		if retried != 2 {
			t.Errorf("%d cells retried, want the 2 that ran on %s\n%s", retried, b1, log)
		}
		if !strings.Contains(log, "builder "+b1+" was lost") {
			t.Errorf("the loss is not reported:\n%s", log)
		}
	})
}

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
	b2, dir2 := buildkittest.FleetDaemon(t, 2)
	down := "unix://" + filepath.Join(t.TempDir(), "down.sock")

	t.Run("plan --builders forecasts over the daemons", func(t *testing.T) {
		dir, cfg := poolRepo(t, 3, "0", []string{b1 + ",jobs=1", down, b2 + ",jobs=1"})
		env := []string{"REHEARSE_CONFIG=" + cfg, "REHEARSE_STATE_DIR=" + t.TempDir()}
		r := runBin(t, dir, env, "plan", "--builders", "--format", "json")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "rehearse: builder "+down+" is unreachable: dial unix ") {
			t.Errorf("the builder that is down is not reported:\n%s", r.stderr)
		}
		var out struct {
			Workflows []any
			Forecast  forecast
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Workflows) != 1 {
			t.Fatalf("not the plan with a forecast (%v):\n%s", err, r.stdout)
		}
		f := out.Forecast
		if len(f.Builders) != 3 || !f.Builders[0].Reachable || f.Builders[1].Reachable || f.Builders[1].Name != down || !f.Builders[2].Reachable ||
			f.Builders[0].Capacity != 1 || !slices.Contains(f.Builders[0].Platforms, "linux/amd64") {
			t.Errorf("builders: %+v", f.Builders)
		}
		// The reasons depend on what the daemons hold from earlier runs
		// (the test image, by its digest): the builders do not.
		want := []struct{ name, builder, reason string }{
			{"cell (1)", b1, " (0 of 1 slots busy)"},
			{"cell (2)", b2, " (0 of 1 slots busy)"},
			{"cell (3)", b1, "after a wait for a slot: "},
		}
		if len(f.Cells) != len(want) || !strings.HasPrefix(f.Note, "a forecast: ") {
			t.Fatalf("forecast: %+v", f)
		}
		for i, w := range want {
			if c := f.Cells[i]; c.Name != w.name || c.Action != "run" || c.Builder != w.builder || !strings.Contains(c.Reason, w.reason) {
				t.Errorf("cell %d: %+v, want %+v", i, c, w)
			}
		}
		text := runBin(t, dir, env, "plan", "--builders")
		if text.code != 0 || !strings.Contains(text.stdout, "\nBuilders (forecast, not a promise: ") ||
			!strings.Contains(text.stdout, "\nForecast placement\n") || !strings.Contains(text.stdout, down+"  unreachable: dial unix ") {
			t.Errorf("text forecast (exit %d):\n%s%s", text.code, text.stdout, text.stderr)
		}
	})

	t.Run("the same job id in two workflows", func(t *testing.T) {
		// Two cells with one key each in its own workflow: each takes a
		// slot of its own, so they run on both builders.
		dir, cfg := poolRepo(t, 1, "2", []string{b1 + ",jobs=1", b2 + ",jobs=1"})
		wf, err := os.ReadFile(filepath.Join(dir, ".github", "workflows", "ci.yml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "other.yml"), wf, 0o644); err != nil {
			t.Fatal(err)
		}
		r := runBin(t, dir, []string{"REHEARSE_CONFIG=" + cfg, "REHEARSE_STATE_DIR=" + t.TempDir()}, "run", "--jobs", "2", "--format", "json", "--progress", "quiet")
		var rep struct{ Workflows []struct{ Jobs []poolJob } }
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || len(rep.Workflows) != 2 {
			t.Fatalf("report (exit %d, %v):\n%s\n%s", r.code, err, r.stdout, r.stderr)
		}
		on := map[string]int{}
		for _, w := range rep.Workflows {
			for _, j := range w.Jobs {
				if j.Conclusion != "success" {
					t.Errorf("%+v", j)
				}
				on[j.Builder]++
			}
		}
		if on[b1] != 1 || on[b2] != 1 {
			t.Errorf("cells per builder: %v, want one on each", on)
		}
	})

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
		// The forecast reads the same record.
		plan := runBin(t, dir, []string{"REHEARSE_CONFIG=" + cfg2, "REHEARSE_STATE_DIR=" + state}, "plan", "--builders", "--format", "json")
		var out struct{ Forecast forecast }
		if err := json.Unmarshal([]byte(plan.stdout), &out); err != nil || len(out.Forecast.Cells) != 1 ||
			out.Forecast.Cells[0].Builder != b2 || !strings.Contains(out.Forecast.Cells[0].Reason, "warm pip cache") {
			t.Errorf("forecast of the repeated cell (exit %d, %v): %+v\n%s", plan.code, err, out.Forecast, plan.stderr)
		}
	})

	t.Run("Ctrl-C", func(t *testing.T) {
		// Two cells run (one slot on each builder) and two wait for a
		// slot when the run is interrupted: the running ones are
		// cancelled on their builders with their always() and
		// cancelled() steps run, the waiting ones are cancelled, a job
		// with always() after them still runs, and no container is left
		// on either daemon.
		dir, cfg := poolRepo(t, 1, "0", []string{b1 + ",jobs=1", b2 + ",jobs=1"})
		wf := `on: push
jobs:
  cell:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [1, 2, 3, 4]
    steps:
      - run: echo "ready-${{ matrix.n }}"; sleep 120
      - if: always()
        run: echo "cleanup-always-${{ matrix.n }}"
      - if: cancelled()
        run: echo "cleanup-cancelled-${{ matrix.n }}"
      - run: echo never
  after:
    needs: cell
    if: always()
    runs-on: ubuntu-latest
    steps: [{run: echo after-ran}]
  after-default:
    needs: cell
    runs-on: ubuntu-latest
    steps: [{run: echo nope}]
`
		if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "ci.yml"), []byte(wf), 0o644); err != nil {
			t.Fatal(err)
		}
		r := startRun(t, dir, []string{"REHEARSE_CONFIG=" + cfg, "REHEARSE_STATE_DIR=" + t.TempDir()},
			"run", "--jobs", "4", "--format", "json", "--progress", "plain")
		// Which two cells get the slots first is the pool's race: wait
		// for any two.
		readyLines := func() int {
			n := 0
			for i := 1; i <= 4; i++ {
				if strings.Contains(r.output(), fmt.Sprintf("] ready-%d\n", i)) {
					n++
				}
			}
			return n
		}
		for deadline := time.Now().Add(90 * time.Second); readyLines() < 2; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				_ = r.cmd.Process.Kill()
				<-r.exited
				t.Fatalf("two cells did not start within 90 s:\n%s", r.output())
			}
		}
		// The daemons run the two cells' containers: what must be gone
		// after the run.
		if len(buildkittest.DaemonProcesses(dir1)) == 0 || len(buildkittest.DaemonProcesses(dir2)) == 0 {
			t.Errorf("a daemon runs no process while its cell runs: %s: %v; %s: %v", b1, buildkittest.DaemonProcesses(dir1),
				b2, buildkittest.DaemonProcesses(dir2))
		}
		r.interrupt(t)
		if code := r.wait(t, 60*time.Second); code != 130 {
			t.Errorf("exit %d, want 130\n%s", code, r.output())
		}
		log := r.output()
		var rep runReport
		if err := json.Unmarshal(r.stdout.Bytes(), &rep); err != nil {
			t.Fatalf("no JSON report after the interrupt: %v\n%s\n%s", err, r.stdout.String(), log)
		}
		if rep.Conclusion != "cancelled" || !rep.Partial {
			t.Errorf("run conclusion %q, partial %v; want cancelled, partial", rep.Conclusion, rep.Partial)
		}
		jobs := rep.jobs()
		builders := poolReport(t, result{stdout: r.stdout.String(), stderr: log})
		ran := map[string]bool{}
		for n := 1; n <= 4; n++ {
			j := jobs[fmt.Sprintf("cell.%d", n)]
			if j == nil || j.Conclusion != "cancelled" {
				t.Errorf("cell (%d): %+v, want cancelled\n%s", n, j, log)
				continue
			}
			if !strings.Contains(log, fmt.Sprintf("] ready-%d", n)) {
				continue // it waited for a slot: cancelled before it started
			}
			ran[builders[j.Name].Builder] = true
			want := []string{"cancelled/cancelled", "success/success", "success/success", "skipped/skipped"}
			if d := cmp.Diff(want, j.stepResults()); d != "" {
				t.Errorf("steps of cell (%d) (-want +got):\n%s\n%s", n, d, log)
			}
			for _, line := range []string{"] cleanup-always-%d", "] cleanup-cancelled-%d"} {
				if l := fmt.Sprintf(line, n); !strings.Contains(log, l) {
					t.Errorf("the output lacks %q:\n%s", l, log)
				}
			}
		}
		if !ran[b1] || !ran[b2] {
			t.Errorf("the cancelled cells ran on %v, want one on each builder", ran)
		}
		if j := jobs["after"]; j == nil || j.Conclusion != "success" || !strings.Contains(log, "] after-ran") {
			t.Errorf("after (if: always()): %+v, want it run\n%s", j, log)
		}
		if j := jobs["after-default"]; j == nil || j.Conclusion != "cancelled" {
			t.Errorf("after-default: %+v, want cancelled", j)
		}
		// Releasing a job ends its container; the daemon may take a
		// moment to reap it.
		var left []string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			left = append(buildkittest.DaemonProcesses(dir1), buildkittest.DaemonProcesses(dir2)...)
			if len(left) == 0 {
				break
			}
		}
		if len(left) > 0 {
			t.Errorf("processes left on the daemons after the run:\n%s", strings.Join(left, "\n"))
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

package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// runReport is the JSON report of `rehearse run --format json`, decoded
// with its own types so that these tests also pin the field names.
type runReport struct {
	Conclusion string `json:"conclusion"`
	Event      string `json:"event"`
	Workflows  []struct {
		File       string    `json:"file"`
		Conclusion string    `json:"conclusion"`
		Jobs       []*runJob `json:"jobs"`
		Invalid    bool      `json:"invalid"`
		Errors     []string  `json:"errors"`
	} `json:"workflows"`
	Partial   bool `json:"partial"`
	Artifacts []struct {
		Name  string `json:"name"`
		Files int    `json:"files"`
	} `json:"artifacts"`
	RunDir     string `json:"run_dir"`
	LogDir     string `json:"log_dir"`
	DurationMS int64  `json:"duration_ms"`
}

type runJob struct {
	Key             string            `json:"key"`
	Name            string            `json:"name"`
	Matrix          map[string]any    `json:"matrix"`
	Conclusion      string            `json:"conclusion"`
	ContinueOnError bool              `json:"continue_on_error"`
	Reason          string            `json:"reason"`
	Outputs         map[string]string `json:"outputs"`
	Steps           []*runStep        `json:"steps"`
	Annotations     []runAnnotation   `json:"annotations"`
	Summary         string            `json:"summary"`
	FailedStep      string            `json:"failed_step"`
	LogTail         []string          `json:"log_tail"`
	LogFile         string            `json:"log_file"`
}

type runStep struct {
	Name       string            `json:"name"`
	ID         string            `json:"id"`
	Outcome    string            `json:"outcome"`
	Conclusion string            `json:"conclusion"`
	Outputs    map[string]string `json:"outputs"`
	Reason     string            `json:"reason"`
}

type runAnnotation struct {
	Level   string `json:"level"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// jobs returns the report's jobs by key; the tests run one workflow at a
// time, so keys are unique.
func (r *runReport) jobs() map[string]*runJob {
	m := map[string]*runJob{}
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			m[j.Key] = j
		}
	}
	return m
}

// conclusions is every job's key and conclusion, for one cmp.Diff.
func (r *runReport) conclusions() map[string]string {
	m := map[string]string{}
	for k, j := range r.jobs() {
		m[k] = j.Conclusion
	}
	return m
}

// stepResults is "outcome/conclusion" of each step of the job.
func (j *runJob) stepResults() []string {
	var out []string
	for _, s := range j.Steps {
		out = append(out, s.Outcome+"/"+s.Conclusion)
	}
	return out
}

// runJSON runs `rehearse run --format json --progress quiet` with an
// isolated cache directory and decodes the report.
func runJSON(t *testing.T, dir string, env []string, args ...string) (result, *runReport) {
	t.Helper()
	env = append([]string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, env...)
	r := runBin(t, dir, env, append(append([]string{"run"}, args...), "--format", "json", "--progress", "quiet")...)
	var rep runReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report (exit %d): %v\nstdout:\n%s\nstderr:\n%s", r.code, err, r.stdout, r.stderr)
	}
	return r, &rep
}

// addWorkflow writes a workflow the fixtures do not have into a
// materialized repository, uncommitted (a run sees the working tree).
func addWorkflow(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// treeState is everything a run must leave as it was in the user's
// repository: each path with its mode and content hash, and git status.
type treeState struct {
	files     map[string]string
	gitStatus string
}

func snapshot(t *testing.T, dir string) treeState {
	t.Helper()
	// git status first: it may refresh the index's stat data, which is git
	// bookkeeping, not a change a run made.
	out, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=all").CombinedOutput()
	if err != nil {
		t.Fatalf("git status: %v: %s", err, out)
	}
	st := treeState{files: map[string]string{}, gitStatus: string(out)}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		desc := info.Mode().String()
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			desc += " " + hex.EncodeToString(sum[:])
		} else if info.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			desc += " -> " + target
		}
		st.files[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func checkUntouched(t *testing.T, before, after treeState) {
	t.Helper()
	if d := cmp.Diff(before.files, after.files); d != "" {
		t.Errorf("the run changed the user's repository (-before +after):\n%s", d)
	}
	if before.gitStatus != after.gitStatus {
		t.Errorf("git status changed:\n--- before\n%s--- after\n%s", before.gitStatus, after.gitStatus)
	}
}

// failFastFalse is fail-fast.yml with strategy.fail-fast: false and shorter
// sleeps: the failing cell cancels nothing.
const failFastFalse = `name: No fail-fast
on: push
jobs:
  shards:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [1, 2, 3]
    steps:
      - run: |
          if [ "${{ matrix.shard }}" = 2 ]; then
            echo "shard 2 fails"
            exit 1
          fi
          sleep 1
          echo "shard ${{ matrix.shard }} finished"
`

// failFastContinue: a failing cell with continue-on-error does not
// trigger fail-fast; the other cells, still sleeping, finish.
const failFastContinue = `name: Fail-fast with continue-on-error
on: push
jobs:
  shards:
    runs-on: ubuntu-latest
    continue-on-error: ${{ matrix.shard == 2 }}
    strategy:
      fail-fast: true
      matrix:
        shard: [1, 2, 3]
    steps:
      - run: |
          if [ "${{ matrix.shard }}" = 2 ]; then exit 1; fi
          sleep 1
`

// envFilesFailed checks that the runner reads a step's env files even when
// the step fails: a later always() step sees the env, output and PATH the
// failed step wrote, and the job summary has its summary.
const envFilesFailed = `name: Env files of a failed step
on: push
jobs:
  files:
    runs-on: ubuntu-latest
    steps:
      - id: write
        run: |
          echo "FROM_FAILED=still set" >> "$GITHUB_ENV"
          {
            echo "MULTI<<EOF_X"
            echo "a=1"
            echo "b"
            echo "EOF_X"
          } >> "$GITHUB_ENV"
          echo "out=from failed step" >> "$GITHUB_OUTPUT"
          mkdir -p "$RUNNER_TEMP/failbin"
          printf '#!/bin/sh\necho found\n' > "$RUNNER_TEMP/failbin/from-failed-step"
          chmod +x "$RUNNER_TEMP/failbin/from-failed-step"
          echo "$RUNNER_TEMP/failbin" >> "$GITHUB_PATH"
          echo "summary of a failed step" >> "$GITHUB_STEP_SUMMARY"
          exit 7
      - if: always()
        env:
          OUT: ${{ steps.write.outputs.out }}
        run: |
          test "$FROM_FAILED" = "still set"
          test "$MULTI" = "$(printf 'a=1\nb')"
          test "$OUT" = "from failed step"
          test "$(from-failed-step)" = found
`

// TestRunHostrun runs the hostrun fixture's workflows with the real binary
// and checks each job's and step's conclusion, the outputs and the exit
// status, and that the run left the user's repository as it was.
func TestRunHostrun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		workflow string
		// inline, when set, is written as workflow first.
		inline    string
		args, env []string
		wantCode  int
		wantJobs  map[string]string
		// wantSteps is "outcome/conclusion" per step, for the jobs listed.
		wantSteps map[string][]string
		check     func(t *testing.T, rep *runReport, r result)
	}{
		{
			what: "outputs across jobs", workflow: "outputs.yml",
			wantJobs:  map[string]string{"produce": "success", "consume": "success"},
			wantSteps: map[string][]string{"consume": {"success/success", "success/success"}},
			check: func(t *testing.T, rep *runReport, _ result) {
				got := rep.jobs()["produce"].Outputs
				want := map[string]string{"greeting": "hello world", "lines": "first line\nsecond line", "number": "42"}
				if got["unset"] == "" {
					delete(got, "unset")
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("produce outputs (-want +got):\n%s", d)
				}
			},
		},
		{
			what: "env files", workflow: "env-files.yml",
			wantJobs:  map[string]string{"files": "success"},
			wantSteps: map[string][]string{"files": {"success/success", "success/success", "success/success"}},
			check: func(t *testing.T, rep *runReport, _ result) {
				j := rep.jobs()["files"]
				want := "## Summary from step write\n- item **one**\n| check | result |\n| env files | ok |\n"
				if j.Summary != want {
					t.Errorf("summary = %q, want %q", j.Summary, want)
				}
				if d := cmp.Diff(map[string]string{"answer": "42", "notes": "note a\nnote b"}, j.Steps[0].Outputs); d != "" {
					t.Errorf("step outputs (-want +got):\n%s", d)
				}
			},
		},
		{
			what: "env files of a failed step", workflow: "env-files-failed.yml", inline: envFilesFailed,
			wantCode:  1,
			wantJobs:  map[string]string{"files": "failure"},
			wantSteps: map[string][]string{"files": {"failure/failure", "success/success"}},
			check: func(t *testing.T, rep *runReport, _ result) {
				j := rep.jobs()["files"]
				if j.Summary != "summary of a failed step\n" {
					t.Errorf("summary = %q", j.Summary)
				}
				if j.Steps[0].Reason != "Process completed with exit code 7." {
					t.Errorf("failed step reason = %q", j.Steps[0].Reason)
				}
			},
		},
		{
			what: "shells", workflow: "shells.yml",
			wantJobs: map[string]string{"shells": "success"},
			// bash has pipefail: its step fails, continue-on-error makes
			// the conclusion success.
			wantSteps: map[string][]string{"shells": {"success/success", "failure/success", "success/success", "success/success", "success/success", "success/success", "success/success"}},
		},
		{
			what: "working-directory and defaults.run", workflow: "working-directory.yml",
			wantJobs: map[string]string{"workflow-defaults": "success", "job-defaults": "success"},
			wantSteps: map[string][]string{
				"workflow-defaults": {"success/success", "success/success", "success/success"},
				"job-defaults":      {"success/success", "success/success", "success/success"},
			},
		},
		{
			what: "status functions", workflow: "status-functions.yml",
			wantCode: 1,
			wantJobs: map[string]string{"first": "failure", "on-failure": "success", "on-success": "skipped", "on-always": "success"},
			wantSteps: map[string][]string{"first": {
				"success/success", // first step
				"failure/failure", // exit 1
				"skipped/skipped", // implicit success()
				"skipped/skipped", // success()
				"success/success", // failure()
				"success/success", // always()
				"skipped/skipped", // cancelled()
				"success/success", // failure() && push
			}},
			check: func(t *testing.T, rep *runReport, _ result) {
				if j := rep.jobs()["first"]; j.FailedStep != "Run exit 1" {
					t.Errorf("failed step = %q", j.FailedStep)
				}
			},
		},
		{
			what: "composite local action", workflow: "composite.yml",
			wantJobs:  map[string]string{"hello": "success"},
			wantSteps: map[string][]string{"hello": {"success/success", "success/success", "success/success", "success/success", "success/success"}},
			check: func(t *testing.T, rep *runReport, _ result) {
				steps := rep.jobs()["hello"].Steps
				if got := steps[1].Outputs["greeting"]; got != "Hello Mona" {
					t.Errorf("greeting with input = %q", got)
				}
				if got := steps[3].Outputs["greeting"]; got != "Hello World" {
					t.Errorf("greeting with the default input = %q", got)
				}
			},
		},
		{
			what: "artifacts between jobs", workflow: "artifacts.yml",
			wantJobs:  map[string]string{"upload": "success", "download": "success"},
			wantSteps: map[string][]string{"download": {"success/success", "success/success"}},
			check: func(t *testing.T, rep *runReport, _ result) {
				if len(rep.Artifacts) != 1 || rep.Artifacts[0].Name != "greeting" || rep.Artifacts[0].Files != 2 {
					t.Errorf("artifacts = %+v, want greeting with 2 files", rep.Artifacts)
				}
			},
		},
		{
			what: "fail-fast cancels the other cells", workflow: "fail-fast.yml",
			wantCode: 1,
			wantJobs: map[string]string{"shards.1": "cancelled", "shards.2": "failure", "shards.3": "cancelled"},
			check: func(t *testing.T, rep *runReport, _ result) {
				if rep.Conclusion != "failure" {
					t.Errorf("run conclusion = %q", rep.Conclusion)
				}
				for _, k := range []string{"shards.1", "shards.3"} {
					if r := rep.jobs()[k].Reason; !strings.Contains(r, "fail-fast") {
						t.Errorf("%s reason = %q, want the fail-fast cause", k, r)
					}
				}
				// The other cells sleep 5s; cancelled, the run takes ~1s.
				if rep.DurationMS > 4000 {
					t.Errorf("run took %dms: the cells were not cancelled", rep.DurationMS)
				}
			},
		},
		{
			what: "fail-fast false", workflow: "fail-fast-false.yml", inline: failFastFalse,
			wantCode: 1,
			wantJobs: map[string]string{"shards.1": "success", "shards.2": "failure", "shards.3": "success"},
		},
		{
			what: "fail-fast spares continue-on-error cells", workflow: "fail-fast-continue.yml", inline: failFastContinue,
			wantJobs: map[string]string{"shards.1": "success", "shards.2": "failure", "shards.3": "success"},
		},
		{
			what: "continue-on-error step, job and matrix", workflow: "continue-on-error.yml",
			wantJobs: map[string]string{
				"step": "success", "job": "failure", "after-job": "success",
				"matrix.1": "success", "matrix.2": "success", "matrix.3": "failure",
			},
			wantSteps: map[string][]string{"step": {"failure/success", "success/success"}},
			check: func(t *testing.T, rep *runReport, _ result) {
				if rep.Conclusion != "success" {
					t.Errorf("run conclusion = %q, want success", rep.Conclusion)
				}
				jobs := rep.jobs()
				for k, want := range map[string]bool{"job": true, "matrix.1": false, "matrix.2": false, "matrix.3": true} {
					if jobs[k].ContinueOnError != want {
						t.Errorf("%s continue_on_error = %v, want %v", k, jobs[k].ContinueOnError, want)
					}
				}
				if d := cmp.Diff(map[string]any{"version": 3.0, "experimental": true}, jobs["matrix.3"].Matrix); d != "" {
					t.Errorf("matrix.3 cell (-want +got):\n%s", d)
				}
			},
		},
		{
			// A "minute" of 3 s: a job's timeout counts its set-up, and a
			// container's start on a loaded machine can take over a second.
			what: "timeouts", workflow: "timeout.yml", env: []string{"REHEARSE_TEST_MINUTE=3s"},
			wantCode: 1,
			wantJobs: map[string]string{"step-timeout": "failure", "job-timeout": "failure"},
			wantSteps: map[string][]string{
				"step-timeout": {"failure/failure", "skipped/skipped", "success/success"},
				"job-timeout":  {"cancelled/cancelled", "skipped/skipped"},
			},
			check: func(t *testing.T, rep *runReport, _ result) {
				jobs := rep.jobs()
				if got, want := jobs["step-timeout"].Steps[0].Reason, "The action 'Run sleep 600' has timed out after 1 minutes."; got != want {
					t.Errorf("step timeout reason = %q, want %q", got, want)
				}
				if got, want := jobs["job-timeout"].Reason, "The job running on runner rehearse has exceeded the maximum execution time of 1 minutes."; got != want {
					t.Errorf("job timeout reason = %q, want %q", got, want)
				}
				var reasons []string
				for _, s := range jobs["job-timeout"].Steps {
					reasons = append(reasons, s.Reason)
				}
				if d := cmp.Diff([]string{"job timed out", "job timed out"}, reasons); d != "" {
					t.Errorf("job-timeout step reasons (-want +got):\n%s", d)
				}
				if rep.DurationMS > 10000 {
					t.Errorf("run took %dms: sleep 600 was not stopped by the timeouts", rep.DurationMS)
				}
			},
		},
		{
			what: "-j selects a job and what it needs", workflow: "continue-on-error.yml", args: []string{"-j", "after-job"},
			wantJobs: map[string]string{"job": "failure", "after-job": "success"},
		},
		{
			what: "--no-deps runs the job alone", workflow: "continue-on-error.yml", args: []string{"-j", "after-job", "--no-deps"},
			wantJobs: map[string]string{"after-job": "success"},
		},
		{
			what: "--matrix keeps one cell", workflow: "continue-on-error.yml", args: []string{"-j", "matrix", "--matrix", "version=2"},
			wantJobs: map[string]string{"matrix.2": "success"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, "hostrun")
			if tc.inline != "" {
				addWorkflow(t, dir, tc.workflow, tc.inline)
			}
			before := snapshot(t, dir)
			args := append([]string{"-W", ".github/workflows/" + tc.workflow}, tc.args...)
			r, rep := runJSON(t, dir, tc.env, args...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, tc.wantCode, r.stderr)
			}
			if d := cmp.Diff(tc.wantJobs, rep.conclusions()); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s", d)
			}
			jobs := rep.jobs()
			for key, want := range tc.wantSteps {
				if j := jobs[key]; j != nil {
					if d := cmp.Diff(want, j.stepResults()); d != "" {
						t.Errorf("%s steps (-want +got):\n%s", key, d)
					}
				}
			}
			if tc.check != nil && !t.Failed() {
				tc.check(t, rep, r)
			}
			if t.Failed() {
				t.Logf("stderr:\n%s", r.stderr)
			}
			checkUntouched(t, before, snapshot(t, dir))
		})
	}
}

// TestRunNothingTriggered: an event no workflow listens to is not an error.
func TestRunNothingTriggered(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	r := runBin(t, dir, nil, "run", "pull_request", "--progress", "quiet")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\nstderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "no workflow is triggered by pull_request") {
		t.Errorf("stderr does not say that nothing was triggered:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "success") || strings.Contains(r.stderr, "job started") {
		t.Errorf("a job ran:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	// With --format json, stdout still holds a report, of nothing run.
	r, rep := runJSON(t, dir, nil, "pull_request")
	if r.code != 0 || rep.Conclusion != "skipped" || len(rep.Workflows) != 0 {
		t.Errorf("JSON report of an untriggered run: exit %d, %+v", r.code, rep)
	}
}

// TestRunUnknownJob: -j with an id no workflow has is a usage error.
func TestRunUnknownJob(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	r := runBin(t, dir, nil, "run", "-W", ".github/workflows/outputs.yml", "-j", "nope")
	if r.code != 2 || !strings.Contains(r.stderr, `no job with id "nope"`) {
		t.Errorf("exit %d, want 2 with a message about the job\nstderr:\n%s", r.code, r.stderr)
	}
}

// TestRunCacheAcrossRuns saves actions/cache entries in one run and
// restores them in the next: the first run misses and saves (its second
// job already hits), the second hits from the start and skips the step
// that fills the cache.
func TestRunCacheAcrossRuns(t *testing.T) {
	t.Parallel()
	cacheDir := t.TempDir()
	env := []string{"REHEARSE_CACHE_DIR=" + cacheDir}
	cacheHits := func(rep *runReport) []string {
		var out []string
		for _, k := range []string{"save", "restore"} {
			j := rep.jobs()[k]
			if j == nil || len(j.Steps) < 2 {
				out = append(out, k+": missing")
				continue
			}
			out = append(out, k+": "+j.Steps[1].Outputs["cache-hit"])
		}
		return out
	}

	dir := fixtures.Materialize(t, "hostrun")
	r, rep := runJSON(t, dir, env, "-W", ".github/workflows/cache.yml")
	if r.code != 0 {
		t.Fatalf("first run: exit %d\nstderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if d := cmp.Diff([]string{"save: false", "restore: true"}, cacheHits(rep)); d != "" {
		t.Errorf("first run cache-hit (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"success/success", "success/success", "success/success", "success/success", "success/success", "success/success"}, rep.jobs()["save"].stepResults()); d != "" {
		t.Errorf("first run save steps, with the post step (-want +got):\n%s", d)
	}

	// A new checkout of the same commit: only the cache can bring the
	// directory back.
	dir2 := fixtures.Materialize(t, "hostrun")
	r, rep = runJSON(t, dir2, env, "-W", ".github/workflows/cache.yml")
	if r.code != 0 {
		t.Fatalf("second run: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if d := cmp.Diff([]string{"save: true", "restore: true"}, cacheHits(rep)); d != "" {
		t.Errorf("second run cache-hit (-want +got):\n%s", d)
	}
	// The fill step is skipped on a hit, and no post step saves again.
	if d := cmp.Diff([]string{"success/success", "success/success", "skipped/skipped", "success/success", "success/success"}, rep.jobs()["save"].stepResults()); d != "" {
		t.Errorf("second run save steps (-want +got):\n%s", d)
	}
}

// TestRunFailing runs the failing fixture: exit 1, the failed job and step
// named with the tail of its log, and the annotations with paths relative to
// the repository root in both reports.
func TestRunFailing(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "failing")
	r, rep := runJSON(t, dir, nil)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	if d := cmp.Diff(map[string]string{"test": "failure"}, rep.conclusions()); d != "" {
		t.Fatalf("job conclusions (-want +got):\n%s", d)
	}
	j := rep.jobs()["test"]
	if j.FailedStep != "Run tests" {
		t.Errorf("failed step = %q, want %q", j.FailedStep, "Run tests")
	}
	if d := cmp.Diff([]string{"success/success", "success/success", "failure/failure"}, j.stepResults()); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	if len(j.LogTail) == 0 || j.LogTail[len(j.LogTail)-1] != "##[error]Process completed with exit code 1." {
		t.Errorf("log tail does not end with the exit code: %q", j.LogTail)
	}
	tail := strings.Join(j.LogTail, "\n")
	// The tail shows pytest's failure, or, where python3 has no pytest,
	// why the step failed all the same.
	wantTail := "No module named pytest"
	if exec.Command("python3", "-c", "import pytest").Run() == nil {
		wantTail = "test_calculate_total_with_valid_items"
	}
	if !strings.Contains(tail, wantTail) {
		t.Errorf("log tail does not contain %q:\n%s", wantTail, tail)
	}
	want := []runAnnotation{
		{Level: "error", File: "src/my_app/main.py", Line: 3, Col: 5, Title: "Bad", Message: "something is wrong"},
		{Level: "warning", File: "tests/test_main.py", Line: 15, Message: "expected value looks suspicious"},
		{Level: "error", Message: "Process completed with exit code 1."},
	}
	if d := cmp.Diff(want, j.Annotations); d != "" {
		t.Errorf("annotations (-want +got):\n%s", d)
	}

	text := runBin(t, dir, []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, "run", "--progress", "quiet")
	if text.code != 1 {
		t.Errorf("text run: exit %d, want 1", text.code)
	}
	for _, line := range []string{
		`✗ Failing CI / test: step "Run tests" failed`,
		"src/my_app/main.py:3:5: error: Bad: something is wrong",
		"tests/test_main.py:15: warning: expected value looks suspicious",
		"##[error]Process completed with exit code 1.",
	} {
		if !strings.Contains(text.stdout, line) {
			t.Errorf("text report lacks %q:\n%s", line, text.stdout)
		}
	}
	if strings.Contains(text.stdout, dir+"/src") {
		t.Errorf("text report has absolute annotation paths:\n%s", text.stdout)
	}
}

// TestRunSecretsMasked runs secrets.yml with secrets from --secret and
// --secret-file (a multi-line value and a JSON value) and a value the
// workflow masks with ::add-mask::; none may appear in stdout, stderr
// (plain progress shows every log line), the JSON report or the logs.
func TestRunSecretsMasked(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	tmp := t.TempDir()
	secretFile := filepath.Join(tmp, "secrets.env")
	if err := os.WriteFile(secretFile, []byte("MULTILINE=\"first-secret-line\nsecond-secret-line\"\nJSON_SECRET={\"user\":\"json-user-x1\",\"password\":\"pw-s3cr3t-json\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	logDir := filepath.Join(tmp, "logs")
	reportFile := filepath.Join(tmp, "report.json")
	r := runBin(t, dir, []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, "run", "-W", ".github/workflows/secrets.yml",
		"--secret", "SIMPLE=simple-s3cr3t-value", "--secret-file", secretFile,
		"--log-dir", logDir, "--report", reportFile, "--format", "json", "--progress", "plain")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	outputs := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	err := filepath.WalkDir(logDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		outputs[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	report, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	outputs["--report"] = string(report)
	if string(report) != r.stdout {
		t.Errorf("--report %s differs from the JSON report on stdout", reportFile)
	}
	if len(outputs) < 4 {
		t.Fatalf("no log files under --log-dir %s", logDir)
	}
	secrets := []string{
		"simple-s3cr3t-value", "first-secret-line", "second-secret-line",
		`{"user":"json-user-x1","password":"pw-s3cr3t-json"}`, "pw-s3cr3t-json", "json-user-x1",
	}
	generated := regexp.MustCompile(`generated-[0-9]+-token`)
	for name, text := range outputs {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows the secret %q", name, s)
			}
		}
		if m := generated.FindString(text); m != "" {
			t.Errorf("%s shows the ::add-mask:: value %q", name, m)
		}
	}
	// The masked lines are there, as ***: the steps did print them.
	for _, line := range []string{"simple: ***", "simple via env: ***", "json password: ***", "generated: ***"} {
		if !strings.Contains(r.stderr, line) {
			t.Errorf("progress output lacks %q", line)
		}
	}
}

// TestRunDeploySkipped: publishing steps and environment jobs are skipped
// with their reasons, and nothing is deployed: stand-ins for twine, git and
// docker first on the steps' PATH record every call. With --allow-deploy
// the same steps call them.
func TestRunDeploySkipped(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	stubs := t.TempDir()
	calls := filepath.Join(stubs, "calls.log")
	for _, name := range []string{"twine", "git", "docker"} {
		script := fmt.Sprintf("#!/bin/sh\necho \"%s $*\" >> %q\n", name, calls)
		if err := os.WriteFile(filepath.Join(stubs, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=" + stubs + string(os.PathListSeparator) + os.Getenv("PATH")}
	// The stand-ins are on this machine: the host executor runs the steps.
	args := []string{"--executor", "host", "-W", ".github/workflows/deploy.yml", "--env", env[0]}

	r, rep := runJSON(t, dir, nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if d := cmp.Diff(map[string]string{"publish": "success", "production": "skipped", "ssh": "success"}, rep.conclusions()); d != "" {
		t.Errorf("job conclusions (-want +got):\n%s", d)
	}
	jobs := rep.jobs()
	var reasons []string
	for _, s := range append(jobs["publish"].Steps, jobs["ssh"].Steps...) {
		reasons = append(reasons, s.Conclusion+": "+s.Reason)
	}
	skip := " (run with --allow-deploy to run it)"
	want := []string{
		"success: ",
		"skipped: deploy step skipped: uploads packages with twine" + skip,
		"skipped: deploy step skipped: pushes to a git remote" + skip,
		"skipped: deploy step skipped: pushes an image with docker push" + skip,
		"success: ",
		"skipped: deploy step skipped: runs commands on a remote host over ssh" + skip,
	}
	if d := cmp.Diff(want, reasons); d != "" {
		t.Errorf("step reasons (-want +got):\n%s", d)
	}
	if got := jobs["production"].Reason; got != `deploys to environment "production"`+skip {
		t.Errorf("production reason = %q", got)
	}
	if data, err := os.ReadFile(calls); err == nil {
		t.Errorf("deploy commands ran without --allow-deploy:\n%s", data)
	}

	r, rep = runJSON(t, dir, nil, append(args, "--allow-deploy", "-j", "publish", "-j", "production")...)
	if r.code != 0 {
		t.Fatalf("--allow-deploy: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if d := cmp.Diff(map[string]string{"publish": "success", "production": "success"}, rep.conclusions()); d != "" {
		t.Errorf("--allow-deploy job conclusions (-want +got):\n%s", d)
	}
	data, err := os.ReadFile(calls)
	if err != nil {
		t.Fatalf("--allow-deploy ran no deploy command: %v", err)
	}
	if d := cmp.Diff("twine upload dist/*\ngit push origin main\ndocker push example/app:latest\n", string(data)); d != "" {
		t.Errorf("--allow-deploy calls (-want +got):\n%s", d)
	}
}

// TestRunLeavesRepositoryUntouched runs workflows that check out, write
// into the workspace, cache and upload, in a repository with uncommitted
// and untracked changes: every file (path, mode, content) and git status
// are the same afterwards, and the job saw the uncommitted work.
func TestRunLeavesRepositoryUntouched(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	if err := os.WriteFile(filepath.Join(dir, "cache-key.txt"), []byte("changed, not committed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "untracked.txt"), []byte("new\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addWorkflow(t, dir, "sees-changes.yml", `name: Sees changes
on: push
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          test "$(cat cache-key.txt)" = "changed, not committed"
          test "$(cat untracked.txt)" = new
          git status --porcelain | grep -q cache-key.txt
          echo scribble > cache-key.txt
          rm untracked.txt
          mkdir -p made/here && touch made/here/file
`)
	before := snapshot(t, dir)
	for _, wf := range []string{"sees-changes.yml", "cache.yml", "artifacts.yml", "working-directory.yml"} {
		r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/"+wf)
		if r.code != 0 || rep.Conclusion != "success" {
			t.Errorf("%s: exit %d, conclusion %q\nstderr:\n%s", wf, r.code, rep.Conclusion, r.stderr)
		}
	}
	checkUntouched(t, before, snapshot(t, dir))
}

// TestRunInterrupt sends SIGINT to a run whose step has a child process:
// rehearse exits 130 within seconds, reports the job cancelled, and no
// process of the step survives. Every step process carries a marker in its
// environment, so a survivor is found even if it was reparented.
func TestRunInterrupt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("scans /proc for left-over processes; Linux only")
	}
	t.Parallel()
	t.Run("host", func(t *testing.T) {
		t.Parallel()
		runInterrupt(t, []string{"--executor", "host"}, true)
	})
	t.Run("container", func(t *testing.T) {
		t.Parallel()
		if testing.Short() {
			t.Skip("slow: needs the test builder")
		}
		// A container's processes are this machine's too, so the /proc
		// scan finds them by the marker; the pids the step prints are the
		// container's own and mean nothing here.
		runInterrupt(t, []string{"--executor", "container", "--builder", buildkittest.Addr(t), "-P", "ubuntu-latest=" + containertest.Image(t)}, false)
	})
}

func runInterrupt(t *testing.T, executorArgs []string, hostPids bool) {
	dir := fixtures.Materialize(t, "hostrun")
	marker := fmt.Sprintf("REHEARSE_TEST_MARKER=interrupt-%d-%d", os.Getpid(), time.Now().UnixNano())
	r := startRun(t, dir, nil, append(append([]string{"run"}, executorArgs...), "-W", ".github/workflows/long-running.yml",
		"--progress", "plain", "--format", "json", "--env", marker)...)
	r.mustWaitLine(t, "] ready", 30*time.Second)
	// The scan must see the step's processes while they run, or its empty
	// result after the interrupt would prove nothing.
	// The background child may still be between fork and exec: wait a
	// little for both.
	running := survivors(marker, nil)
	for deadline := time.Now().Add(3 * time.Second); len(running) < 2 && time.Now().Before(deadline); running = survivors(marker, nil) {
		time.Sleep(20 * time.Millisecond)
	}
	if len(running) < 2 {
		t.Errorf("the /proc scan finds %v while the step runs, want its shell and sleep", running)
	}
	start := time.Now()
	r.interrupt(t)
	code := r.wait(t, 15*time.Second)
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("rehearse took %v to exit after SIGINT", d)
	}
	if code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, r.output())
	}
	var rep runReport
	if err := json.Unmarshal(r.stdout.Bytes(), &rep); err != nil {
		t.Fatalf("no JSON report after the interrupt: %v\n%s", err, r.stdout.String())
	}
	if rep.Conclusion != "cancelled" {
		t.Errorf("run conclusion = %q, want cancelled", rep.Conclusion)
	}
	if d := cmp.Diff(map[string]string{"wait": "cancelled"}, rep.conclusions()); d != "" {
		t.Errorf("job conclusions (-want +got):\n%s", d)
	}
	if j := rep.jobs()["wait"]; j != nil {
		if d := cmp.Diff([]string{"cancelled/cancelled"}, j.stepResults()); d != "" {
			t.Errorf("steps (-want +got):\n%s", d)
		}
	}
	var stepPids []int
	for _, m := range regexp.MustCompile(`(?m)(?:child|shell) pid ([0-9]+)$`).FindAllStringSubmatch(r.output(), -1) {
		n, _ := strconv.Atoi(m[1])
		stepPids = append(stepPids, n)
	}
	if len(stepPids) != 2 {
		t.Errorf("the step printed pids %v, want the shell's and the child's", stepPids)
	}
	if !hostPids {
		stepPids = nil
	}
	// Processes are reaped asynchronously; give them a moment.
	var left []string
	for deadline := time.Now().Add(3 * time.Second); ; {
		left = survivors(marker, stepPids)
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(left) > 0 {
		t.Errorf("processes of the step survived the interrupt: %v", left)
	}
}

// survivors lists live (not zombie) processes that have marker in their
// environment or one of pids.
func survivors(marker string, pids []int) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !alive(pid) {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err == nil && bytes.Contains(env, []byte(marker)) {
			cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			out = append(out, fmt.Sprintf("%d %s", pid, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
	}
	for _, pid := range pids {
		if alive(pid) {
			out = append(out, fmt.Sprintf("%d (printed by the step)", pid))
		}
	}
	sort.Strings(out)
	return out
}

func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesized command name.
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}

// TestRunDogfoodBuild runs the build job of this project's own CI with
// rehearse: checkout, setup-go from go.mod, go build and planning the
// tutorial fixture with the binary it built. Skipped inside a run (rehearse
// sets GITHUB_ACTIONS=true), so it never recurses.
func TestRunDogfoodBuild(t *testing.T) {
	skipIfShort(t)
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		t.Skip("inside GitHub Actions or a rehearse run: no recursion")
	}
	t.Parallel()
	root := filepath.Dir(fixtures.Dir())
	// The lint and build jobs; the test job would run this suite again.
	r, rep := runJSON(t, t.TempDir(), nil, "-C", root, "-W", ".github/workflows/ci.yml", "-j", "lint", "-j", "build")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if d := cmp.Diff(map[string]string{"lint": "success", "build": "success"}, rep.conclusions()); d != "" {
		t.Fatalf("job conclusions (-want +got):\n%s", d)
	}
	j := rep.jobs()["build"]
	var steps []string
	for _, s := range j.Steps {
		steps = append(steps, s.Name+": "+s.Conclusion)
	}
	want := []string{
		"Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683: success",
		"Run actions/setup-go@d35c59abb061a4a6fb18e82ac0862c26744d6ab5: success",
		"Build: success",
		"Plan the tutorial fixture: success",
	}
	if d := cmp.Diff(want, steps); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	if v := j.Steps[1].Outputs["go-version"]; v == "" {
		t.Errorf("setup-go set no go-version output")
	}
}

// TestRunSharedPipCache runs the pipcache fixture against a PEP 503 index
// on 127.0.0.1 that serves one small wheel built here: the second job's
// install comes from the pip cache the first filled (one download of the
// wheel, "Using cached" in its log), and that cache is under
// REHEARSE_CACHE_DIR.
func TestRunSharedPipCache(t *testing.T) {
	t.Parallel()
	t.Run("host", func(t *testing.T) {
		skipIfShort(t)
		if _, err := exec.LookPath("python3"); err != nil {
			t.Skip("python3 is not installed")
		}
		t.Parallel()
		runSharedPipCache(t, "host", nil)
	})
	t.Run("container", func(t *testing.T) {
		if testing.Short() {
			t.Skip("slow: needs the test builder")
		}
		t.Parallel()
		// The job's user (runner, uid 1001) owns the cache mount at
		// ~/.cache/pip, so pip uses it; PIP_CACHE_DIR is not set.
		runSharedPipCache(t, "container", []string{"--builder", buildkittest.Addr(t), "-P", "ubuntu-latest=" + containertest.Image(t)})
	})
}

func runSharedPipCache(t *testing.T, executor string, args []string) {
	const wheelName = "rehearse_tinypkg-0.1.0-py3-none-any.whl"
	wheel := buildWheel(t, "rehearse_tinypkg", "rehearse-tinypkg", "0.1.0", map[string]string{
		"rehearse_tinypkg/__init__.py": "GREETING = \"hello from tinypkg\"\n",
	})
	sum := sha256.Sum256(wheel)
	var downloads atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/simple/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/simple/":
			fmt.Fprint(w, `<!DOCTYPE html><html><body><a href="rehearse-tinypkg/">rehearse-tinypkg</a></body></html>`)
		case "/simple/rehearse-tinypkg/":
			fmt.Fprintf(w, `<!DOCTYPE html><html><body><a href="/files/%s#sha256=%x">%s</a></body></html>`, wheelName, sum, wheelName)
		default:
			http.NotFound(w, r)
		}
	})
	mux.HandleFunc("/files/"+wheelName, func(w http.ResponseWriter, r *http.Request) {
		downloads.Add(1)
		// As PyPI serves files: cacheable, so pip's HTTP cache keeps it.
		w.Header().Set("Cache-Control", "max-age=365000000, immutable, public")
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(wheel)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cacheDir := t.TempDir()
	dir := fixtures.Materialize(t, "pipcache")
	r, rep := runJSON(t, dir, []string{"REHEARSE_CACHE_DIR=" + cacheDir}, append(append([]string{"--executor", executor}, args...),
		"--env", "PIP_INDEX_URL="+srv.URL+"/simple/",
		// pip caches http:// responses only from trusted hosts (an https
		// mirror needs nothing).
		"--env", "PIP_TRUSTED_HOST=127.0.0.1",
		"--env", "PIP_DISABLE_PIP_VERSION_CHECK=1",
		"--env", "PIP_CONFIG_FILE="+os.DevNull,
		"--env", "PIP_NO_INPUT=1")...)
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if d := cmp.Diff(map[string]string{"first": "success", "second": "success"}, rep.conclusions()); d != "" {
		t.Fatalf("job conclusions (-want +got):\n%s", d)
	}
	if n := downloads.Load(); n != 1 {
		t.Errorf("the index served the wheel %d times, want 1 (the second job should use the shared pip cache)", n)
	}
	second, err := os.ReadFile(rep.jobs()["second"].LogFile)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Using cached \S*` + regexp.QuoteMeta(wheelName)).Match(second) {
		t.Errorf("the second job's log does not say it used the cache:\n%s", second)
	}
	if executor != "host" {
		// The container's pip cache is a BuildKit cache mount, owned by the
		// job's user (pip disables a cache it does not own).
		if !strings.Contains(string(second), "/home/runner/.cache/pip") {
			t.Errorf("pip's cache directory in the container is not ~/.cache/pip:\n%s", second)
		}
		return
	}
	files := 0
	_ = filepath.WalkDir(filepath.Join(cacheDir, "pip"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files == 0 {
		t.Errorf("the pip cache under REHEARSE_CACHE_DIR (%s) is empty", filepath.Join(cacheDir, "pip"))
	}
}

// buildWheel makes a pure-Python wheel: the files, and a dist-info with
// METADATA, WHEEL and a RECORD of their hashes (PEP 427).
func buildWheel(t *testing.T, module, dist, version string, files map[string]string) []byte {
	t.Helper()
	info := module + "-" + version + ".dist-info/"
	all := map[string]string{}
	for k, v := range files {
		all[k] = v
	}
	all[info+"METADATA"] = "Metadata-Version: 2.1\nName: " + dist + "\nVersion: " + version + "\n"
	all[info+"WHEEL"] = "Wheel-Version: 1.0\nGenerator: rehearse-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Strings(names)
	var record strings.Builder
	for _, n := range names {
		h := sha256.Sum256([]byte(all[n]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", n, base64.RawURLEncoding.EncodeToString(h[:]), len(all[n]))
	}
	record.WriteString(info + "RECORD,,\n")
	all[info+"RECORD"] = record.String()
	names = append(names, info+"RECORD")

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err == nil {
			_, err = io.WriteString(w, all[n])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

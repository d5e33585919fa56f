package run_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/fixtures"
)

// hostrunInline are workflows the hostrun fixture does not have, written
// into its repository for TestHostrunWorkflows.
var hostrunInline = map[string]string{
	// The runner reads a step's env files even when the step fails: a
	// later always() step sees the env, output and PATH the failed step
	// wrote, and the job summary has its summary.
	"env-files-failed.yml": `name: Env files of a failed step
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
`,
	// fail-fast.yml with fail-fast: false and shorter sleeps: the failing
	// cell cancels nothing.
	"fail-fast-false.yml": `name: No fail-fast
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
`,
	// A failing cell with continue-on-error does not trigger fail-fast;
	// the other cells, still sleeping, finish.
	"fail-fast-continue.yml": `name: Fail-fast with continue-on-error
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
`,
}

// TestHostrunWorkflows runs the hostrun fixture's workflows and checks
// each job's and step's conclusion, the outputs, the run's conclusion
// (what rehearse's exit status is made of), and that the run left the
// user's repository as it was.
func TestHostrunWorkflows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		workflow string
		// jobs, matrix and noDeps select as -j, --matrix and --no-deps.
		jobs   []string
		matrix map[string]string
		noDeps bool
		minute time.Duration
		// wantExit is report.ExitCode: 1 when a job failed.
		wantExit int
		wantJobs map[string]string
		// wantSteps is "outcome/conclusion" per step, for the jobs listed.
		wantSteps map[string][]string
		check     func(t *testing.T, rep *report.Report)
		// timing marks a case that waits on sleeps, cancellation or
		// timeouts for seconds: skipped under -short.
		timing bool
	}{
		{
			what: "outputs across jobs", workflow: "outputs.yml",
			wantJobs:  map[string]string{"produce": "success", "consume": "success"},
			wantSteps: map[string][]string{"consume": {"success/success", "success/success"}},
			check: func(t *testing.T, rep *report.Report) {
				got := jobsOf(rep)["produce"].Outputs
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
			check: func(t *testing.T, rep *report.Report) {
				j := jobsOf(rep)["files"]
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
			what: "env files of a failed step", workflow: "env-files-failed.yml",
			wantExit:  1,
			wantJobs:  map[string]string{"files": "failure"},
			wantSteps: map[string][]string{"files": {"failure/failure", "success/success"}},
			check: func(t *testing.T, rep *report.Report) {
				j := jobsOf(rep)["files"]
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
			wantExit: 1,
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
			check: func(t *testing.T, rep *report.Report) {
				if j := jobsOf(rep)["first"]; j.FailedStep != "Run exit 1" {
					t.Errorf("failed step = %q", j.FailedStep)
				}
			},
		},
		{
			what: "composite local action", workflow: "composite.yml",
			wantJobs:  map[string]string{"hello": "success"},
			wantSteps: map[string][]string{"hello": {"success/success", "success/success", "success/success", "success/success", "success/success"}},
			check: func(t *testing.T, rep *report.Report) {
				steps := jobsOf(rep)["hello"].Steps
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
			check: func(t *testing.T, rep *report.Report) {
				if len(rep.Artifacts) != 1 || rep.Artifacts[0].Name != "greeting" || rep.Artifacts[0].Files != 2 {
					t.Errorf("artifacts = %+v, want greeting with 2 files", rep.Artifacts)
				}
			},
		},
		{
			what: "fail-fast cancels the other cells", workflow: "fail-fast.yml", timing: true,
			wantExit: 1,
			wantJobs: map[string]string{"shards.1": "cancelled", "shards.2": "failure", "shards.3": "cancelled"},
			check: func(t *testing.T, rep *report.Report) {
				if rep.Conclusion != report.Failure {
					t.Errorf("run conclusion = %q", rep.Conclusion)
				}
				for _, k := range []string{"shards.1", "shards.3"} {
					if r := jobsOf(rep)[k].Reason; !strings.Contains(r, "fail-fast") {
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
			what: "fail-fast false", workflow: "fail-fast-false.yml", timing: true,
			wantExit: 1,
			wantJobs: map[string]string{"shards.1": "success", "shards.2": "failure", "shards.3": "success"},
		},
		{
			what: "fail-fast spares continue-on-error cells", workflow: "fail-fast-continue.yml", timing: true,
			wantJobs: map[string]string{"shards.1": "success", "shards.2": "failure", "shards.3": "success"},
		},
		{
			what: "continue-on-error step, job and matrix", workflow: "continue-on-error.yml",
			wantJobs: map[string]string{
				"step": "success", "job": "failure", "after-job": "success",
				"matrix.1": "success", "matrix.2": "success", "matrix.3": "failure",
			},
			wantSteps: map[string][]string{"step": {"failure/success", "success/success"}},
			check: func(t *testing.T, rep *report.Report) {
				if rep.Conclusion != report.Success {
					t.Errorf("run conclusion = %q, want success", rep.Conclusion)
				}
				jobs := jobsOf(rep)
				for k, want := range map[string]bool{"job": true, "matrix.1": false, "matrix.2": false, "matrix.3": true} {
					if jobs[k].ContinueOnError != want {
						t.Errorf("%s continue_on_error = %v, want %v", k, jobs[k].ContinueOnError, want)
					}
				}
				if d := cmp.Diff(map[string]any{"version": 3.0, "experimental": true}, matrixOf(t, jobs["matrix.3"])); d != "" {
					t.Errorf("matrix.3 cell (-want +got):\n%s", d)
				}
			},
		},
		{
			// A "minute" of 3 s: a job's timeout counts its set-up, and a
			// container's start on a loaded machine can take over a second.
			what: "timeouts", workflow: "timeout.yml", minute: 3 * time.Second, timing: true,
			wantExit: 1,
			wantJobs: map[string]string{"step-timeout": "failure", "job-timeout": "failure"},
			wantSteps: map[string][]string{
				"step-timeout": {"failure/failure", "skipped/skipped", "success/success"},
				"job-timeout":  {"cancelled/cancelled", "skipped/skipped"},
			},
			check: func(t *testing.T, rep *report.Report) {
				jobs := jobsOf(rep)
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
			what: "-j selects a job and what it needs", workflow: "continue-on-error.yml", jobs: []string{"after-job"},
			wantJobs: map[string]string{"job": "failure", "after-job": "success"},
		},
		{
			what: "--no-deps runs the job alone", workflow: "continue-on-error.yml", jobs: []string{"after-job"}, noDeps: true,
			wantJobs: map[string]string{"after-job": "success"},
		},
		{
			what: "--matrix keeps one cell", workflow: "continue-on-error.yml", jobs: []string{"matrix"}, matrix: map[string]string{"version": "2"},
			wantJobs: map[string]string{"matrix.2": "success"},
		},
	}
	// The cases only read the repository, so they share one.
	dir := repo(t, runCase{fixture: "hostrun", keepWorkflows: true, workflows: hostrunInline})
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			if tc.timing {
				skipTimingIfShort(t)
			}
			t.Parallel()
			before := fixtures.Snapshot(t, dir)
			rep := runAt(t, testExecutor(t), dir, runCase{
				path: ".github/workflows/" + tc.workflow, jobs: tc.jobs, matrix: tc.matrix, noDeps: tc.noDeps, minute: tc.minute,
			})
			if got := report.ExitCode(rep); got != tc.wantExit {
				t.Errorf("exit status %d, want %d", got, tc.wantExit)
			}
			if d := cmp.Diff(tc.wantJobs, conclusions(rep)); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s", d)
			}
			jobs := jobsOf(rep)
			for key, want := range tc.wantSteps {
				if j := jobs[key]; j != nil {
					if d := cmp.Diff(want, stepResults(j)); d != "" {
						t.Errorf("%s steps (-want +got):\n%s", key, d)
					}
				}
			}
			if tc.check != nil && !t.Failed() {
				tc.check(t, rep)
			}
			if t.Failed() {
				for _, j := range jobs {
					t.Logf("%s: %s", j.Key, explain(j))
				}
			}
			fixtures.CheckUntouched(t, before, fixtures.Snapshot(t, dir))
		})
	}
}

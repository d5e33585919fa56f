package run_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunUsesOnlyTheJob runs steps and built-in actions on the fake
// executor, whose paths, environment, architecture and files differ from
// this machine's: every fact a step sees must be the job's.
func TestRunUsesOnlyTheJob(t *testing.T) {
	t.Setenv("REHEARSE_HOST_ONLY_VARIABLE", "leaked")
	ex := newFakeExecutor(t)
	rep, dir := runIn(t, ex, runCase{workflows: map[string]string{"seam.yml": `on: push
jobs:
  seam:
    runs-on: ubuntu-latest
    env:
      FROM_JOB: job-env
    steps:
      - uses: actions/checkout@v4
      - id: facts
        run: |
          set -eu
          test "$FAKE_MACHINE" = yes
          test -z "${REHEARSE_HOST_ONLY_VARIABLE:-}"
          test "$GITHUB_WORKSPACE" = "${{ github.workspace }}"
          test "$RUNNER_ARCH" = ARM64
          test "${{ runner.arch }}" = ARM64
          test "$RUNNER_TEMP" = "${{ runner.temp }}"
          test "$RUNNER_TOOL_CACHE" = "${{ runner.tool_cache }}"
          test "$ImageOS" = fakeos1
          test "$RUNNER_ENVIRONMENT" = github-hosted
          test "$HOME" = "$(cd "$RUNNER_TEMP/../../home/runner" && pwd)"
          test "$PWD" = "$GITHUB_WORKSPACE"
          test -f README.md
          test "$FROM_JOB" = job-env
          test -f "$GITHUB_EVENT_PATH"
          echo "hash=${{ hashFiles('cache-key.txt') }}" >> "$GITHUB_OUTPUT"
          echo "NEXT=from-env-file" >> "$GITHUB_ENV"
          mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\necho tool-ran\n' > "$RUNNER_TEMP/bin/mytool" && chmod +x "$RUNNER_TEMP/bin/mytool"
          echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
          echo "### summary" >> "$GITHUB_STEP_SUMMARY"
      - run: |
          set -eu
          test "$NEXT" = from-env-file
          test "$(mytool)" = tool-ran
          test -n "${{ steps.facts.outputs.hash }}"
          mkdir -p dist ~/.cache/thing && echo artifact > dist/a.txt && echo cached > ~/.cache/thing/c.txt
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist/
      - uses: actions/cache@v4
        with:
          path: ~/.cache/thing
          key: thing-${{ hashFiles('cache-key.txt') }}
  later:
    needs: seam
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/download-artifact@v4
        with:
          name: dist
          path: got
      - uses: actions/cache/restore@v4
        id: restore
        with:
          path: ~/.cache/thing
          key: thing-${{ hashFiles('cache-key.txt') }}
      - run: |
          set -eu
          test "$(cat got/a.txt)" = artifact
          test "$(cat ~/.cache/thing/c.txt)" = cached
          test "${{ steps.restore.outputs.cache-hit }}" = true
`}})
	for _, key := range []string{"seam", "later"} {
		if j := job(t, rep, key); j.Conclusion != report.Success {
			t.Fatalf("job %s: %s", key, explain(j))
		}
	}
	if got := job(t, rep, "seam").Summary; !strings.Contains(got, "### summary") {
		t.Errorf("summary = %q", got)
	}
	// Nothing was written into the run's host directories for the jobs:
	// the fake machine has its own.
	if len(ex.jobs) != 2 {
		t.Fatalf("%d jobs started, want 2", len(ex.jobs))
	}
	for _, j := range ex.jobs {
		if !j.closed {
			t.Errorf("job %s was not closed", j.spec.Key)
		}
		if j.spec.HostDirs.Workspace != "" {
			if _, err := os.Stat(filepath.Join(j.spec.HostDirs.Workspace, "README.md")); err == nil {
				t.Errorf("job %s: the checkout went to the host directory %s", j.spec.Key, j.spec.HostDirs.Workspace)
			}
		}
	}
	if ex.jobs[0].imports == 0 || ex.jobs[0].exports == 0 {
		t.Errorf("checkout, artifacts and cache did not go through Import/Export: %d imports, %d exports", ex.jobs[0].imports, ex.jobs[0].exports)
	}
	if got := job(t, rep, "seam").Executor; got != "fake" {
		t.Errorf("report executor = %q, want fake", got)
	}
	_ = dir
}

// TestSetupPythonFromToolCache: on a job without this machine's tools,
// setup-python uses the job's tool cache, as on GitHub, and sets the
// variables setup-python sets; a version that is not there fails the step
// with the executor's explanation.
func TestSetupPythonFromToolCache(t *testing.T) {
	ex := newFakeExecutor(t)
	ex.tools = map[string]string{
		"Python/3.11.9/x64/bin/python": "#!/bin/sh\necho fake-python-3.11.9\n",
		"Python/3.11.9/x64.complete":   "",
		"Python/3.12.4/x64/bin/python": "#!/bin/sh\necho fake-python-3.12.4\n",
		"Python/3.12.4/x64.complete":   "",
	}
	rep, _ := runIn(t, ex, runCase{workflows: map[string]string{"py.yml": `on: push
jobs:
  py:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        id: py
        with:
          python-version: "3.11"
          architecture: x64
      - run: |
          set -eu
          test "$(python)" = fake-python-3.11.9
          test "$pythonLocation" = "$RUNNER_TOOL_CACHE/Python/3.11.9/x64"
          test "$Python3_ROOT_DIR" = "$pythonLocation"
          test "$PKG_CONFIG_PATH" = "$pythonLocation/lib/pkgconfig"
          test "$LD_LIBRARY_PATH" = "$pythonLocation/lib"
          test "${{ steps.py.outputs.python-version }}" = 3.11.9
          test "${{ steps.py.outputs.python-path }}" = "$pythonLocation/bin/python"
  missing:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: "3.13"
          architecture: x64
`}})
	if j := job(t, rep, "py"); j.Conclusion != report.Success {
		t.Fatalf("py: %s", explain(j))
	}
	j := job(t, rep, "missing")
	if j.Conclusion != report.Failure || !strings.Contains(j.Steps[0].Reason, "The version '3.13' with architecture 'x64' was not found") {
		t.Errorf("missing: %s", explain(j))
	}
}

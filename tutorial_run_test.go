package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// offlineTutorialEnv runs the tutorial's pipeline without PyPI: setup-python
// sees only the distribution's python3 (pyenv hidden), its virtual
// environment sees Debian's python3-pytest, black, isort, flake8, mypy and
// bandit, and pip never reaches for an index (README "Offline").
var offlineTutorialEnv = []string{
	"--env", "PATH=/usr/local/bin:/usr/bin:/bin",
	"--env", "PYENV_ROOT=/nonexistent",
	"--env", "REHEARSE_SYSTEM_SITE_PACKAGES=true",
	"--env", "PIP_NO_INDEX=1",
}

// TestTutorialPipelineOffline runs the tutorial's complete CI workflow
// (lint, security, the 11-cell test matrix, build) on the host, offline,
// and asserts the whole report: what GitHub would report for this machine
// with no PyPI.
func TestTutorialPipelineOffline(t *testing.T) {
	t.Parallel()
	skipIfShort(t)
	for _, tool := range []string{"black", "isort", "flake8", "mypy"} {
		if _, err := exec.LookPath("/usr/bin/" + tool); err != nil {
			t.Skipf("Debian's %s is not installed (.ci/run installs it)", tool)
		}
	}
	dir := fixtures.Materialize(t, "tutorial")
	// Offline on the host: Debian's tools, as the README describes; the
	// container version of this test is TestTutorialPipelineInContainers.
	args := append([]string{"run", "--executor", "host", "-W", ".github/workflows/ci.yml", "--format", "json", "--progress", "plain"}, offlineTutorialEnv...)
	r := runBin(t, dir, nil, args...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (a job failed)\nstderr:\n%s", r.code, r.stderr)
	}
	var rep struct {
		Conclusion string
		Workflows  []struct {
			Name, Conclusion string
			Jobs             []struct {
				Name, Conclusion string
				FailedStep       string `json:"failed_step"`
				Reason           string
				LogTail          []string `json:"log_tail"`
				Steps            []struct{ Name, Conclusion string }
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, r.stdout)
	}
	if rep.Conclusion != "failure" || len(rep.Workflows) != 1 || rep.Workflows[0].Name != "Python CI Complete" {
		t.Fatalf("report: %+v", rep)
	}
	type want struct{ conclusion, failedStep, tail string }
	setup := func(v string) want {
		return want{"failure", "Set up Python " + v, "The version '" + v + "' with architecture 'x64' was not found for this operating system."}
	}
	// Debian's pytest is 7.2.1; requirements-dev.txt asks for >=7.4.0,
	// which only PyPI has.
	install := want{"failure", "Install dependencies", "No matching distribution found for pytest>=7.4.0"}
	wants := map[string]want{
		"Code Quality Check":                {conclusion: "success"},
		"Security Scan":                     {"failure", "Install security tools", "No matching distribution found for safety"},
		"Unit Tests (3.9, ubuntu-latest)":   setup("3.9"),
		"Unit Tests (3.9, windows-latest)":  setup("3.9"),
		"Unit Tests (3.10, ubuntu-latest)":  setup("3.10"),
		"Unit Tests (3.10, windows-latest)": setup("3.10"),
		"Unit Tests (3.10, macos-latest)":   setup("3.10"),
		"Unit Tests (3.11, ubuntu-latest)":  install,
		"Unit Tests (3.11, windows-latest)": install,
		"Unit Tests (3.11, macos-latest)":   install,
		"Unit Tests (3.12, ubuntu-latest)":  setup("3.12"),
		"Unit Tests (3.12, windows-latest)": setup("3.12"),
		"Unit Tests (3.12, macos-latest)":   setup("3.12"),
		"Build Package":                     {conclusion: "skipped"},
	}
	jobs := rep.Workflows[0].Jobs
	if len(jobs) != len(wants) {
		t.Errorf("%d jobs in the report, want %d", len(jobs), len(wants))
	}
	for _, j := range jobs {
		w, ok := wants[j.Name]
		if !ok {
			t.Errorf("unexpected job %q", j.Name)
			continue
		}
		if j.Conclusion != w.conclusion || j.FailedStep != w.failedStep {
			t.Errorf("%s: %s at %q, want %s at %q (reason %q)", j.Name, j.Conclusion, j.FailedStep, w.conclusion, w.failedStep, j.Reason)
		}
		if w.tail != "" && !strings.Contains(strings.Join(j.LogTail, "\n"), w.tail) {
			t.Errorf("%s: log tail does not say %q:\n%s", j.Name, w.tail, strings.Join(j.LogTail, "\n"))
		}
	}
	// The lint job really ran the tutorial's four checks, and passed them.
	for _, j := range jobs {
		if j.Name != "Code Quality Check" {
			continue
		}
		var names []string
		for _, s := range j.Steps {
			if s.Conclusion != "success" {
				t.Errorf("lint step %q: %s", s.Name, s.Conclusion)
			}
			names = append(names, s.Name)
		}
		for _, s := range []string{"Check code formatting with Black", "Check import sorting with isort", "Lint with Flake8", "Type check with MyPy"} {
			if !strings.Contains(strings.Join(names, "|"), s) {
				t.Errorf("lint job has no step %q: %q", s, names)
			}
		}
	}
	// Progress goes to stderr as plain prefixed lines, the report alone to stdout.
	if !strings.Contains(r.stderr, "[Code Quality Check] ") {
		t.Errorf("no prefixed progress lines on stderr:\n%.2000s", r.stderr)
	}
}

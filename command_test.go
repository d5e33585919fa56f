package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
	"github.com/rehearse-dev/rehearse/fixtures/golden"
)

// TestPlanGolden plans whole fixture repositories and compares the output
// with testdata goldens: the tutorial's workflows (lint, security, the
// 3.9-3.12 x ubuntu/windows/macos matrix with its exclude, build, the CD
// workflows), the matrix rules and the trigger filters.
func TestPlanGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, fixture, golden string
		args                  []string
		wantCode              int
	}{
		{"tutorial push text", "tutorial", "plan/tutorial-push.txt", []string{"plan", "--executor", "host"}, 0},
		{"tutorial push json", "tutorial", "plan/tutorial-push.json", []string{"plan", "--executor", "host", "--format", "json"}, 0},
		{"tutorial pull_request", "tutorial", "plan/tutorial-pull-request.txt", []string{"plan", "--executor", "host", "pull_request", "--pr-title", "feat: add totals"}, 0},
		{"tutorial on a tag", "tutorial", "plan/tutorial-tag.txt", []string{"plan", "--executor", "host", "--ref", "refs/tags/v1.0"}, 0},
		{"tutorial windows mapped to host", "tutorial", "plan/tutorial-allow-deploy.txt", []string{"plan", "--executor", "host", "--allow-deploy", "-W", ".github/workflows/environments.yml"}, 0},
		{"matrix rules", "matrix", "plan/matrix.json", []string{"plan", "--executor", "host", "--format", "json"}, 2},
		{"trigger filters on push", "triggers", "plan/triggers-push.txt", []string{"plan", "--executor", "host"}, 0},
		{"trigger filters on workflow_dispatch", "triggers", "plan/triggers-dispatch.txt", []string{"plan", "--executor", "host", "workflow_dispatch", "--input", "environment=production", "--input", "version=1.2.3"}, 0},
		{"workflow_dispatch refused by every workflow", "triggers", "plan/triggers-dispatch-refused.txt", []string{"plan", "--executor", "host", "workflow_dispatch", "--input", "environment=production"}, 2},
		{"tutorial push in containers", "tutorial", "plan/tutorial-push-container.txt", []string{"plan", "--executor", "container"}, 0},
		{"trigger filters on release", "triggers", "plan/triggers-release.txt", []string{"plan", "--executor", "host", "release", "--ref", "refs/tags/v1.0"}, 0},
		{"setup-uv is built in", "setupuv", "plan/setupuv.txt", []string{"plan", "--executor", "host"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, tc.fixture)
			// The configuration of the test run (REHEARSE_TEST_EXECUTOR) is not
			// part of what the goldens pin.
			r := runBin(t, dir, []string{"REHEARSE_CONFIG=" + os.DevNull}, tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, tc.wantCode, r.stderr)
			}
			if strings.HasSuffix(tc.golden, ".json") {
				var v map[string]any
				if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
					t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
				}
			}
			golden.Check(t, tc.golden, []byte(strings.ReplaceAll(r.stdout, dir, "$REPO")))
		})
	}
}

// TestPlanTutorialCells checks the facts about the tutorial's CI that a
// reviewer would check by hand, independent of the golden's layout.
func TestPlanTutorialCells(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "tutorial")
	r := runBin(t, dir, nil, "plan", "--format", "json", "-W", ".github/workflows/ci.yml")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var p struct {
		Workflows []struct {
			Name string
			Jobs []struct {
				Key, ID, Name, Status string
				Needs                 []string
				Stage                 int
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatal(err)
	}
	jobs := p.Workflows[0].Jobs
	var tests []string
	for _, j := range jobs {
		if j.ID == "test" {
			tests = append(tests, j.Name)
		}
	}
	// 4 versions x 3 OSes minus the macos/3.9 exclude, in GitHub's order.
	want := []string{
		"Unit Tests (3.9, ubuntu-latest)", "Unit Tests (3.9, windows-latest)",
		"Unit Tests (3.10, ubuntu-latest)", "Unit Tests (3.10, windows-latest)", "Unit Tests (3.10, macos-latest)",
		"Unit Tests (3.11, ubuntu-latest)", "Unit Tests (3.11, windows-latest)", "Unit Tests (3.11, macos-latest)",
		"Unit Tests (3.12, ubuntu-latest)", "Unit Tests (3.12, windows-latest)", "Unit Tests (3.12, macos-latest)",
	}
	if strings.Join(tests, "|") != strings.Join(want, "|") {
		t.Errorf("test cells:\n got %q\nwant %q", tests, want)
	}
	last := jobs[len(jobs)-1]
	if last.ID != "build" || last.Stage != 3 || strings.Join(last.Needs, ",") != "test,security" {
		t.Errorf("build job: %+v", last)
	}
}

// TestUsageErrors: bad input gets a clear message and exit 2, never a
// stack trace.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "tutorial")
	tests := []struct {
		what    string
		args    []string
		wantErr string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"plan", "--frobnicate"}, "unknown flag: --frobnicate"},
		{"missing root", []string{"-C", "/nonexistent/repo", "plan"}, `repository root "/nonexistent/repo" does not exist`},
		{"missing workflow path", []string{"plan", "-W", "nope.yml"}, `no workflow file or directory at "nope.yml"`},
		{"unknown event", []string{"plan", "pushh"}, "pushh"},
		{"bad format", []string{"plan", "--format", "xml"}, `--format "xml": expected text or json`},
		{"bad key value", []string{"plan", "--input", "novalue"}, `--input "novalue": expected KEY=VALUE`},
		{"expr without argument", []string{"expr"}, "expr takes one argument"},
		{"unknown executor", []string{"plan", "--executor", "vm"}, `--executor "vm": expected host, container or auto`},
		{"no command", []string{}, "Usage:"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			// The configuration of the test run (REHEARSE_TEST_EXECUTOR) is not
			// part of what the goldens pin.
			r := runBin(t, dir, []string{"REHEARSE_CONFIG=" + os.DevNull}, tc.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			all := r.stdout + r.stderr
			if !strings.Contains(all, tc.wantErr) {
				t.Errorf("output does not say %q:\n%s", tc.wantErr, all)
			}
			if strings.Contains(all, "goroutine ") {
				t.Errorf("stack trace in output:\n%s", all)
			}
		})
	}
}

// TestGlobalFlagsEitherSide: -C and -W work before and after the command.
func TestGlobalFlagsEitherSide(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "tutorial")
	before := runBin(t, t.TempDir(), nil, "-C", dir, "-W", ".github/workflows/ci.yml", "list")
	after := runBin(t, t.TempDir(), nil, "list", "-C", dir, "-W", ".github/workflows/ci.yml")
	if before.code != 0 || after.code != 0 || before.stdout != after.stdout {
		t.Fatalf("before: %d %q %s\nafter: %d %q %s", before.code, before.stdout, before.stderr, after.code, after.stdout, after.stderr)
	}
	golden.Check(t, "list/tutorial-ci.txt", []byte(before.stdout))
}

// TestExprCommand evaluates expressions as a user debugging an if: would.
func TestExprCommand(t *testing.T) {
	t.Parallel()
	ctxFile := filepath.Join(t.TempDir(), "ctx.json")
	if err := os.WriteFile(ctxFile, []byte(`{"github":{"event_name":"push","ref":"refs/heads/main"},"matrix":{"python-version":3.1,"os":"ubuntu-latest"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what       string
		args       []string
		wantOut    string
		wantCode   int
		wantStderr string
	}{
		{"text value", []string{"expr", "format('{0}-{1}', 'a', 1)"}, "a-1\n", 0, ""},
		{"json number", []string{"expr", "--format", "json", "1 && 2"}, `{"kind":"Number","value":2}` + "\n", 0, ""},
		{"json infinity", []string{"expr", "--format", "json", "fromJSON('1e400')"}, `{"kind":"Number","value":"Infinity"}` + "\n", 0, ""},
		{"with context", []string{"expr", "--context", ctxFile, "github.event_name == 'push' && matrix.python-version == 3.10"}, "true\n", 0, ""},
		{"with delimiters", []string{"expr", "--context", ctxFile, "${{ matrix.os }}"}, "ubuntu-latest\n", 0, ""},
		{"object as json", []string{"expr", "--format", "json", "--context", ctxFile, "matrix"}, `{"kind":"Object","value":{"python-version":3.1,"os":"ubuntu-latest"}}` + "\n", 0, ""},
		{"unknown context", []string{"expr", "secrets.X"}, "", 2, "Unrecognized named-value: 'secrets'"},
		{"syntax error json", []string{"expr", "--format", "json", "1 +"}, "", 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r := runBin(t, t.TempDir(), nil, tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			if tc.wantOut != "" && r.stdout != tc.wantOut {
				t.Errorf("stdout %q, want %q", r.stdout, tc.wantOut)
			}
			if tc.wantStderr != "" && !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tc.wantStderr)
			}
			if tc.what == "syntax error json" && !strings.Contains(r.stdout, `"error":{"kind":`) {
				t.Errorf("json error output: %q", r.stdout)
			}
		})
	}
}

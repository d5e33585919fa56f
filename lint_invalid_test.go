package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
	"github.com/rehearse-dev/rehearse/fixtures/golden"
)

// missingCheckers is what lint prints on stderr when neither external
// checker is on PATH, one line each.
const missingCheckers = "rehearse lint: shellcheck not found on PATH: run: scripts are not checked (install shellcheck)\n" +
	"rehearse lint: pyflakes not found on PATH: run: steps with shell: python are not checked (install pyflakes)\n"

// withoutCheckers is an environment whose PATH has git and nothing else, so
// lint runs no external checker whatever this machine has installed: its
// findings are then actionlint's and rehearse's own, the same everywhere.
func withoutCheckers(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	if git, err := exec.LookPath("git"); err == nil {
		if err := os.Symlink(git, filepath.Join(dir, "git")); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"PATH=" + dir}
}

// requireChecker skips a test that checks a checker's findings when none
// of its names (the ones lint looks for) is on PATH, saying so; on CI
// (CI=true), which installs them (.ci/run), its absence fails the test
// instead.
func requireChecker(t testing.TB, names ...string) {
	t.Helper()
	if _, ok := lookPath(names); ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not on PATH, and CI=true: CI must install it (.ci/run does) for the lint tests of its findings", names[0])
	}
	t.Skipf("%s is not on PATH: this test checks the findings rehearse lint gets from it (install %s to run it)", names[0], names[0])
}

// TestLintInvalid runs lint and plan on each invalid fixture: lint shows
// every finding positioned, with its level, and exits 2 when GitHub would
// refuse the file (0 with warnings only); plan refuses what GitHub refuses
// and accepts warnings-only workflows. Lint runs without the external
// checkers, so the goldens do not depend on what this machine has
// installed; it names the missing ones on stderr.
func TestLintInvalid(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(filepath.Join(fixtures.Dir(), "invalid"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, "invalid/"+name)
			lint := runBin(t, dir, withoutCheckers(t), "lint")
			wantLint, wantPlan := 2, 2
			if name == "warnings-only" {
				wantLint, wantPlan = 0, 0
			}
			if lint.code != wantLint {
				t.Errorf("lint exit %d, want %d\n%s%s", lint.code, wantLint, lint.stdout, lint.stderr)
			}
			if strings.Contains(lint.stderr+lint.stdout, "goroutine ") || strings.Contains(lint.stderr, "panic") {
				t.Fatalf("lint crashed:\n%s", lint.stderr)
			}
			if lint.stderr != missingCheckers {
				t.Errorf("lint stderr:\n%s\nwant one line per missing checker:\n%s", lint.stderr, missingCheckers)
			}
			golden.Check(t, "lint/"+name+".txt", []byte(lint.stdout))
			plan := runBin(t, dir, nil, "plan")
			if plan.code != wantPlan {
				t.Errorf("plan exit %d, want %d\nstderr:\n%s", plan.code, wantPlan, plan.stderr)
			}
			golden.Check(t, "plan-invalid/"+name+".txt", []byte(plan.stderr))
		})
	}
}

// TestLintShellcheck: shellcheck's findings are warnings (GitHub runs the
// script whatever shellcheck thinks of it), so they are shown and lint
// still exits 0; with shellcheck installed, lint does not say it is missing.
func TestLintShellcheck(t *testing.T) {
	t.Parallel()
	requireChecker(t, "shellcheck")
	dir := fixtures.Materialize(t, "invalid/warnings-only")
	r := runBin(t, dir, nil, "lint")
	if r.code != 0 {
		t.Errorf("lint exit %d, want 0 (warnings only)\n%s%s", r.code, r.stdout, r.stderr)
	}
	const want = ".github/workflows/ci.yml:17:9: warning: shellcheck reported issue in this script: SC2086:info:1:6: Double quote to prevent globbing and word splitting [shellcheck]\n"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("lint output lacks shellcheck's finding %q:\n%s", want, r.stdout)
	}
	if strings.Contains(r.stderr, "shellcheck not found") {
		t.Errorf("lint says shellcheck is missing although it is on PATH:\n%s", r.stderr)
	}
}

// TestLintClean: the tutorial's own CI workflow and the project's own
// workflows have no finding at all, shellcheck's included when it is
// installed.
func TestLintClean(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "tutorial")
	if r := runBin(t, dir, nil, "lint", "-W", ".github/workflows/ci.yml"); r.code != 0 || r.stdout != "" {
		t.Errorf("lint of the tutorial's ci.yml: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	root, _ := filepath.Abs(".")
	if r := runBin(t, root, nil, "lint"); r.code != 0 || r.stdout != "" {
		t.Errorf("lint of rehearse's own workflows: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

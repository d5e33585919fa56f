package plan_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/plan"
)

// goldenFiles is one small repository whose plan exercises every part of
// the text output: stages, matrix cells, a step skipped in one cell, a
// cell not run here, a held-back deploy job, a called workflow, notes, a
// workflow the event does not trigger and an invalid one.
var goldenFiles = map[string]string{
	".github/workflows/ci.yml": `name: CI
on: push
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install tools
        run: sudo apt-get install -y shellcheck
      - run: shellcheck *.sh
  test:
    needs: lint
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        python: ["3.12"]
    runs-on: ${{ matrix.os }}
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python }}
      - name: Linux only
        if: matrix.os == 'ubuntu-latest'
        run: echo linux
      - name: Report
        if: failure()
        run: echo failed
  call:
    needs: lint
    uses: ./.github/workflows/reusable.yml
    with:
      target: docs
  deploy:
    needs: [test, call]
    environment: production
    runs-on: ubuntu-latest
    steps:
      - run: twine upload dist/*
`,
	".github/workflows/reusable.yml": `name: Reusable
on:
  workflow_call:
    inputs:
      target: {type: string, required: true}
jobs:
  build:
    name: Build ${{ inputs.target }}
    runs-on: ubuntu-latest
    steps:
      - run: make ${{ inputs.target }}
`,
	".github/workflows/pr.yml": `name: PR
on: pull_request
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: echo pr
`,
	".github/workflows/broken.yml": `name: Broken
on: push
jobs:
  a:
    needs: missing
    runs-on: ubuntu-latest
    steps:
      - run: echo
`,
}

// checkGolden compares got with testdata/name, or rewrites the file when
// REHEARSE_UPDATE_GOLDEN=1 (`make golden`).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("REHEARSE_UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with REHEARSE_UPDATE_GOLDEN=1 to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s\nrun with REHEARSE_UPDATE_GOLDEN=1 to update it", path, diff)
	}
}

func TestWriteTextGolden(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	var b bytes.Buffer
	if err := plan.WriteText(&b, buildPlan(t, goldenFiles, nil)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "plan.text.golden", b.Bytes())
}

func TestWriteListGolden(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	var b bytes.Buffer
	if err := plan.WriteList(&b, buildPlan(t, goldenFiles, nil)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "plan.list.golden", b.Bytes())
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	got := buildPlan(t, goldenFiles, nil).Summarize()
	want := plan.Summary{Workflows: 4, Triggered: 1, Invalid: 1, Planned: 3, Skipped: 1, NotRunLocally: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summarize (-want +got):\n%s", diff)
	}
}

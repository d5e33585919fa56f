package plan_test

import (
	"bytes"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures/golden"

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

func TestWriteTextGolden(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	var b bytes.Buffer
	if err := plan.WriteText(&b, buildPlan(t, goldenFiles, nil)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "plan.text.golden", b.Bytes())
}

func TestWriteListGolden(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	var b bytes.Buffer
	if err := plan.WriteList(&b, buildPlan(t, goldenFiles, nil)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "plan.list.golden", b.Bytes())
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

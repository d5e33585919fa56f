package run_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSkippedMatrixIsOneResult: a matrix job skipped at run time by its
// needs or its if: is one result under its unexpanded name, as GitHub
// decides both before it expands the matrix; a matrix job whose cells run
// keeps one result per cell.
func TestSkippedMatrixIsOneResult(t *testing.T) {
	t.Parallel()
	const wf = `
on: push
jobs:
  fail:
    runs-on: ubuntu-latest
    outputs: {go: "${{ steps.s.outputs.go }}"}
    steps:
      - {id: s, run: 'echo go=no >> "$GITHUB_OUTPUT"'}
      - run: exit 1
  after-fail:
    needs: fail
    name: After ${{ matrix.py }}
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ["3.10", "3.11"]}}
    steps: [{run: echo}]
  gated:
    needs: ok
    if: needs.ok.outputs.go == 'yes'
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ["3.10", "3.11"]}}
    steps: [{run: echo}]
  ok:
    runs-on: ubuntu-latest
    outputs: {go: "${{ steps.s.outputs.go }}"}
    steps: [{id: s, run: 'echo go=no >> "$GITHUB_OUTPUT"'}]
  cells:
    needs: ok
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ["3.10", "3.11"]}}
    steps: [{run: echo}]
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}})
	type row struct{ Key, Name, Conclusion, Reason string }
	var got []row
	for _, j := range rep.Workflows[0].Jobs {
		r := row{j.Key, j.Name, string(j.Conclusion), ""}
		if j.Conclusion == "skipped" {
			r.Reason = j.Reason
		}
		got = append(got, r)
	}
	want := []row{
		{"fail", "fail", "failure", ""},
		{"after-fail", "After ${{ matrix.py }}", "skipped", "a job it needs did not succeed"},
		{"gated", "gated", "skipped", "if: needs.ok.outputs.go == 'yes' is false"},
		{"ok", "ok", "success", ""},
		{"cells.1", "cells (3.10)", "success", ""},
		{"cells.2", "cells (3.11)", "success", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("results (-want +got):\n%s", d)
	}
}

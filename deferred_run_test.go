package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunMatrixFromNeeds: matrices built with fromJSON from a needed job's
// outputs (whole, and one key) are expanded once that job has finished,
// into cells named as GitHub names them.
func TestRunMatrixFromNeeds(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "matrix")
	plan := runBin(t, dir, nil, "plan", "-W", ".github/workflows/fromjson-needs.yml", "--format", "json")
	if plan.code != 0 {
		t.Fatalf("plan exit %d: %s", plan.code, plan.stderr)
	}
	r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/fromjson-needs.yml")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var names []string
	for _, w := range rep.Workflows {
		for _, j := range w.Jobs {
			names = append(names, j.Name+": "+j.Conclusion)
		}
	}
	want := []string{
		"define: success",
		"whole (foo, Debug): success", "whole (bar, Release): success",
		"per-key (red): success", "per-key (green): success", "per-key (blue): success",
	}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("cells (-want +got):\n%s", d)
	}
}

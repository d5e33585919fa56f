package run_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunMatrixFromNeeds: matrices built with fromJSON from a needed job's
// outputs (whole, and one key) are valid at plan time and expanded once
// that job has finished, into cells named as GitHub names them.
func TestRunMatrixFromNeeds(t *testing.T) {
	t.Parallel()
	c := runCase{fixture: "matrix", keepWorkflows: true, path: ".github/workflows/fromjson-needs.yml"}
	dir := repo(t, c)
	p, _ := prepare(t, testExecutor(t), dir, c)
	for _, w := range p.Workflows {
		if w.Invalid || !w.Triggered {
			t.Fatalf("plan: %s invalid %v, triggered %v (%s)", w.File, w.Invalid, w.Triggered, w.Reason)
		}
	}
	rep := runAt(t, testExecutor(t), dir, c)
	if got := report.ExitCode(rep); got != 0 {
		t.Errorf("exit status %d, want 0", got)
	}
	var names []string
	for _, w := range rep.Workflows {
		for _, j := range w.Jobs {
			names = append(names, j.Name+": "+string(j.Conclusion))
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

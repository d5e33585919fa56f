package run_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunCacheAcrossRuns saves actions/cache entries in one run and
// restores them in the next: the first run misses and saves (its second
// job already hits), the second hits from the start and skips the step
// that fills the cache.
func TestRunCacheAcrossRuns(t *testing.T) {
	t.Parallel()
	c := runCase{fixture: "hostrun", keepWorkflows: true, path: ".github/workflows/cache.yml", cacheDir: t.TempDir()}
	cacheHits := func(rep *report.Report) []string {
		var out []string
		for _, k := range []string{"save", "restore"} {
			j := jobsOf(rep)[k]
			if j == nil || len(j.Steps) < 2 {
				out = append(out, k+": missing")
				continue
			}
			out = append(out, k+": "+j.Steps[1].Outputs["cache-hit"])
		}
		return out
	}

	rep, _ := runIn(t, testExecutor(t), c)
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("first run: exit status %d\n%s", got, explain(jobsOf(rep)["save"]))
	}
	if d := cmp.Diff([]string{"save: false", "restore: true"}, cacheHits(rep)); d != "" {
		t.Errorf("first run cache-hit (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"success/success", "success/success", "success/success", "success/success", "success/success", "success/success"}, stepResults(jobsOf(rep)["save"])); d != "" {
		t.Errorf("first run save steps, with the post step (-want +got):\n%s", d)
	}

	// A new checkout of the same commit: only the cache can bring the
	// directory back.
	rep, _ = runIn(t, testExecutor(t), c)
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("second run: exit status %d\n%s", got, explain(jobsOf(rep)["save"]))
	}
	if d := cmp.Diff([]string{"save: true", "restore: true"}, cacheHits(rep)); d != "" {
		t.Errorf("second run cache-hit (-want +got):\n%s", d)
	}
	// The fill step is skipped on a hit, and no post step saves again.
	if d := cmp.Diff([]string{"success/success", "success/success", "skipped/skipped", "success/success", "success/success"}, stepResults(jobsOf(rep)["save"])); d != "" {
		t.Errorf("second run save steps (-want +got):\n%s", d)
	}
}

package plan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSkippedMatrixIsOneCheck: GitHub decides a job's if: and its needs
// before it expands the matrix, so a matrix job they skip is one check
// under its unexpanded name; cells skipped for a reason of their own stay
// cells.
func TestSkippedMatrixIsOneCheck(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	type row struct{ Key, Name, Status, Reason string }
	tests := []struct {
		what, yaml string
		want       []row
	}{
		{
			what: "if: false",
			yaml: `
on: push
jobs:
  test:
    if: github.event_name == 'release'
    name: Test ${{ matrix.py }}
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ["3.10", "3.11"]}}
    steps: [{run: echo}]
`,
			want: []row{{"test", "Test ${{ matrix.py }}", "skipped", "if: github.event_name == 'release' is false"}},
		},
		{
			what: "needs a skipped job",
			yaml: `
on: push
jobs:
  gate: {if: false, runs-on: ubuntu-latest, steps: [{run: echo}]}
  test:
    needs: gate
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ["3.10", "3.11"]}}
    steps: [{run: echo}]
`,
			want: []row{
				{"gate", "gate", "skipped", "if: false is false"},
				{"test", "test", "skipped", "needs gate, which is skipped"},
			},
		},
		{
			what: "cells that run stay cells",
			yaml: `
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ["3.10", "3.11"]}}
    steps: [{run: echo}]
`,
			want: []row{{"test.1", "test (3.10)", "planned", ""}, {"test.2", "test (3.11)", "planned", ""}},
		},
		{
			what: "cells held back by the deploy guard stay cells",
			yaml: `
on: push
jobs:
  deploy:
    environment: production
    runs-on: ubuntu-latest
    strategy: {matrix: {region: [eu, us]}}
    steps: [{run: echo}]
`,
			want: []row{
				{"deploy.1", "deploy (eu)", "skipped", `deploys to environment "production" (run with --allow-deploy to run it)`},
				{"deploy.2", "deploy (us)", "skipped", `deploys to environment "production" (run with --allow-deploy to run it)`},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			wp := oneWorkflow(t, tc.yaml, nil)
			var got []row
			for _, j := range wp.Jobs {
				r := row{j.Key, j.Name, string(j.Status), ""}
				if j.Status != "planned" {
					r.Reason = j.Reason
				}
				got = append(got, r)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("jobs (-want +got):\n%s", d)
			}
		})
	}
}

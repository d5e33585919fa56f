package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSelect: -j keeps the job and what it needs (unless noDeps),
// --matrix narrows only the cells that have its key, and a selection that
// names nothing is an error saying what there is.
func TestSelect(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	const yaml = `
on: push
jobs:
  lint: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  test:
    needs: lint
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ["3.10", "3.11"]}}
    steps: [{run: echo}]
  build: {needs: test, runs-on: ubuntu-latest, steps: [{run: echo}]}
`
	tests := []struct {
		what    string
		ids     []string
		filter  map[string]string
		noDeps  bool
		want    []string
		wantErr string
	}{
		{what: "everything", want: []string{"lint", "test.1", "test.2", "build"}},
		{what: "a job and its needs", ids: []string{"TEST"}, want: []string{"lint", "test.1", "test.2"}},
		{what: "no deps", ids: []string{"build"}, noDeps: true, want: []string{"build"}},
		{what: "one cell", ids: []string{"test"}, filter: map[string]string{"py": "3.11"}, want: []string{"lint", "test.2"}},
		{what: "unknown job", ids: []string{"deploy"}, wantErr: `no job with id "deploy"`},
		{what: "unknown key", filter: map[string]string{"os": "linux"}, wantErr: `no matrix cell of the selected workflows has the key "os"; available keys are "py"`},
		{what: "unknown value", filter: map[string]string{"py": "3.9"}, wantErr: `available values are "3.10", "3.11"`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p := buildPlan(t, map[string]string{".github/workflows/ci.yml": yaml}, nil)
			err := p.Select(tc.ids, tc.filter, tc.noDeps)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, j := range p.Workflows[0].Jobs {
				got = append(got, j.Key)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("kept (-want +got):\n%s", d)
			}
		})
	}
}

package workflow

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeWorkflow(t *testing.T, body string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ci.yml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestMatrixValuesKeepYAMLTypes: GitHub reads `3.10` as the number 3.1 and
// "3.10" as a string; booleans and null keep their kinds (docs: "Using a
// matrix for your jobs" warns about the 3.10 case).
func TestMatrixValuesKeepYAMLTypes(t *testing.T) {
	t.Parallel()
	root := writeWorkflow(t, `on: push
jobs:
  t:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        v: [3.9, 3.10, "3.10", 0x10, true, null, .inf]
        os: [ubuntu-latest]
        include:
          - v: 3.9
            extra: yes
    steps:
      - run: echo
`)
	res, err := Load(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Workflows[0].Jobs[0].Strategy.Matrix
	got := m.Spec.Axes[0].Values
	if len(got) != 7 {
		t.Fatalf("values = %#v", got)
	}
	want := []any{3.9, 3.1, "3.10", 16.0, true, nil}
	if d := cmp.Diff(want, got[:6]); d != "" {
		t.Errorf("typed values (-want +got):\n%s", d)
	}
	if m.Spec.Axes[1].Name != "os" || len(m.Spec.Include) != 1 {
		t.Errorf("axes order or include lost: %+v", m.Spec)
	}
	if v, _ := m.Spec.Include[0].Get("extra"); v != "yes" {
		t.Errorf("include value = %#v, want the string yes (YAML 1.2)", v)
	}
}

// TestSeverity: what GitHub refuses is an error, the rest warnings.
func TestSeverity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, body string
		wantErr    bool
	}{
		{"unknown context", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ foo.bar }}\n", true},
		{"unknown needs", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [b]\n    steps:\n      - run: echo\n", true},
		{"unknown property is fine on GitHub", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n", false},
		{"unknown runner label is fine", "on: push\njobs:\n  a:\n    runs-on: my-custom-label\n    steps:\n      - run: echo\n", false},
		{"unknown action input is fine", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-deep: 1\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			res, err := Load(Options{Root: writeWorkflow(t, tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			if got := HasErrors(res.Findings); got != tc.wantErr {
				t.Errorf("HasErrors = %v, want %v; findings: %v", got, tc.wantErr, res.Findings)
			}
		})
	}
}

// TestJobsInFileOrder: GitHub lists jobs in the order they are written.
func TestJobsInFileOrder(t *testing.T) {
	t.Parallel()
	root := writeWorkflow(t, "on: push\njobs:\n  zeta:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n  alpha:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n  mid:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n")
	res, err := Load(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, j := range res.Workflows[0].Jobs {
		ids = append(ids, j.ID)
	}
	if d := cmp.Diff([]string{"zeta", "alpha", "mid"}, ids); d != "" {
		t.Error(d)
	}
}

// TestYAMLSyntaxErrorIsPositioned: the YAML parser puts some errors at line
// 0 or column 0; the finding still points into the file (found by FuzzLoad).
func TestYAMLSyntaxErrorIsPositioned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, src         string
		wantLine, wantCol int
	}{
		{"unclosed double quote", `"`, 1, 1},
		{"unclosed single quote", `'abc`, 1, 4},
		{"unclosed flow sequence", "on: [push,\n", 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			res, err := Load(Options{Root: writeWorkflow(t, tc.src)})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) == 0 {
				t.Fatal("no finding")
			}
			if f := res.Findings[0]; f.Line != tc.wantLine || f.Column != tc.wantCol {
				t.Errorf("finding %s, want it at %d:%d", f, tc.wantLine, tc.wantCol)
			}
		})
	}
}

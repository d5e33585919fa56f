package workflow

import (
	"strings"
	"testing"
)

// TestMatrixFindingLevels: GitHub refuses a matrix only for an exclude key
// that names no matrix key and for an empty exclude filter (actions/runner
// MatrixBuilder); it compares exclude values with ==, which ignores case in
// strings and converts numbers, so a value that matches that way is no
// finding at all, and one that matches nothing is a warning (the entry
// excludes nothing).
func TestMatrixFindingLevels(t *testing.T) {
	t.Parallel()
	const head = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n    strategy:\n      matrix:\n"
	type finding struct{ level, has string }
	tests := []struct {
		what, matrix string
		want         []finding // nil: no finding at all
	}{
		{"exclude value differing in case", `
        os: [linux, windows]
        exclude:
          - os: Linux
`, nil},
		{"exclude value differing in case, with an include", `
        os: [linux, windows]
        py: ["3.11", "3.12"]
        exclude:
          - os: LINUX
            py: "3.11"
        include:
          - os: Windows
            extra: yes
`, nil},
		{"exclude number written as a string", `
        py: [3.10, 3.9]
        exclude:
          - py: "3.1"
`, []finding{{"warning", "3.10 is the YAML number 3.1"}}},
		{"exclude string written as a number", `
        py: ["3.1", "3.9"]
        exclude:
          - py: 3.10
`, []finding{{"warning", "3.10 is the YAML number 3.1"}}},
		{"exclude object property differing in case", `
        os:
          - {name: Ubuntu, runner: ubuntu-latest}
          - {name: Windows, runner: windows-latest}
        exclude:
          - os: {name: ubuntu}
`, nil},
		{"exclude value matching nothing", `
        os: [linux, windows]
        exclude:
          - os: macos
`, []finding{{"warning", `value "macos" in "exclude" does not match`}}},
		{"case-differing and unmatched values in one file", `
        os: [linux, windows]
        exclude:
          - os: Windows
          - os: darwin
`, []finding{{"warning", `value "darwin" in "exclude" does not match`}}},
		{"unknown exclude key", `
        os: [linux, windows]
        exclude:
          - arch: arm64
`, []finding{{"error", `"arch" in "exclude" section does not exist in matrix`}}},
		{"exclude key only an include adds", `
        os: [linux]
        include:
          - arch: arm64
        exclude:
          - arch: arm64
`, []finding{{"error", "Matrix exclude key 'arch' does not match any key within the matrix"}}},
		{"exclude key differing in case", `
        os: [linux, windows]
        exclude:
          - OS: linux
`, nil},
		{"empty exclude filter", `
        os: [linux, windows]
        exclude:
          - {}
`, []finding{{"error", "Matrix exclude filter must not be empty"}, {"error", `element in "exclude" section should not be empty`}}},
		{"duplicate value", `
        os: [linux, linux]
`, []finding{{"warning", "duplicate value"}}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			res, err := Load(Options{Root: writeWorkflow(t, head+strings.TrimPrefix(tc.matrix, "\n"))})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Annotation())
			}
			if len(res.Findings) != len(tc.want) {
				t.Fatalf("%d findings, want %d:\n%s", len(res.Findings), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				f := res.Findings[i]
				if f.Severity.String() != w.level || !strings.Contains(f.Message, w.has) {
					t.Errorf("finding %d: %s\nwant %s containing %q", i, got[i], w.level, w.has)
				}
			}
			if invalid := res.Invalid[".github/workflows/ci.yml"]; invalid != HasErrors(res.Findings) {
				t.Errorf("invalid = %v with findings:\n%s", invalid, strings.Join(got, "\n"))
			}
		})
	}
}

// TestFindingAnnotation: lint prints findings in the form of run's
// annotations, with the level.
func TestFindingAnnotation(t *testing.T) {
	t.Parallel()
	f := Finding{Path: ".github/workflows/ci.yml", Line: 3, Column: 7, Message: "boom", Kind: "expression", Severity: SeverityError}
	if got, want := f.Annotation(), ".github/workflows/ci.yml:3:7: error: boom [expression]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	f.Severity = SeverityWarning
	if got, want := f.Annotation(), ".github/workflows/ci.yml:3:7: warning: boom [expression]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := f.String(), ".github/workflows/ci.yml:3:7: boom [expression]"; got != want {
		t.Errorf("String() = %q, want %q (the plan's JSON keeps it)", got, want)
	}
}

// TestEveryJobsMatrixError: each job whose matrix GitHub would refuse gets
// its own error, at its matrix.
func TestEveryJobsMatrixError(t *testing.T) {
	t.Parallel()
	job := func(id string) string {
		return "  " + id + ":\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n    strategy:\n      matrix:\n        a: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n        b: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n        c: [1, 2, 3, 4]\n"
	}
	res, err := Load(Options{Root: writeWorkflow(t, "on: push\njobs:\n"+job("one")+job("two"))})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Annotation())
	}
	want := []string{
		`.github/workflows/ci.yml:7:7: error: job "one": Strategy produced more than 256 [matrix]`,
		`.github/workflows/ci.yml:15:7: error: job "two": Strategy produced more than 256 [matrix]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

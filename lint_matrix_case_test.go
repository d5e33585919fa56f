package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// caseMatrixWorkflow has include and exclude entries whose values differ
// from the matrix values only in case. GitHub matches them as == does,
// ignoring case in strings (actions/runner MatrixBuilder evaluates
// `matrix.os == 'Linux'`), and accepts the file:
//   - exclude {os: Linux, py: "3.11"} removes the linux/3.11 combination;
//   - include {os: WINDOWS, py: "3.12", extra: yes} matches windows/3.12 and
//     adds extra to it, without changing os ("added to each of the matrix
//     combinations if none of the key:value pairs overwrite any of the
//     original matrix values", docs: "Expanding or adding matrix
//     configurations");
//   - include {os: Darwin, py: "3.12"} matches no combination and is added
//     as a new one.
//
// Job u's exclude matches nothing: GitHub accepts it (it excludes nothing),
// lint and plan warn.
const caseMatrixWorkflow = `on: push
jobs:
  t:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        os: [linux, windows]
        py: ["3.11", "3.12"]
        exclude:
          - os: Linux
            py: "3.11"
        include:
          - os: WINDOWS
            py: "3.12"
            extra: "yes"
          - os: Darwin
            py: "3.12"
    steps:
      - run: echo "cell ${{ matrix.os }} ${{ matrix.py }} extra=${{ matrix.extra }}"
  u:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        os: [linux, windows]
        exclude:
          - os: macos
    steps:
      - run: echo "cell ${{ matrix.os }}"
`

// matrixCell is a planned or run job as the JSON outputs give it.
type matrixCell struct {
	Name   string         `json:"name"`
	Matrix map[string]any `json:"matrix"`
	// Conclusion and LogFile are set by run only.
	Conclusion string `json:"conclusion,omitempty"`
	LogFile    string `json:"log_file,omitempty"`
}

// TestMatrixFiltersIgnoreCase runs lint, plan and run (host executor) on
// caseMatrixWorkflow: the case-differing entries are no finding, the cells
// are GitHub's, each runs with its values, and the exclude that matches
// nothing is a warning that refuses nothing.
func TestMatrixFiltersIgnoreCase(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	const file = ".github/workflows/case-matrix.yml"
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(file)), []byte(caseMatrixWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	const warning = file + `:26:17: warning: value "macos" in "exclude" does not match in matrix "os" combinations. possible values are "linux", "windows" [matrix]`

	lint := runBin(t, dir, withoutCheckers(t), "lint", "-W", file)
	if lint.code != 0 || lint.stdout != warning+"\n" {
		t.Errorf("lint: exit %d, want 0 and only the unmatched exclude's warning %q:\n%s%s", lint.code, warning, lint.stdout, lint.stderr)
	}

	want := []matrixCell{
		{Name: "t (linux, 3.12)", Matrix: map[string]any{"os": "linux", "py": "3.12"}},
		{Name: "t (windows, 3.11)", Matrix: map[string]any{"os": "windows", "py": "3.11"}},
		{Name: "t (windows, 3.12)", Matrix: map[string]any{"os": "windows", "py": "3.12", "extra": "yes"}},
		{Name: "t (Darwin, 3.12)", Matrix: map[string]any{"os": "Darwin", "py": "3.12"}},
		{Name: "u (linux)", Matrix: map[string]any{"os": "linux"}},
		{Name: "u (windows)", Matrix: map[string]any{"os": "windows"}},
	}

	plan := runBin(t, dir, nil, "plan", "--executor", "host", "--format", "json", "-W", file)
	if plan.code != 0 {
		t.Fatalf("plan: exit %d, want 0 (GitHub accepts the file)\n%s", plan.code, plan.stderr)
	}
	if strings.Contains(plan.stderr, "error:") || !strings.Contains(plan.stderr, warning) || strings.Count(plan.stderr, "[matrix]") != 1 {
		t.Errorf("plan stderr: want the unmatched exclude's warning only:\n%s", plan.stderr)
	}
	var p struct {
		Workflows []struct {
			Jobs []matrixCell `json:"jobs"`
		} `json:"workflows"`
	}
	if err := json.Unmarshal([]byte(plan.stdout), &p); err != nil || len(p.Workflows) != 1 {
		t.Fatalf("plan JSON (%v):\n%s", err, plan.stdout)
	}
	if d := cmp.Diff(want, p.Workflows[0].Jobs); d != "" {
		t.Errorf("planned cells (-want +got):\n%s", d)
	}

	run := runBin(t, dir, []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, "run", "--executor", "host", "--format", "json", "--progress", "quiet", "-W", file)
	if run.code != 0 {
		t.Fatalf("run: exit %d, want 0\n%s%s", run.code, run.stdout, run.stderr)
	}
	var rep struct {
		Conclusion string `json:"conclusion"`
		Workflows  []struct {
			Jobs []matrixCell `json:"jobs"`
		} `json:"workflows"`
	}
	if err := json.Unmarshal([]byte(run.stdout), &rep); err != nil || len(rep.Workflows) != 1 {
		t.Fatalf("run JSON (%v):\n%s", err, run.stdout)
	}
	got := rep.Workflows[0].Jobs
	var logs []string
	for i, j := range got {
		if j.Conclusion != "success" {
			t.Errorf("%s: %s, want success", j.Name, j.Conclusion)
		}
		b, err := os.ReadFile(j.LogFile)
		if err != nil {
			t.Errorf("%s: no log: %v", j.Name, err)
		}
		for line := range strings.SplitSeq(string(b), "\n") {
			// The step's own output line, after the log's timestamp.
			if _, out, ok := strings.Cut(line, "Z cell "); ok {
				logs = append(logs, out)
			}
		}
		got[i].Conclusion, got[i].LogFile = "", ""
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("cells run (-want +got):\n%s", d)
	}
	wantLogs := []string{"linux 3.12 extra=", "windows 3.11 extra=", "windows 3.12 extra=yes", "Darwin 3.12 extra=", "linux", "windows"}
	if d := cmp.Diff(wantLogs, logs); d != "" {
		t.Errorf("what the cells echoed (-want +got):\n%s", d)
	}
}

package workflow

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loadDeadline bounds one Load of a fuzzed file. A seed loads in
// milliseconds; the shape limits (limits.go) are what keep a hostile file
// from taking seconds, and this catches a shape they miss.
const loadDeadline = 10 * time.Second

// FuzzLoad: whatever a workflow file holds, Load returns (no panic) within
// loadDeadline, and every finding it reports is positioned inside the file
// (line 1 to the last line, column at least 1), so an editor can jump to
// it. Seeds: every fixture workflow, valid and invalid, and the hostile
// shapes the loader must refuse quickly.
func FuzzLoad(f *testing.F) {
	for _, glob := range []string{"../../fixtures/*/.github/workflows/*.yml", "../../fixtures/invalid/*/.github/workflows/*.yml"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range hostileWorkflows() {
		f.Add([]byte(s))
	}

	root := f.TempDir()
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	file := filepath.Join(dir, "ci.yml")
	f.Fuzz(func(t *testing.T, src []byte) {
		if err := os.WriteFile(file, src, 0o644); err != nil {
			t.Fatal(err)
		}
		type result struct {
			res *Result
			err error
		}
		done := make(chan result, 1)
		go func() {
			res, err := Load(Options{Root: root})
			done <- result{res, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(loadDeadline):
			t.Fatalf("Load took more than %v on a %d-byte file", loadDeadline, len(src))
		}
		if r.err != nil {
			// A Go error is a broken tool, not a broken workflow: the file
			// itself is always readable here.
			t.Fatalf("Load: %v", r.err)
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, fd := range r.res.Findings {
			if fd.Path != ".github/workflows/ci.yml" {
				t.Errorf("finding %s: path %q, want the file's", fd, fd.Path)
			}
			if fd.Line < 1 || fd.Line > lines || fd.Column < 1 {
				t.Errorf("finding %s: position %d:%d is outside the %d-line file", fd, fd.Line, fd.Column, lines)
			}
			if strings.TrimSpace(fd.Message) == "" {
				t.Errorf("finding at %d:%d has no message", fd.Line, fd.Column)
			}
		}
		if !r.res.Invalid[".github/workflows/ci.yml"] && len(r.res.Workflows) != 1 {
			t.Errorf("a file without errors gave %d workflows, want 1", len(r.res.Workflows))
		}
	})
}

// hostileWorkflows are the shapes a workflow file can take to exhaust the
// loader: an alias bomb, deep nesting, long matrix axes and exclude lists,
// a long line. Each is kept small enough that the seed run stays fast.
func hostileWorkflows() []string {
	var axis, exclude strings.Builder
	for i := range 300 {
		axis.WriteString(strings.Repeat(" ", 10) + "- v" + strconv.Itoa(i) + "\n")
	}
	for i := range 300 {
		exclude.WriteString(strings.Repeat(" ", 10) + "- {x: v" + strconv.Itoa(i) + ", y: 1}\n")
	}
	const head = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
	return []string{
		aliasBomb(),
		deepList(150),
		head + "    strategy:\n      matrix:\n        x:\n" + axis.String() + "        y: [1, 2]\n    steps: [{run: echo}]\n",
		head + "    strategy:\n      matrix:\n        x: [v1, v2]\n        y: [1, 2]\n        exclude:\n" + exclude.String() + "    steps: [{run: echo}]\n",
		head + "    steps:\n      - run: echo " + strings.Repeat("x", 256<<10) + "\n",
		head + "    env: {A: '${{ " + strings.Repeat("(", 60) + "1" + strings.Repeat(")", 60) + " }}'}\n    steps: [{run: echo}]\n",
	}
}

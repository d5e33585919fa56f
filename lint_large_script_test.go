package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// largeScript is a run: block of over 128 KB, indented for a step, whose
// line at (1-based) is the only one a checker finds something on, past
// the first 64 KB (a pipe's capacity); the other lines are 1 KB each
// (shellcheck takes seconds over thousands of short lines).
func largeScript(code, comment, finding string) (block string, at int) {
	pad := strings.Repeat("padding ", 128)
	var b strings.Builder
	n := 0
	line := func(s string) {
		b.WriteString("          " + s + "\n")
		n++
	}
	for b.Len() < 100<<10 {
		line(fmt.Sprintf(code, pad))
	}
	line(finding)
	at = n
	for b.Len() < 130<<10 {
		line(comment + " " + pad)
	}
	return b.String(), at
}

// TestLintLargeScripts: lint returns, with the checker's finding past the
// first 64 KB, on a 128 KB shell script (shellcheck) and a 128 KB Python
// script (pyflakes). actionlint v1.7.12 writes a script into the
// checker's stdin pipe before starting it, which blocks forever past
// 64 KB (rhysd/actionlint issue 702); the timeout makes that a failure.
func TestLintLargeScripts(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	requireChecker(t, "shellcheck")
	requireChecker(t, "pyflakes", "pyflakes3")
	shell, shellAt := largeScript(`echo "%s"`, "#", "echo $after_64k")
	python, pythonAt := largeScript(`print("%s")`, "#", "print(undefined_after_64k)")
	wf := "on: push\njobs:\n  big:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - run: |\n" + shell +
		"      - shell: python\n        run: |\n" + python
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "big.yml"), []byte(wf), 0o644); err != nil {
		t.Fatal(err)
	}
	pythonRun := 6 + strings.Count(shell, "\n") + 2 // the line of the python step's run:

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, rehearseBin, "-C", dir, "lint")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("lint of 128 KB scripts did not return in 2 minutes (a checker blocked on its stdin?)\n%s", stderr.String())
	}
	if err != nil {
		t.Fatalf("lint: %v (warnings only: want exit 0)\n%s%s", err, stdout.String(), stderr.String())
	}
	want := fmt.Sprintf(".github/workflows/big.yml:6:9: warning: shellcheck reported issue in this script: SC2086:info:%d:6: Double quote to prevent globbing and word splitting [shellcheck]\n", shellAt) +
		fmt.Sprintf(".github/workflows/big.yml:%d:9: warning: pyflakes reported issue in this script: %d:7: undefined name 'undefined_after_64k' [pyflakes]\n", pythonRun, pythonAt)
	if got := stdout.String(); got != want {
		t.Errorf("lint printed\n%s\nwant\n%s", got, want)
	}
	if stderr.Len() > 0 {
		t.Errorf("lint said on stderr: %s", stderr.String())
	}
}

package checkers

import (
	"fmt"
	"github.com/rehearse-dev/rehearse/fixtures"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// largePython is a Python script of 128 KB whose only finding (an
// undefined name) is past its first 64 KB, a pipe's capacity.
func largePython() string {
	var b strings.Builder
	pad := strings.Repeat("padding ", 128)
	for i := 0; b.Len() < 100<<10; i++ {
		fmt.Fprintf(&b, "print('line %d: %s')\n", i, pad)
	}
	b.WriteString("print(undefined_after_64k)\n")
	for b.Len() < 128<<10 {
		fmt.Fprintf(&b, "# %s\n", pad)
	}
	return b.String()
}

// pythonScripts are scripts with warnings, syntax errors, none, and
// non-ASCII text.
var pythonScripts = []string{
	"import os\nprint(x)\n",
	"print('hello')\n",
	"print(\n",
	"def f(:\n    pass\n",
	"import sys\nimport sys\nprint('héllo', wörld)\n",
	"x = '________________'\nprint(x)\n",
	"import os\nprint(x)\n", // the first again
	largePython(),
}

// TestPyflakesBatchedAsAlone: pyflakes run on all the scripts at once
// reports on each what it reports when run alone on its stdin, as
// actionlint runs it (whose output it reads after "<stdin>:").
func TestPyflakesBatchedAsAlone(t *testing.T) {
	t.Parallel()
	exe := fixtures.Tool(t, "pyflakes", "pyflakes3")
	got, err := Pyflakes(t.Context(), exe, pythonScripts)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pythonScripts) {
		t.Fatalf("%d results for %d scripts", len(got), len(pythonScripts))
	}
	some := 0
	for i, s := range pythonScripts {
		want := pyflakesAlone(t, exe, s)
		some += len(want)
		if d := cmp.Diff(want, got[i], cmpopts.EquateEmpty()); d != "" {
			t.Errorf("script %d (%.40q): batched reports differ from alone (-alone +batched):\n%s", i, s, d)
		}
	}
	if some < 8 {
		t.Errorf("only %d reports over the scripts: they should have many", some)
	}
}

// TestPyflakesLargeScript: a 128 KB script is checked, and its finding
// past 64 KB reported, within the timeout (rhysd/actionlint issue 702).
func TestPyflakesLargeScript(t *testing.T) {
	t.Parallel()
	exe := fixtures.Tool(t, "pyflakes", "pyflakes3")
	done := make(chan error, 1)
	var got [][]string
	go func() {
		var err error
		got, err = Pyflakes(t.Context(), exe, []string{largePython()})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("pyflakes of a 128 KB script did not return in 2 minutes")
	}
	if len(got[0]) != 1 || !strings.HasSuffix(got[0][0], "undefined name 'undefined_after_64k'") {
		t.Errorf("reports %q, want the undefined name past the first 64 KB", got[0])
	}
}

// pyflakesAlone is what one pyflakes process reports for src on its
// stdin, read as actionlint reads it: what follows each "<stdin>:" up to
// the end of its line.
func pyflakesAlone(t *testing.T, exe, src string) []string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), exe)
	cmd.Stdin = strings.NewReader(src)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && (!ok || len(out) == 0) {
		t.Fatalf("pyflakes alone: %v", err)
	}
	var reports []string
	for line := range strings.Lines(string(out)) {
		if _, rest, ok := strings.Cut(line, "<stdin>:"); ok {
			reports = append(reports, strings.TrimRight(rest, "\r\n"))
		}
	}
	return reports
}

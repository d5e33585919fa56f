package workflow

import (
	"github.com/rehearse-dev/rehearse/fixtures"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rhysd/actionlint"
)

// TestScriptFindingsAsActionlint: the shellcheck and pyflakes findings of
// Load, which checks all the scripts together, are those of actionlint's
// own rules, which check one script per process: same scripts chosen
// (default shells of workflow, job and runner; pwsh, cmd skipped), same
// ${{ }} blanking, messages, positions, and actionlint.yaml's ignores. The
// workflows are testdata/scripts; one is only called (uses: ./...).
func TestScriptFindingsAsActionlint(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts shellcheck and pyflakes once per script through actionlint, skipped under -short: make test runs it")
	}
	t.Parallel()
	shellcheck := fixtures.Tool(t, "shellcheck")
	pyflakes := fixtures.Tool(t, "pyflakes", "pyflakes3")
	root, err := filepath.Abs(filepath.Join("testdata", "scripts"))
	if err != nil {
		t.Fatal(err)
	}
	checked := func(kind string) bool { return kind == "shellcheck" || kind == "pyflakes" }

	project, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{Shellcheck: shellcheck, Pyflakes: pyflakes, WorkingDir: root})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range []string{"workflows/ci.yml", "workflows/other.yml", "workflows/plain.yml", "called/called.yml"} {
		path := ".github/" + f
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		errs, err := linter.Lint(path, src, project)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			if checked(e.Kind) {
				want = append(want, (&Finding{Path: path, Line: e.Line, Column: e.Column, Message: e.Message, Kind: e.Kind}).String())
			}
		}
	}

	res, err := LoadContext(t.Context(), Options{Root: root, Shellcheck: shellcheck, Pyflakes: pyflakes})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if checked(f.Kind) {
			if f.Severity != SeverityWarning {
				t.Errorf("%s is an error, want a warning: GitHub runs the script anyway", f)
			}
			got = append(got, f.String())
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings differ from actionlint's rules (-actionlint +rehearse):\n%s", d)
	}

	// The sample must exercise what it claims to.
	joined := strings.Join(got, "\n")
	for _, s := range []string{
		"ci.yml:11:9: shellcheck reported issue in this script: SC2086:info:1:6:",    // default bash
		"ci.yml:12:9: shellcheck reported issue in this script: SC2034:warning:4:1:", // not ignored here
		"ci.yml:19:9: shellcheck reported issue in this script: SC3010:",             // sh dialect
		"ci.yml:33:9: shellcheck reported issue in this script: SC2086:info:2:14:",   // a tab counts to column 9
		"ci.yml:42:9: shellcheck", // workflow's bash before the runner's pwsh
		"ci.yml:28:9: pyflakes reported issue in this script: 2:28: undefined name 'undefined'", // ${{ }} blanked
		"ci.yml:32:9: pyflakes reported issue in this script: 1:6: '(' was never closed",        // syntax error
		"other.yml:9:9: pyflakes",    // windows runner, workflow's python
		"other.yml:16:9: pyflakes",   // job defaults without a shell
		"called.yml:6:9: shellcheck", // called workflow
		"plain.yml:11:9: shellcheck", // no defaults
	} {
		if !strings.Contains(joined, s) {
			t.Errorf("no finding has %q", s)
		}
	}
	if strings.Contains(joined, "plain.yml:12:9: shellcheck reported issue in this script: SC2034") {
		t.Error("actionlint.yaml ignores SC2034 in plain.yml, but it is reported")
	}
	if t.Failed() {
		t.Logf("rehearse's findings:\n%s", joined)
	}
}

package checkers

import (
	"encoding/json"
	"fmt"
	"github.com/rehearse-dev/rehearse/fixtures"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// largeShell is a bash script of 128 KB whose only finding (SC2086 on
// $after) is past its first 64 KB, a pipe's capacity.
func largeShell() string {
	var b strings.Builder
	b.WriteString("set -eo pipefail\n")
	// Lines of 1 KB: shellcheck takes seconds on thousands of short ones.
	pad := strings.Repeat("padding ", 128)
	for i := 0; b.Len() < 100<<10; i++ {
		fmt.Fprintf(&b, "echo \"line %d: %s\"\n", i, pad)
	}
	b.WriteString("echo $after\n")
	for b.Len() < 128<<10 {
		fmt.Fprintf(&b, "# %s\n", pad)
	}
	return b.String()
}

// shellScripts are scripts whose findings differ in kind, number, level,
// dialect and column counting.
var shellScripts = []ShellScript{
	{"bash", "set -eo pipefail\necho $FOO\n"},
	{"bash", "set -eo pipefail\nif true; then\n\techo $x\nfi\n"},
	{"bash", "set -eo pipefail\nfor f in $(ls); do echo $f; done\ncd dir\nread line\n"},
	{"bash", "set -eo pipefail\necho \"hello\"\n"},
	{"bash", "set -eo pipefail\nif then fi\n"},
	{"bash", "set -eo pipefail\necho \"héllo wörld\" $X; echo $Y\n"},
	{"bash", "set -eo pipefail\necho \"_______________________\" $Y\nif [ \"__________________\" = x ]; then echo; fi\n"},
	{"bash", "set -eo pipefail\nsource ./missing.sh\nsource \"$dir/x\"\n"},
	{"sh", "set -e\nif [[ -n \"$A\" ]]; then echo hi; fi\necho -e 'a\\tb'\n"},
	{"sh", "set -e\necho $FOO\n"},
	{"bash", "set -eo pipefail\necho $FOO\n"}, // the first again
	{"bash", largeShell()},
}

// TestShellcheckBatchedAsAlone: shellcheck run on all the scripts at once
// gives each the comments it gets when run alone on its stdin, as
// actionlint runs it.
func TestShellcheckBatchedAsAlone(t *testing.T) {
	t.Parallel()
	exe := fixtures.Tool(t, "shellcheck")
	got, err := Shellcheck(t.Context(), exe, shellScripts)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(shellScripts) {
		t.Fatalf("%d results for %d scripts", len(got), len(shellScripts))
	}
	some := 0
	for i, s := range shellScripts {
		want := shellcheckAlone(t, exe, s)
		some += len(want)
		if d := cmp.Diff(want, got[i], cmpopts.EquateEmpty()); d != "" {
			t.Errorf("script %d (%.40q): batched comments differ from alone (-alone +batched):\n%s", i, s.Text, d)
		}
	}
	if some < 10 {
		t.Errorf("only %d comments over the scripts: they should have many", some)
	}
	last := got[len(got)-1]
	if len(last) != 1 || last[0].Code != 2086 || last[0].Line < 64 {
		t.Errorf("the large script's comments are %+v, want SC2086 past its first 64 KB", last)
	}
}

// TestShellcheckLargeScript: a 128 KB script is checked, and its finding
// past 64 KB reported, within the timeout: a checker fed through a pipe
// before it starts blocks forever (rhysd/actionlint issue 702).
func TestShellcheckLargeScript(t *testing.T) {
	t.Parallel()
	exe := fixtures.Tool(t, "shellcheck")
	done := make(chan error, 1)
	var got [][]ShellComment
	go func() {
		var err error
		got, err = Shellcheck(t.Context(), exe, []ShellScript{{"bash", largeShell()}})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("shellcheck of a 128 KB script did not return in 2 minutes")
	}
	if len(got[0]) != 1 || got[0][0].Code != 2086 || got[0][0].Line < 64 {
		t.Errorf("comments %+v, want SC2086 past the first 64 KB", got[0])
	}
}

// shellcheckAlone is what one shellcheck process gives for s on its
// stdin, with actionlint's arguments. exec copies Stdin in a goroutine
// once the process runs, so a large script does not block here.
func shellcheckAlone(t *testing.T, exe string, s ShellScript) []ShellComment {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), exe, "--norc", "-f", "json", "-x", "--shell", s.Dialect, "-e", shellcheckExcluded, "-")
	cmd.Stdin = strings.NewReader(s.Text)
	out, err := cmd.Output()
	if _, ok := err.(*exec.ExitError); err != nil && (!ok || len(out) == 0) {
		t.Fatalf("shellcheck alone: %v", err)
	}
	var cs []ShellComment
	if err := json.Unmarshal(out, &cs); err != nil {
		t.Fatalf("shellcheck alone: %v: %s", err, out)
	}
	return cs
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestExprGitHubContext: rehearse expr evaluates with the repository's
// github context, as plan sees it for the event (push unless --event says
// otherwise), shaped by the same flags as plan's (--ref, --base,
// --event-file, --input); --context replaces it; an expression that does
// not read github needs no repository.
func TestExprGitHubContext(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	sha := strings.TrimSpace(string(out))
	tmp := t.TempDir()
	eventFile := filepath.Join(tmp, "event.json")
	if err := os.WriteFile(eventFile, []byte(`{"custom": {"answer": 42}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctxFile := filepath.Join(tmp, "ctx.json")
	if err := os.WriteFile(ctxFile, []byte(`{"GitHub": {"event_name": "given"}, "matrix": {"os": "ubuntu-latest"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	notRepo := t.TempDir()
	tests := []struct {
		what     string
		dir      string
		args     []string
		want     string
		wantCode int
		// quiet: nothing on stderr.
		quiet bool
	}{
		{"event name defaults to push", dir, []string{"github.event_name"}, "push", 0, true},
		{"property names ignore case", dir, []string{"github.EVENT_NAME"}, "push", 0, true},
		{"with delimiters", dir, []string{"${{ github.ref }}"}, "refs/heads/main", 0, true},
		{"sha", dir, []string{"github.sha"}, sha, 0, true},
		{"repository from origin", dir, []string{"github.repository"}, "rehearse-dev/hostrun", 0, true},
		{"ref type", dir, []string{"github.ref_type"}, "branch", 0, true},
		{"event payload", dir, []string{"github.event.head_commit.id == github.sha"}, "true", 0, true},
		{"--event", dir, []string{"--event", "pull_request", "github.event_name"}, "pull_request", 0, false},
		{"--event pull_request has a base ref", dir, []string{"--event", "pull_request", "github.base_ref"}, "main", 0, false},
		{"--ref", dir, []string{"--ref", "feature", "format('{0} {1}', github.ref, github.ref_name)"}, "refs/heads/feature feature", 0, false},
		{"--event-file", dir, []string{"--event-file", eventFile, "github.event.custom.answer"}, "42", 0, false},
		{"--input", dir, []string{"--event", "workflow_dispatch", "--input", "name=v", "github.event.inputs.name"}, "v", 0, false},
		{"-C from elsewhere", notRepo, []string{"-C", dir, "github.sha"}, sha, 0, true},
		{"--context replaces github", dir, []string{"--context", ctxFile, "format('{0} {1}', github.event_name, matrix.os)"}, "given ubuntu-latest", 0, true},
		{"no github, no repository needed", notRepo, []string{"format('{0}', 1)"}, "1", 0, true},
		{"unknown event", dir, []string{"--event", "nope", "github.event_name"}, "", 2, false},
		{"other contexts are still unknown", dir, []string{"secrets.X"}, "", 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"expr"}, tc.args...)
			if tc.args[0] == "-C" {
				args = append([]string{"-C", tc.args[1], "expr"}, tc.args[2:]...)
			}
			r := runBin(t, tc.dir, nil, args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			if tc.wantCode == 0 && r.stdout != tc.want+"\n" {
				t.Errorf("stdout %q, want %q", r.stdout, tc.want+"\n")
			}
			if tc.quiet && r.stderr != "" {
				t.Errorf("stderr: %s", r.stderr)
			}
		})
	}
}

// TestExprHelp: expr's help says where the github context comes from and
// lists the event flags.
func TestExprHelp(t *testing.T) {
	t.Parallel()
	r := runBin(t, t.TempDir(), nil, "expr", "--help")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"github context is the repository's", "--event EVENT", "--event-file FILE", "--ref REF", "begin with - (a negative number)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, r.stdout)
		}
	}
}

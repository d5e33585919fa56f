package trigger

import "testing"

// TestSkipCI follows docs: skip-workflow-runs.
func TestSkipCI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		event   string
		message string
		want    bool
	}{
		{"[skip ci] in the subject", "push", "fix typo [skip ci]", true},
		{"[ci skip]", "push", "[ci skip] docs", true},
		{"[no ci]", "push", "wip [no ci]", true},
		{"[skip actions]", "push", "chore: bump [skip actions]", true},
		{"[actions skip]", "push", "chore: bump [actions skip]", true},
		{"a marker in the body", "push", "subject\n\nbody line\n[skip ci]\n", true},
		{"pull_request head commit", "pull_request", "refactor [skip ci]", true},
		{"no marker", "push", "skip ci without brackets", false},
		{"a different bracket word", "push", "[skip tests]", false},
		{"markers are matched as written (upper case is not documented)", "push", "[SKIP CI]", false},
		{"pull_request_target ignores skip instructions", "pull_request_target", "x [skip ci]", false},
		{"workflow_dispatch ignores skip instructions", "workflow_dispatch", "x [skip ci]", false},
		{"schedule ignores skip instructions", "schedule", "x [skip ci]", false},

		{"skip-checks:true trailer", "push", "subject\n\nskip-checks:true", true},
		{"skip-checks: true trailer", "push", "subject\n\nbody\n\nskip-checks: true\n", true},
		{"skip-checks last after other trailers", "push", "subject\n\nSigned-off-by: A <a@b>\nskip-checks: true", true},
		{"skip-checks before other trailers is not last", "push", "subject\n\nskip-checks: true\nSigned-off-by: A <a@b>", false},
		{"skip-checks in the subject is not a trailer", "push", "skip-checks: true", false},
		{"skip-checks glued to the body is not a trailer", "push", "subject\n\nsome body text\nskip-checks: true", false},
		{"skip-checks: false", "push", "subject\n\nskip-checks: false", false},
		{"CRLF line ends", "push", "subject\r\n\r\nskip-checks: true\r\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ev := &Event{Name: tc.event, HeadCommitMessage: tc.message}
			if got := SkipCI(ev); got != tc.want {
				t.Errorf("SkipCI(%q, %q) = %v, want %v", tc.event, tc.message, got, tc.want)
			}
		})
	}
}

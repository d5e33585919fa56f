package run

import "testing"

// TestNewEnvContext: the env context compares keys as the job's OS does
// its environment (runner.os, from the executor): exactly on Linux and
// macOS, ignoring case on Windows.
func TestNewEnvContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		runnerOS  string
		sensitive bool
	}{
		{"Linux", true},
		{"macOS", true},
		{"Windows", false},
		{"windows", false},
		// Before a job has started there is no OS yet: as on Linux.
		{"", true},
	}
	for _, tc := range tests {
		t.Run(tc.runnerOS, func(t *testing.T) {
			t.Parallel()
			env := newEnvContext(tc.runnerOS)
			if env.CaseSensitive() != tc.sensitive {
				t.Errorf("newEnvContext(%q).CaseSensitive() = %v, want %v", tc.runnerOS, env.CaseSensitive(), tc.sensitive)
			}
			env.Set("FOO", "upper")
			env.Set("foo", "lower")
			wantLen := 1
			if tc.sensitive {
				wantLen = 2
			}
			if env.Len() != wantLen {
				t.Errorf("FOO and foo make %d keys, want %d", env.Len(), wantLen)
			}
		})
	}
}

package checkers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrokenChecker: a checker that crashes, refuses its arguments or is
// killed is an error naming what it said, never a clean result.
func TestBrokenChecker(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		what, script, want string
		pyflakes           bool
	}{
		{"pyflakes crashes with a traceback", "echo 'Traceback (most recent call last):' >&2; echo 'ImportError: no module named pyflakes' >&2; exit 1", "ImportError: no module named pyflakes", true},
		{"pyflakes exits 2", "exit 2", "exited with status 2: (nothing on stderr)", true},
		{"shellcheck refuses an option", "echo 'unrecognized option --norc' >&2; exit 3", "exited with status 3: unrecognized option --norc", false},
		{"shellcheck prints nothing", "exit 1", "exited with status 1", false},
		{"shellcheck is killed", "kill -9 $$", "was killed", false},
	} {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			exe := filepath.Join(t.TempDir(), "checker")
			if err := os.WriteFile(exe, []byte("#!/bin/sh\n"+tc.script+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			var err error
			if tc.pyflakes {
				_, err = Pyflakes(t.Context(), exe, []string{"print(1)\n"})
			} else {
				_, err = Shellcheck(t.Context(), exe, []ShellScript{{"bash", "echo\n"}})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

package trigger

import (
	"slices"
	"testing"
)

// TestParseStatus: every kind of `git status --porcelain=v2 -z` entry gives
// its path, spaces and all; headers and ignored files give none; a
// malformed entry is an error.
func TestParseStatus(t *testing.T) {
	t.Parallel()
	const sha = "0123456789012345678901234567890123456789"
	tests := []struct {
		name, out string
		want      []string
		wantErr   bool
	}{
		{"nothing", "", nil, false},
		{"modified and staged", "1 .M N... 100644 100644 100644 " + sha + " " + sha + " app/main.py\x001 A. N... 000000 100644 100644 " + sha + " " + sha + " new.py\x00", []string{"app/main.py", "new.py"}, false},
		{"a path with spaces", "1 .M N... 100644 100644 100644 " + sha + " " + sha + " docs/read me.md\x00", []string{"docs/read me.md"}, false},
		{"renamed, its source left out", "2 R. N... 100644 100644 100644 " + sha + " " + sha + " R100 new name.py\x00old name.py\x00? x\x00", []string{"new name.py", "x"}, false},
		{"unmerged", "u UU N... 100644 100644 100644 100644 " + sha + " " + sha + " " + sha + " conflict.py\x00", []string{"conflict.py"}, false},
		{"untracked and ignored", "? notes/todo.txt\x00! build/out.o\x00", []string{"notes/todo.txt"}, false},
		{"branch headers", "# branch.oid " + sha + "\x00# branch.head main\x00? a\x00", []string{"a"}, false},
		{"an unknown kind", "x what\x00", nil, true},
		{"too few fields", "1 .M N... 100644\x00", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseStatus(tc.out)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

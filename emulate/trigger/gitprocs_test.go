package trigger

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// wantGitProcesses is how many git processes reading a repository and
// building its push event start (see the comment at the top of git.go).
const wantGitProcesses = 4

// TestGitProcessCount counts the git processes behind ReadGit and a push
// event, what `rehearse plan` asks for, by putting a git on PATH that logs
// each call and runs the real one. The count must not grow with the
// history: a push of 75 commits costs what a push of one does, and a
// clone with an upstream costs the same again.
//
// It changes PATH, so it does not run in parallel; the parallel tests of
// the package wait until it is done.
func TestGitProcessCount(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the counting git is a shell script")
	}
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Fatalf("this test needs the git binary: %v", err)
	}
	tests := []struct {
		what    string
		commits int
		// pushed of them are on origin, the upstream, when not zero.
		pushed int
		want   int
	}{
		// Loose objects: only git status.
		{"a fresh repository with one commit", 1, 0, 1},
		// git fast-import packs these histories, as a clone is packed:
		// the head commit, the pushed commits and their files take a git
		// process each.
		{"75 unpushed commits and no remote", 75, 0, wantGitProcesses},
		{"a clone with 70 commits pushed and 5 not", 75, 70, wantGitProcesses},
		// Outside a repository the files tell nothing, git is asked four
		// questions at once, each fails and no other is asked.
		{"a directory outside any repository", 0, 0, 4},
	}
	dirs := make([]string, len(tests))
	for i, tc := range tests {
		if tc.commits == 0 {
			dirs[i] = t.TempDir()
			continue
		}
		dirs[i] = historyRepo(t, tc.commits)
		if tc.pushed > 0 {
			r := &repo{t: t, dir: dirs[i]}
			r.git("remote", "add", "origin", "https://github.com/acme/app.git")
			r.git("update-ref", "refs/remotes/origin/main", fmt.Sprintf("HEAD~%d", tc.commits-tc.pushed))
			r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
			r.track("main")
		}
	}

	bin := t.TempDir()
	log := filepath.Join(t.TempDir(), "calls")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + shellQuote(log) + "\nexec " + shellQuote(realGit) + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	for i, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			if err := os.WriteFile(log, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			ev, err := readPushEvent(t.Context(), dirs[i])
			if err != nil {
				t.Fatal(err)
			}
			if commits, _ := lookup(ev.Payload, "commits").([]any); len(commits) != tc.commits-tc.pushed {
				t.Errorf("the payload lists %d commits, want %d", len(commits), tc.commits-tc.pushed)
			}
			out, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			calls := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(calls) != tc.want {
				t.Errorf("%d git processes, want %d:\n%s", len(calls), tc.want, out)
			}
		})
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

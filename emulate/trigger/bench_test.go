package trigger

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The benchmarks measure what `rehearse plan` asks of this package before
// it looks at any workflow: ReadGit, then the push event with its payload
// (whose commits list names every unpushed commit) and changed files.
//
//	go test -run '^$' -bench ReadGit -benchmem ./emulate/trigger/

func BenchmarkReadGitFresh(b *testing.B) {
	benchmarkReadGit(b, historyRepo(b, 1))
}

func BenchmarkReadGitLongHistory(b *testing.B) {
	benchmarkReadGit(b, historyRepo(b, 75))
}

func benchmarkReadGit(b *testing.B, dir string) {
	ctx := b.Context()
	for b.Loop() {
		if _, err := readPushEvent(ctx, dir); err != nil {
			b.Fatal(err)
		}
	}
}

// readPushEvent reads the repository at dir and builds its push event.
func readPushEvent(ctx context.Context, dir string) (*Event, error) {
	g, err := ReadGit(ctx, dir)
	if err != nil {
		return nil, err
	}
	return NewEvent(ctx, g, Options{})
}

// historyRepo makes a repository on main with the given number of commits,
// none of them pushed (there is no remote), each adding a file and changing
// a shared one, with the work tree checked out. The commits are written by
// one `git fast-import`, so a long history costs no more to build than a
// short one; the dates are fixed, so the SHAs are the same on every run.
func historyRepo(tb testing.TB, commits int) string {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Fatalf("this needs the git binary: %v", err)
	}
	dir, err := filepath.EvalSymlinks(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	var stream strings.Builder
	data := func(s string) { fmt.Fprintf(&stream, "data %d\n%s\n", len(s), s) }
	for i := 1; i <= commits; i++ {
		fmt.Fprintf(&stream, "commit refs/heads/main\nmark :%d\n", i)
		fmt.Fprintf(&stream, "author Octo Cat <octo@example.com> %d +0100\n", 1704161045+60*i)
		fmt.Fprintf(&stream, "committer Mona Lisa <mona@example.com> %d +0100\n", 1704161045+60*i)
		data(fmt.Sprintf("Change %d\n\nThe body of change %d.\n", i, i))
		if i > 1 {
			fmt.Fprintf(&stream, "from :%d\n", i-1)
		}
		fmt.Fprintf(&stream, "M 644 inline src/file%03d.txt\n", i)
		data(fmt.Sprintf("file %d\n", i))
		stream.WriteString("M 644 inline CHANGES\n")
		data(fmt.Sprintf("%d changes\n", i))
		stream.WriteString("\n")
	}
	run := func(stdin string, args ...string) {
		tb.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("", "init", "--quiet", "--initial-branch=main")
	run("", "config", "user.name", "Mona Lisa")
	run("", "config", "user.email", "mona@example.com")
	run(stream.String(), "fast-import", "--quiet")
	run("", "reset", "--quiet", "--hard")
	if err := os.WriteFile(filepath.Join(dir, "untracked.txt"), []byte("new\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

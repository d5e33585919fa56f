package trigger

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestRepoFilesAsGit: what the repository's files tell (readRepoFiles) is
// what git rev-parse, for-each-ref and config tell, for repositories of
// every shape the reader takes on; for the shapes it leaves to git, it
// says so.
func TestRepoFilesAsGit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		// setup returns the directory to read from, relative to the
		// repository.
		setup func(r *repo) string
		// toGit is true when the reader must leave the repository to git.
		toGit bool
	}{
		{"one commit", func(r *repo) string { r.commit("first"); return "." }, false},
		{"from a subdirectory", func(r *repo) string { r.commit("first", "a/b/c.txt", "x"); return "a/b" }, false},
		{"a clone with an upstream, origin/HEAD and a remote branch more", func(r *repo) string {
			first := r.commit("first")
			second := r.commit("second")
			r.origin("https://github.com/acme/app.git", "main", first, "feature", second)
			r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
			r.track("main")
			return "."
		}, false},
		{"a dangling origin/HEAD is not listed", func(r *repo) string {
			sha := r.commit("first")
			r.origin("https://github.com/a/b", "main", sha)
			r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/gone")
			return "."
		}, false},
		{"tags: lightweight, annotated, a tag of a tag, loose", func(r *repo) string {
			r.commit("first")
			r.git("tag", "v1")
			r.git("tag", "-a", "-m", "release", "v2")
			r.git("tag", "-a", "-m", "again", "v3", "v2")
			return "."
		}, false},
		{"refs and objects packed by gc", func(r *repo) string {
			first := r.commit("first")
			r.commit("second")
			r.git("tag", "v1", first)
			r.git("tag", "-a", "-m", "release", "v2")
			r.origin("https://github.com/acme/app.git", "main", first)
			r.track("main")
			r.git("gc", "--quiet")
			r.commit("third")
			return "."
		}, false},
		{"a detached HEAD", func(r *repo) string {
			first := r.commit("first")
			r.commit("second")
			r.git("checkout", "--quiet", "--detach", first)
			return "."
		}, false},
		{"an upstream in this repository and one never fetched", func(r *repo) string {
			r.commit("first")
			r.git("branch", "base")
			r.git("config", "branch.main.remote", ".")
			r.git("config", "branch.main.merge", "refs/heads/base")
			r.git("branch", "other")
			r.git("remote", "add", "origin", "https://github.com/a/b")
			r.git("config", "branch.other.remote", "origin")
			r.git("config", "branch.other.merge", "refs/heads/other")
			return "."
		}, false},
		{"configuration quoted, escaped, commented, old-style and continued", func(r *repo) string {
			r.commit("first")
			f, err := os.OpenFile(filepath.Join(r.dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				r.t.Fatal(err)
			}
			defer f.Close()
			_, err = f.WriteString(`# a comment
[GitHub]
	User = "mona  \"the\" lisa" ; trailing comment
[remote "Up Stream"]
	url = https://github.com/acme/\
tools.git
	fetch = +refs/heads/*:refs/remotes/upstream/*
[remote.legacy]
	URL = git@github.com:acme/legacy.git
[url "https://github.com/"]
	insteadOf = gh:
[user]
	flag
	email = 	spaced	 out@example.com   # comment
`)
			if err != nil {
				r.t.Fatal(err)
			}
			return "."
		}, false},
		{"a linked worktree", func(r *repo) string {
			r.commit("first")
			r.git("worktree", "add", "--quiet", "wt", "-b", "wt")
			return "wt"
		}, true},
		{"a refspec git refuses", func(r *repo) string {
			r.commit("first")
			r.git("config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/a b/*")
			return "."
		}, true},
		{"a replaced commit", func(r *repo) string {
			first := r.commit("first")
			second := r.commit("second")
			r.git("replace", first, second)
			return "."
		}, true},
		{"an include", func(r *repo) string {
			r.commit("first")
			r.git("config", "include.path", "other.config")
			return "."
		}, true},
		{"no commits yet", func(r *repo) string { return "." }, true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r := newRepo(t)
			dir := filepath.Join(r.dir, tc.setup(r))
			files, ok := readRepoFiles(dir)
			if ok == tc.toGit {
				t.Fatalf("read from the files: %v, want %v", ok, !tc.toGit)
			}
			if !ok {
				return
			}
			ctx := t.Context()
			head, _, err := readHead(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(head, files.head, cmp.AllowUnexported(headInfo{})); diff != "" {
				t.Errorf("head (-git +files):\n%s", diff)
			}
			refs, err := readRefs(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(refs.byName, files.refs.byName, cmp.AllowUnexported(refInfo{})); diff != "" {
				t.Errorf("refs (-git +files):\n%s", diff)
			}
			config, _ := runGitRaw(ctx, dir, "config", "-z", "--get-regexp", configKeys)
			wanted := regexp.MustCompile(configKeys)
			var fromFiles []configEntry
			for _, e := range files.entries {
				if wanted.MatchString(e.key) {
					fromFiles = append(fromFiles, e)
				}
			}
			if diff := cmp.Diff(gitOutputEntries(config), fromFiles, cmp.AllowUnexported(configEntry{})); diff != "" {
				t.Errorf("config (-git +files):\n%s", diff)
			}
		})
	}
}

// TestParseConfigFile: what the configuration reader refuses, leaving the
// file to git.
func TestParseConfigFile(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		"key = value\n",               // a key before any section
		"[section\nkey = 1\n",         // an unclosed header
		"[s]\nkey = \"open\n",         // an unclosed quote
		"[s]\nkey = bad \\q escape\n", // an unknown escape
		"[s]\n9key = 1\n",             // a key that does not start with a letter
		"[s \"sub]\n",                 // an unclosed subsection
	} {
		if _, ok := parseConfigFile(src); ok {
			t.Errorf("parseConfigFile(%q) accepted it", src)
		}
	}
}

// TestLooseCommitAsGit: a loose commit read from its file is the commit
// git log shows, whatever its message, identities and time zone.
func TestLooseCommitAsGit(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	var shas []string
	shas = append(shas, r.commit("first"))
	shas = append(shas, r.commit("subject\n\nbody line one\n  indented line\n\n\ntrailing blank lines\n\n"))
	r.git("-c", "user.name=Zoë Ünïcode", "-c", "user.email=zoe@example.com", "commit", "--quiet", "--allow-empty", "-m", "unicode author")
	shas = append(shas, r.git("rev-parse", "HEAD"))
	// The committer's time zone west of UTC (r.git fixes the dates).
	c := exec.Command("git", "commit", "--quiet", "--allow-empty", "-m", "western zone")
	c.Dir = r.dir
	c.Env = append(os.Environ(), "GIT_COMMITTER_DATE=2020-06-01T10:00:00-0730", "GIT_AUTHOR_DATE=2020-06-01T10:00:00-0730")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	shas = append(shas, r.git("rev-parse", "HEAD"))
	r.git("checkout", "--quiet", "-b", "side", shas[0])
	side := r.commit("side", "side.txt", "s")
	r.git("checkout", "--quiet", "main")
	r.git("merge", "--quiet", "--no-ff", "-m", "merge side", side)
	shas = append(shas, r.git("rev-parse", "HEAD"))
	gitDir := filepath.Join(r.dir, ".git")
	for _, sha := range shas {
		want, err := readCommit(t.Context(), r.dir, sha)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := readLooseCommit(gitDir, sha)
		if !ok {
			t.Errorf("commit %s: not read from its file", sha)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("commit %s (-git +file):\n%s", sha, diff)
		}
	}
	r.git("gc", "--quiet")
	if _, ok := readLooseCommit(gitDir, shas[0]); ok {
		t.Errorf("a packed commit was read as loose")
	}
}

// TestLooseHistoryAsGit: the files of each commit, of a range, and the
// commits of a range read from loose objects are git's, over changes of
// every kind: files added, changed, removed, made executable, a directory
// replaced by a file and back, a symbolic link, a submodule, an empty
// commit.
func TestLooseHistoryAsGit(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	ctx := t.Context()
	var shas []string
	step := func(change func()) {
		change()
		r.git("add", "--all")
		r.git("commit", "--quiet", "--allow-empty", "-m", fmt.Sprint("commit ", len(shas)))
		shas = append(shas, r.git("rev-parse", "HEAD"))
	}
	step(func() { r.write("a.txt", "a", "dir/b.txt", "b", "dir/sub/c.txt", "c") })
	step(func() { r.write("a.txt", "changed", "dir/sub/d.txt", "d") })
	step(func() {
		if err := os.Chmod(filepath.Join(r.dir, "a.txt"), 0o755); err != nil {
			t.Fatal(err)
		}
	})
	step(func() {
		if err := os.RemoveAll(filepath.Join(r.dir, "dir", "sub")); err != nil {
			t.Fatal(err)
		}
		r.write("dir/sub", "now a file")
	})
	step(func() {
		if err := os.Remove(filepath.Join(r.dir, "dir", "sub")); err != nil {
			t.Fatal(err)
		}
		r.write("dir/sub/again.txt", "a directory again")
		if err := os.Symlink("a.txt", filepath.Join(r.dir, "link")); err != nil {
			t.Fatal(err)
		}
	})
	step(func() {
		r.git("update-index", "--add", "--cacheinfo", "160000,"+shas[0]+",vendor/lib")
	})
	step(func() {})
	step(func() {
		if err := os.Remove(filepath.Join(r.dir, "a.txt")); err != nil {
			t.Fatal(err)
		}
	})
	g, err := ReadGit(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	dir := g.looseObjects()
	if dir == "" {
		t.Fatal("ReadGit did not read the repository's files")
	}
	for i, sha := range shas {
		want, err := gitNames(ctx, r.dir, "diff-tree", "--root", "--no-commit-id", "--name-only", "-z", "-r", "--no-renames", sha, "--")
		if err != nil {
			t.Fatal(err)
		}
		got, ok := looseCommitFiles(g, sha)
		if !ok {
			t.Fatalf("commit %d: not read from loose objects", i)
		}
		if diff := cmp.Diff(sortedUnique(want), sortedUnique(got)); diff != "" {
			t.Errorf("files of commit %d (-git +loose):\n%s", i, diff)
		}
		for j := range i {
			want, err := gitNames(ctx, r.dir, "diff", "--name-only", "-z", "--no-renames", shas[j]+"..."+sha, "--")
			if err != nil {
				t.Fatal(err)
			}
			got, ok := looseRangeFiles(g, shas[j], sha)
			if !ok {
				t.Fatalf("range %d...%d: not read from loose objects", j, i)
			}
			if diff := cmp.Diff(sortedUnique(want), sortedUnique(got)); diff != "" {
				t.Errorf("files of %d...%d (-git +loose):\n%s", j, i, diff)
			}
		}
	}
	head := shas[len(shas)-1]
	for _, tc := range []struct {
		stop string
		max  int
		args []string
	}{
		{"", maxPushCommits, []string{"--reverse", head}},
		{"", 3, []string{"--reverse", "--max-count=3", head}},
		{shas[2], maxPushCommits, []string{"--reverse", head, "^" + shas[2]}},
		{shas[2], 2, []string{"--reverse", "--max-count=2", head, "^" + shas[2]}},
		{head, maxPushCommits, []string{"--reverse", head, "^" + head}},
	} {
		want, err := readCommits(ctx, r.dir, append(tc.args, "--")...)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := looseHistory(dir, head, tc.stop, tc.max)
		if !ok {
			t.Fatalf("git log %v: not read from loose objects", tc.args)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("git log %v (-git +loose):\n%s", tc.args, diff)
		}
	}
	// A merge, and a stop that is not an ancestor, are left to git.
	r.git("checkout", "--quiet", "-b", "side", shas[1])
	side := r.commit("side", "side.txt", "s")
	r.git("checkout", "--quiet", "main")
	r.git("merge", "--quiet", "--no-ff", "-m", "merge", side)
	merged := r.git("rev-parse", "HEAD")
	if _, ok := looseHistory(dir, merged, "", maxPushCommits); ok {
		t.Error("a history with a merge was read from loose objects")
	}
	if _, ok := looseHistory(dir, head, side, maxPushCommits); ok {
		t.Error("a stop that is not an ancestor was accepted")
	}
}

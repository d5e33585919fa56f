package trigger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// eventView is the part of Event a test checks. Commit SHAs are written as
// names ("A", "B", "HEAD") that the test maps to real SHAs.
type eventView struct {
	Name, Ref, SHA, BaseRef, HeadRef, HeadSHA, BaseSHA, Action string
	ChangedFiles                                               []string
	ChangedFilesKnown                                          bool
	Inputs                                                     map[string]string
	HeadCommitMessage                                          string
	Warnings                                                   []string
}

func eventOf(ev *Event, names map[string]string) eventView {
	name := func(sha string) string {
		for n, s := range names {
			if s == sha && sha != "" {
				return n
			}
		}
		return sha
	}
	return eventView{
		Name: ev.Name, Ref: ev.Ref, SHA: name(ev.SHA), BaseRef: ev.BaseRef, HeadRef: ev.HeadRef,
		HeadSHA: name(ev.HeadSHA), BaseSHA: name(ev.BaseSHA), Action: ev.Action,
		ChangedFiles: ev.ChangedFiles, ChangedFilesKnown: ev.ChangedFilesKnown, Inputs: ev.Inputs,
		HeadCommitMessage: ev.HeadCommitMessage, Warnings: ev.Warnings,
	}
}

// TestNewEvent builds events from real repositories. Every setup returns
// the options and a map from commit names to SHAs.
func TestNewEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		setup func(r *repo) (Options, map[string]string)
		want  eventView
	}{
		{"push: commits after the upstream, uncommitted and untracked files, not ignored ones",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", ".gitignore", "*.log\n", "c.txt", "c", "keep.txt", "k")
				r.origin("https://github.com/acme/app.git", "main", a)
				r.track("main")
				b := r.commit("change b", "b.txt", "b")
				r.write("c.txt", "changed", "d.txt", "new", "e.log", "ignored")
				return Options{}, map[string]string{"A": a, "B": b}
			},
			eventView{Name: "push", Ref: "refs/heads/main", SHA: "B", ChangedFiles: []string{"b.txt", "c.txt", "d.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "change b"}},
		{"push: staged deletions and renames count both paths",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "old.txt", "o", "gone.txt", "g")
				r.origin("https://github.com/acme/app.git", "main", a)
				r.track("main")
				r.git("mv", "old.txt", "new.txt")
				r.git("rm", "--quiet", "gone.txt")
				return Options{}, map[string]string{"A": a}
			},
			eventView{Name: "push", Ref: "refs/heads/main", SHA: "A", ChangedFiles: []string{"gone.txt", "new.txt", "old.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"push: a new branch is compared with the remote default branch",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "a.txt", "a")
				r.origin("https://github.com/acme/app.git", "main", a)
				r.git("checkout", "--quiet", "-b", "feature")
				r.commit("one", "src/one.go", "1")
				f := r.commit("two", "src/two.go", "2")
				return Options{}, map[string]string{"A": a, "F": f}
			},
			eventView{Name: "push", Ref: "refs/heads/feature", SHA: "F", ChangedFiles: []string{"src/one.go", "src/two.go"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "two"}},
		{"push: without any remote branch only the head commit's files count",
			func(r *repo) (Options, map[string]string) {
				r.commit("base", "a.txt", "a")
				h := r.commit("second", "b.txt", "b", "a.txt", "a2")
				return Options{}, map[string]string{"H": h}
			},
			eventView{Name: "push", Ref: "refs/heads/main", SHA: "H", ChangedFiles: []string{"a.txt", "b.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "second"}},
		{"push: the root commit's files",
			func(r *repo) (Options, map[string]string) {
				h := r.commit("root", "x/y.txt", "y")
				return Options{}, map[string]string{"H": h}
			},
			eventView{Name: "push", Ref: "refs/heads/main", SHA: "H", ChangedFiles: []string{"x/y.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "root"}},
		{"push: a repository without commits counts staged and untracked files",
			func(r *repo) (Options, map[string]string) {
				r.write("staged.txt", "s", "untracked.txt", "u")
				r.git("add", "staged.txt")
				return Options{}, nil
			},
			eventView{Name: "push", Ref: "refs/heads/main", ChangedFiles: []string{"staged.txt", "untracked.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}}},
		{"push: nothing changed since the upstream",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "a.txt", "a")
				r.origin("https://github.com/acme/app.git", "main", a)
				r.track("main")
				return Options{}, map[string]string{"A": a}
			},
			eventView{Name: "push", Ref: "refs/heads/main", SHA: "A", ChangedFiles: []string{},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"push: --ref of a tag uses the tagged commit and no changed files",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("release", "a.txt", "a")
				r.git("tag", "-a", "-m", "v1", "v1.0.0")
				r.commit("later", "b.txt", "b")
				return Options{Ref: "v1.0.0"}, map[string]string{"A": a}
			},
			eventView{Name: "push", Ref: "refs/tags/v1.0.0", SHA: "A", Inputs: map[string]string{}, HeadCommitMessage: "release"}},
		{"push: --ref of a branch that does not exist yet pushes HEAD there",
			func(r *repo) (Options, map[string]string) {
				h := r.commit("base", "a.txt", "a")
				return Options{Ref: "release/next"}, map[string]string{"H": h}
			},
			eventView{Name: "push", Ref: "refs/heads/release/next", SHA: "H", ChangedFiles: []string{"a.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"push: --ref of a branch only the remote has uses the remote's commit",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "a.txt", "a")
				r.git("checkout", "--quiet", "-b", "tmp")
				o := r.commit("remote work", "o.txt", "o")
				r.git("checkout", "--quiet", "main")
				r.origin("https://github.com/acme/app.git", "main", a, "release", o)
				r.git("branch", "--quiet", "-D", "tmp")
				return Options{Ref: "release"}, map[string]string{"A": a, "O": o}
			},
			eventView{Name: "push", Ref: "refs/heads/release", SHA: "O", ChangedFiles: []string{},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "remote work"}},
		{"push: --ref HEAD is the current ref",
			func(r *repo) (Options, map[string]string) {
				h := r.commit("base", "a.txt", "a")
				return Options{Ref: "HEAD"}, map[string]string{"H": h}
			},
			eventView{Name: "push", Ref: "refs/heads/main", SHA: "H", ChangedFiles: []string{"a.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"push: --ref of another local branch uses its commit and files",
			func(r *repo) (Options, map[string]string) {
				r.commit("base", "a.txt", "a")
				r.git("checkout", "--quiet", "-b", "other")
				o := r.commit("other work", "o.txt", "o")
				r.git("checkout", "--quiet", "main")
				r.write("dirty.txt", "d")
				return Options{Ref: "refs/heads/other"}, map[string]string{"O": o}
			},
			eventView{Name: "push", Ref: "refs/heads/other", SHA: "O", ChangedFiles: []string{"o.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "other work"}},

		{"pull_request: the three-dot diff from the base plus local changes",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "README.md", "r")
				r.git("checkout", "--quiet", "-b", "feature")
				f := r.commit("Add the parser\n\nLong text.", "src/parser.go", "p")
				r.git("checkout", "--quiet", "main")
				m := r.commit("main moves on", "other.txt", "o")
				r.origin("https://github.com/acme/app.git", "main", m)
				r.git("checkout", "--quiet", "feature")
				r.write("README.md", "edited")
				return Options{Event: "pull_request"}, map[string]string{"A": a, "F": f, "M": m}
			},
			eventView{Name: "pull_request", Ref: "refs/pull/1/merge", SHA: "F", BaseRef: "main", HeadRef: "feature",
				HeadSHA: "F", BaseSHA: "M", Action: "opened", ChangedFiles: []string{"README.md", "src/parser.go"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "Add the parser\n\nLong text."}},
		{"pull_request: --base, --action and --pr-number",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "README.md", "r")
				r.git("branch", "develop")
				r.git("checkout", "--quiet", "-b", "feature")
				f := r.commit("feature", "f.txt", "f")
				return Options{Event: "pull_request", Base: "develop", Action: "synchronize", PRNumber: 42},
					map[string]string{"A": a, "F": f}
			},
			eventView{Name: "pull_request", Ref: "refs/pull/42/merge", SHA: "F", BaseRef: "develop", HeadRef: "feature",
				HeadSHA: "F", BaseSHA: "A", Action: "synchronize", ChangedFiles: []string{"f.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "feature"}},
		{"pull_request: a base branch that is not in the repository",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "README.md", "r")
				return Options{Event: "pull_request", Base: "nope"}, map[string]string{"A": a}
			},
			eventView{Name: "pull_request", Ref: "refs/pull/1/merge", SHA: "A", BaseRef: "nope", HeadRef: "main",
				HeadSHA: "A", Action: "opened", Inputs: map[string]string{}, HeadCommitMessage: "base",
				Warnings: []string{`base branch "nope" is not in the local repository; changed files are unknown`}}},
		{"pull_request: unrelated histories leave the changed files unknown",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "README.md", "r")
				r.git("checkout", "--quiet", "--orphan", "island")
				i := r.commit("island", "i.txt", "i")
				return Options{Event: "pull_request"}, map[string]string{"A": a, "I": i}
			},
			eventView{Name: "pull_request", Ref: "refs/pull/1/merge", SHA: "I", BaseRef: "main", HeadRef: "island",
				HeadSHA: "I", BaseSHA: "A", Action: "opened", Inputs: map[string]string{}, HeadCommitMessage: "island",
				Warnings: []string{"the base and head of the pull request share no history, so path filters are not applied"}}},
		{"pull_request_target: runs on the default branch, head is the current branch",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base", "README.md", "r")
				r.git("checkout", "--quiet", "-b", "feature")
				f := r.commit("feature", "f.txt", "f")
				return Options{Event: "pull_request_target"}, map[string]string{"A": a, "F": f}
			},
			eventView{Name: "pull_request_target", Ref: "refs/heads/main", SHA: "A", BaseRef: "main", HeadRef: "feature",
				HeadSHA: "F", BaseSHA: "A", Action: "opened", ChangedFiles: []string{"f.txt"},
				ChangedFilesKnown: true, Inputs: map[string]string{}, HeadCommitMessage: "feature"}},

		{"workflow_dispatch: the current branch and the given inputs",
			func(r *repo) (Options, map[string]string) {
				r.commit("base")
				r.git("checkout", "--quiet", "-b", "feature")
				f := r.commit("feature")
				return Options{Event: "workflow_dispatch", Inputs: map[string]string{"level": "debug"}}, map[string]string{"F": f}
			},
			eventView{Name: "workflow_dispatch", Ref: "refs/heads/feature", SHA: "F", Inputs: map[string]string{"level": "debug"},
				HeadCommitMessage: "feature"}},
		{"workflow_dispatch: --ref of a tag",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base")
				r.git("tag", "v2")
				r.commit("later")
				return Options{Event: "workflow_dispatch", Ref: "refs/tags/v2"}, map[string]string{"A": a}
			},
			eventView{Name: "workflow_dispatch", Ref: "refs/tags/v2", SHA: "A", Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"schedule: the default branch's last commit, whatever is checked out",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base")
				r.git("checkout", "--quiet", "-b", "feature")
				r.commit("feature")
				return Options{Event: "schedule"}, map[string]string{"A": a}
			},
			eventView{Name: "schedule", Ref: "refs/heads/main", SHA: "A", Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"schedule: the remote's default branch when there is no local one",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base")
				r.git("branch", "-m", "feature")
				b := r.commit("feature")
				r.origin("https://github.com/a/b", "trunk", a)
				r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
				return Options{Event: "schedule"}, map[string]string{"A": a, "B": b}
			},
			eventView{Name: "schedule", Ref: "refs/heads/trunk", SHA: "A", Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"release: the tag at HEAD, published",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("v1")
				r.git("tag", "-a", "-m", "x", "v1.0.0")
				return Options{Event: "release"}, map[string]string{"A": a}
			},
			eventView{Name: "release", Ref: "refs/tags/v1.0.0", SHA: "A", Action: "published", Inputs: map[string]string{}, HeadCommitMessage: "v1"}},
		{"release: the nearest tag before HEAD, with --action",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("v1")
				r.git("tag", "v1.0.0")
				r.commit("after")
				return Options{Event: "release", Action: "prereleased"}, map[string]string{"A": a}
			},
			eventView{Name: "release", Ref: "refs/tags/v1.0.0", SHA: "A", Action: "prereleased", Inputs: map[string]string{}, HeadCommitMessage: "v1"}},
		{"issues: default branch and the first activity type",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base")
				return Options{Event: "issues"}, map[string]string{"A": a}
			},
			eventView{Name: "issues", Ref: "refs/heads/main", SHA: "A", Action: "opened", Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"delete: runs on the default branch, --ref is the deleted ref",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base")
				return Options{Event: "delete", Ref: "old/feature"}, map[string]string{"A": a}
			},
			eventView{Name: "delete", Ref: "refs/heads/main", SHA: "A", Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"create: the created ref",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base")
				r.git("tag", "v3")
				return Options{Event: "create", Ref: "v3"}, map[string]string{"A": a}
			},
			eventView{Name: "create", Ref: "refs/tags/v3", SHA: "A", Inputs: map[string]string{}, HeadCommitMessage: "base"}},
		{"repository_dispatch: --action is the event_type",
			func(r *repo) (Options, map[string]string) {
				a := r.commit("base")
				return Options{Event: "repository_dispatch", Action: "deploy"}, map[string]string{"A": a}
			},
			eventView{Name: "repository_dispatch", Ref: "refs/heads/main", SHA: "A", Action: "deploy", Inputs: map[string]string{}, HeadCommitMessage: "base"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r := newRepo(t)
			opts, names := tc.setup(r)
			g, err := ReadGit(t.Context(), r.dir)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := NewEvent(t.Context(), g, opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, eventOf(ev, names)); diff != "" {
				t.Errorf("NewEvent mismatch (-want +got):\n%s", diff)
			}
			if ev.Payload == nil {
				t.Error("Payload is nil")
			}
		})
	}
}

// TestCheckRefFormat follows the rules of `git check-ref-format`.
func TestCheckRefFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, name, err string
	}{
		{"a plain branch", "main", ""},
		{"a nested branch", "feature/a-b_c.1", ""},
		{"a tag", "v1.0.0", ""},
		{"non-ASCII", "fonctionnalité", ""},
		{"empty", "", "ref name is empty"},
		{"@ alone", "@", `ref name cannot be "@"`},
		{"leading slash", "/main", "ref name cannot start or end with /"},
		{"trailing slash", "main/", "ref name cannot start or end with /"},
		{"trailing dot", "main.", "ref name cannot end with a dot"},
		{"double dot", "a..b", "ref name cannot contain .., // or @{"},
		{"double slash", "a//b", "ref name cannot contain .., // or @{"},
		{"@{", "a@{1}", "ref name cannot contain .., // or @{"},
		{"space", "a b", "ref name cannot contain ' '"},
		{"tilde", "a~1", "ref name cannot contain '~'"},
		{"caret", "a^", "ref name cannot contain '^'"},
		{"colon", "a:b", "ref name cannot contain ':'"},
		{"question mark", "a?", "ref name cannot contain '?'"},
		{"star", "a*", "ref name cannot contain '*'"},
		{"bracket", "a[", "ref name cannot contain '['"},
		{"backslash", `a\b`, `ref name cannot contain '\\'`},
		{"control character", "a\tb", `ref name cannot contain '\t'`},
		{"component starting with a dot", "a/.b", "a ref name component cannot start with . or end with .lock"},
		{"component ending in .lock", "a.lock/b", "a ref name component cannot start with . or end with .lock"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			err := checkRefFormat(tc.name)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.err {
				t.Errorf("checkRefFormat(%q) = %q, want %q", tc.name, got, tc.err)
			}
		})
	}
}

func TestNewEventErrors(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	r.commit("base")
	r.git("branch", "feature")
	g, err := ReadGit(t.Context(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	noTags := newRepo(t)
	noTags.commit("base")
	gNoTags, err := ReadGit(t.Context(), noTags.dir)
	if err != nil {
		t.Fatal(err)
	}
	badJSON := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(badJSON, []byte(`{"a": `), 0o644); err != nil {
		t.Fatal(err)
	}
	array := filepath.Join(t.TempDir(), "array.json")
	if err := os.WriteFile(array, []byte(`[1]`), 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(huge, []byte(`{"pull_request": {"labels": [{}, {"id": 1e999}]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.json")

	tests := []struct {
		what string
		g    *Git
		opts Options
		want string
	}{
		{"unknown event lists the valid ones", g, Options{Event: "pushh"},
			`unknown event "pushh". valid events are ` + strings.Join(EventNames(), ", ")},
		{"workflow_call cannot be triggered", g, Options{Event: "workflow_call"},
			`event "workflow_call" cannot be triggered directly: it runs when another workflow calls this one. run the calling workflow's event instead`},
		{"inputs for push", g, Options{Inputs: map[string]string{"a": "b"}},
			`inputs are only used by workflow_dispatch, not by "push"`},
		{"unknown activity type", g, Options{Event: "pull_request", Action: "merged"},
			`unknown activity type "merged" for pull_request. valid types are ` + strings.Join(pullRequestTypes, ", ")},
		{"an activity type for push", g, Options{Action: "opened"},
			`event "push" has no activity types, so "opened" cannot be used as one`},
		{"--ref with ..", g, Options{Ref: "a..b"}, `bad --ref "a..b": ref name cannot contain .., // or @{`},
		{"--ref with a space", g, Options{Ref: "my branch"}, `bad --ref "my branch": ref name cannot contain ' '`},
		{"--ref ending in .lock", g, Options{Ref: "x.lock"}, `bad --ref "x.lock": a ref name component cannot start with . or end with .lock`},
		{"--ref outside heads and tags", g, Options{Ref: "refs/remotes/origin/main"},
			`bad --ref "refs/remotes/origin/main": it must be a branch (refs/heads/...) or a tag (refs/tags/...)`},
		{"--ref with a bad full name", g, Options{Ref: "refs/heads/a:b"}, `bad --ref "refs/heads/a:b": ref name cannot contain ':'`},
		{"--base with a bad name", g, Options{Event: "pull_request", Base: "a~1"}, `bad --base "a~1": ref name cannot contain '~'`},
		{"pull request head on a tag", g, Options{Event: "pull_request", Ref: "refs/tags/v1"},
			`the head of a pull request must be a branch, but it is "refs/tags/v1". pass --ref <branch>`},
		{"negative pull request number", g, Options{Event: "pull_request", PRNumber: -1},
			`pull request number must be positive, got -1`},
		{"release on a branch", g, Options{Event: "release", Ref: "refs/heads/feature"},
			`release needs a tag, but --ref "refs/heads/feature" is a branch. pass --ref refs/tags/<name>`},
		{"release without tags", gNoTags, Options{Event: "release"},
			`release needs a tag and the repository has none at or before HEAD. pass --ref refs/tags/<name>`},
		{"missing event file", g, Options{EventFile: missing},
			`could not read event file "` + missing + `": open ` + missing + `: no such file or directory`},
		{"event file with bad JSON", g, Options{EventFile: badJSON},
			`could not parse event file "` + badJSON + `": unexpected end of JSON input`},
		{"event file with an array", g, Options{EventFile: array},
			`event file "` + array + `" must hold a JSON object, not Array`},
		// Found by FuzzEventFile: read as an infinity, it could not be
		// written back as a number for the steps.
		{"event file with a number beyond float64", g, Options{Event: "pull_request", EventFile: huge},
			`event file "` + huge + `": the number at github.event.pull_request.labels[1].id is too large (GitHub's payloads hold none); write it as a string`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ev, err := NewEvent(t.Context(), tc.g, tc.opts)
			if err == nil {
				t.Fatalf("NewEvent() = %+v, want error %q", ev, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("NewEvent() error:\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

// TestNewEventFile checks that --event-file merges over the built payload
// and that the event follows what the file changed.
func TestNewEventFile(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	a := r.commit("base", "a.txt", "a")
	r.origin("https://github.com/acme/app.git", "main", a)
	r.git("checkout", "--quiet", "-b", "feature")
	r.commit("feature", "f.txt", "f")
	g, err := ReadGit(t.Context(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what  string
		opts  Options
		file  string
		check func(t *testing.T, ev *Event)
	}{
		{"pull_request: base ref, number and action follow the file", Options{Event: "pull_request"},
			`{"action": "closed", "pull_request": {"number": 9, "base": {"ref": "release"}, "title": "From file"}}`,
			func(t *testing.T, ev *Event) {
				got := []string{ev.Action, ev.Ref, ev.BaseRef, ev.HeadRef, payloadString(ev.Payload, "pull_request", "title"),
					payloadString(ev.Payload, "pull_request", "head", "ref")}
				want := []string{"closed", "refs/pull/9/merge", "release", "feature", "From file", "feature"}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			}},
		{"push: ref and head commit message follow the file", Options{},
			`{"ref": "refs/heads/main", "head_commit": {"message": "docs [skip ci]"}, "extra": {"k": [1, 2]}}`,
			func(t *testing.T, ev *Event) {
				if ev.Ref != "refs/heads/main" || ev.HeadCommitMessage != "docs [skip ci]" || !SkipCI(ev) {
					t.Errorf("Ref, HeadCommitMessage = %q, %q", ev.Ref, ev.HeadCommitMessage)
				}
				if got := payloadString(ev.Payload, "head_commit", "author", "name"); got != "Mona Lisa" {
					t.Errorf("head_commit.author.name = %q, want the built value kept", got)
				}
				if got := lookup(ev.Payload, "extra", "k"); !cmp.Equal(got, []any{1.0, 2.0}) {
					t.Errorf("extra.k = %v", got)
				}
			}},
		{"workflow_dispatch: inputs and ref from the file", Options{Event: "workflow_dispatch", Inputs: map[string]string{"a": "flag"}},
			`{"ref": "refs/tags/v9", "inputs": {"b": true, "c": 3}}`,
			func(t *testing.T, ev *Event) {
				if ev.Ref != "refs/tags/v9" {
					t.Errorf("Ref = %q", ev.Ref)
				}
				if diff := cmp.Diff(map[string]string{"a": "flag", "b": "true", "c": "3"}, ev.Inputs); diff != "" {
					t.Errorf("Inputs mismatch (-want +got):\n%s", diff)
				}
			}},
		{"release: the tag follows the file", Options{Event: "release", Ref: "refs/tags/v1"},
			`{"release": {"tag_name": "v2.0.0"}}`,
			func(t *testing.T, ev *Event) {
				if ev.Ref != "refs/tags/v2.0.0" {
					t.Errorf("Ref = %q", ev.Ref)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "event.json")
			if err := os.WriteFile(path, []byte(tc.file), 0o644); err != nil {
				t.Fatal(err)
			}
			tc.opts.EventFile = path
			ev, err := NewEvent(t.Context(), g, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, ev)
		})
	}
}

// TestNewEventWithoutRepository checks that an event can be emulated
// outside a repository, with the changed files unknown.
func TestNewEventWithoutRepository(t *testing.T) {
	t.Parallel()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadGit(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"push", "pull_request", "workflow_dispatch", "schedule"} {
		ev, err := NewEvent(t.Context(), g, Options{Event: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ev.ChangedFilesKnown || ev.SHA != "" {
			t.Errorf("%s: ChangedFilesKnown = %v, SHA = %q; want false and empty", name, ev.ChangedFilesKnown, ev.SHA)
		}
	}
	ev, err := NewEvent(t.Context(), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Ref != "refs/heads/main" {
		t.Errorf("NewEvent(nil Git).Ref = %q, want refs/heads/main", ev.Ref)
	}
}

// TestPayloadGolden compares whole payloads built from a fixed repository
// with testdata/*.json; go test -update rewrites them. The fixed dates make
// the commit SHAs the same on every machine.
func TestPayloadGolden(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	a := r.commit("Initial commit", "README.md", "hello\n")
	r.origin("https://github.com/octo-org/octo-repo.git", "main", a)
	r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	r.track("main")
	r.commit("Add app\n\nWith a body.", "app.js", "x\n")
	r.commit("Fix app", "app.js", "y\n")
	r.git("tag", "-a", "-m", "v1", "v1.0.0")
	r.git("checkout", "--quiet", "-b", "feature", a)
	r.commit("Feature work", "feature.txt", "f\n")
	r.git("config", "github.user", "monalisa")

	tests := []struct {
		what, golden string
		opts         Options
		workflow     []Filter
	}{
		{"push of main", "push.json", Options{Ref: "main"}, nil},
		{"push of a tag", "push_tag.json", Options{Ref: "v1.0.0"}, nil},
		{"pull_request", "pull_request.json", Options{Event: "pull_request", PRTitle: "Add a feature", PRNumber: 12, Labels: []string{"bug", "ci"}}, nil},
		{"release", "release.json", Options{Event: "release", Ref: "v1.0.0"}, nil},
		{"workflow_dispatch", "workflow_dispatch.json", Options{Event: "workflow_dispatch", Inputs: map[string]string{"debug": "true"}},
			[]Filter{{Event: "workflow_dispatch", Inputs: map[string]DispatchInput{
				"debug": {Type: "boolean"},
				"level": {Type: "choice", Options: []string{"info", "warning"}, Default: "warning", HasDefault: true},
				"note":  {},
			}}}},
		{"schedule", "schedule.json", Options{Event: "schedule"}, []Filter{{Event: "schedule", Crons: []string{"30 5 * * 1-5", "0 0 * * *"}}}},
		{"create", "create.json", Options{Event: "create"}, nil},
		{"delete", "delete.json", Options{Event: "delete", Ref: "old/feature"}, nil},
		{"repository_dispatch", "repository_dispatch.json", Options{Event: "repository_dispatch", Action: "deploy"}, nil},
		{"workflow_run", "workflow_run.json", Options{Event: "workflow_run"}, nil},
		{"issues", "issues.json", Options{Event: "issues", Action: "labeled"}, nil},
	}
	g, err := ReadGit(t.Context(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ev, err := NewEvent(t.Context(), g, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tc.workflow != nil {
				if ev, err = ev.ForWorkflow(tc.workflow, ".github/workflows/ci.yml"); err != nil {
					t.Fatal(err)
				}
			}
			got, err := ev.PayloadJSON()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.golden, got)
		})
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

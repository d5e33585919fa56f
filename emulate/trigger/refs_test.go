package trigger

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadGitFromOneListing covers what ReadGit now answers from one
// listing of the refs and one read of the configuration, in the corners
// where the git commands it replaces had answers of their own: each case
// was checked against those commands.
func TestReadGitFromOneListing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		setup func(r *repo) string
		// check picks the fields the case is about.
		check func(g *Git) []string
		want  []string
	}{
		{"a dangling origin/HEAD still names the default branch, as symbolic-ref does",
			func(r *repo) string {
				sha := r.commit("first")
				r.origin("https://github.com/a/b", "main", sha)
				r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/gone")
				return "."
			},
			func(g *Git) []string { return []string{g.DefaultBranch} }, []string{"gone"}},
		{"a dangling origin/HEAD seen from a linked worktree's subdirectory",
			func(r *repo) string {
				sha := r.commit("first", "sub/f.txt", "f")
				r.origin("https://github.com/a/b", "main", sha)
				r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/gone")
				r.git("branch", "wt")
				r.git("worktree", "add", "--quiet", "wtdir", "wt")
				return "wtdir/sub"
			},
			func(g *Git) []string { return []string{g.Branch, g.DefaultBranch, filepath.Base(g.Root)} }, []string{"wt", "gone", "wtdir"}},
		{"url.<base>.insteadOf rewrites the remote URL, the longest prefix winning",
			func(r *repo) string {
				r.commit("first")
				r.git("remote", "add", "origin", "gh:acme/tools")
				r.git("config", "url.https://github.com/.insteadOf", "gh:")
				r.git("config", "--add", "url.https://example.com/.insteadOf", "g")
				r.git("config", "--add", "url.ssh://git@github.com/ac.insteadOf", "gh:ac")
				return "."
			},
			func(g *Git) []string { return []string{g.RemoteURL, g.Repository} }, []string{"ssh://git@github.com/acme/tools", "acme/tools"}},
		{"a remote without a URL is its own URL, as git remote get-url says",
			func(r *repo) string {
				r.commit("first")
				r.git("config", "remote.foo.fetch", "+refs/heads/*:refs/remotes/foo/*")
				return "."
			},
			func(g *Git) []string { return []string{g.Remote, g.RemoteURL} }, []string{"foo", "foo"}},
		{"the first URL of a remote, and the first remote by name without origin",
			func(r *repo) string {
				r.commit("first")
				r.git("remote", "add", "zeta", "https://github.com/z/z")
				r.git("remote", "add", "alpha", "https://github.com/a/a")
				r.git("config", "--add", "remote.alpha.url", "https://github.com/second/url")
				return "."
			},
			func(g *Git) []string { return []string{g.Remote, g.Repository} }, []string{"alpha", "a/a"}},
		{"the last github.user wins, and values are trimmed",
			func(r *repo) string {
				r.commit("first")
				r.git("config", "--add", "github.user", "first-login")
				r.git("config", "--add", "github.user", "second-login")
				r.git("config", "user.email", " spaced@example.com ")
				return "."
			},
			func(g *Git) []string { return []string{g.Actor, g.Email} }, []string{"second-login", "spaced@example.com"}},
		{"an upstream whose remote branch was never fetched is no upstream",
			func(r *repo) string {
				r.commit("first")
				r.git("remote", "add", "origin", "https://github.com/a/b")
				r.track("main")
				return "."
			},
			func(g *Git) []string { return []string{g.Upstream} }, []string{""}},
		{"a local branch as the upstream",
			func(r *repo) string {
				r.commit("first")
				r.git("branch", "dev")
				r.git("config", "branch.main.remote", ".")
				r.git("config", "branch.main.merge", "refs/heads/dev")
				return "."
			},
			func(g *Git) []string { return []string{g.Upstream} }, []string{"dev"}},
		{"an upstream name a local branch shadows is given in full",
			func(r *repo) string {
				sha := r.commit("first")
				r.origin("https://github.com/a/b", "main", sha)
				r.track("main")
				r.git("branch", "origin/main")
				return "."
			},
			func(g *Git) []string { return []string{g.Upstream} }, []string{"remotes/origin/main"}},
		{"a branch named like a tag is shortened as symbolic-ref --short does",
			func(r *repo) string {
				r.commit("first")
				r.git("checkout", "--quiet", "-b", "v1")
				r.git("tag", "v1")
				return "."
			},
			func(g *Git) []string { return []string{g.Branch, g.Ref} }, []string{"heads/v1", "refs/heads/heads/v1"}},
		{"HEAD through a symbolic branch is the branch it ends at",
			func(r *repo) string {
				r.commit("first")
				r.git("symbolic-ref", "refs/heads/master", "refs/heads/main")
				r.git("symbolic-ref", "HEAD", "refs/heads/master")
				return "."
			},
			func(g *Git) []string { return []string{g.Branch} }, []string{"main"}},
		{"detached at several tags takes the highest version",
			func(r *repo) string {
				r.commit("first")
				r.git("tag", "v1.2.0")
				r.git("tag", "-a", "-m", "x", "v1.10.0")
				r.git("tag", "v1.9.0")
				r.commit("second")
				r.git("checkout", "--quiet", "HEAD~1")
				return "."
			},
			func(g *Git) []string { return []string{g.Ref} }, []string{"refs/tags/v1.10.0"}},
		{"detached at several branches takes the highest name",
			func(r *repo) string {
				r.commit("first")
				r.git("branch", "a-one")
				r.git("branch", "c10")
				r.git("branch", "c9")
				r.git("checkout", "--quiet", "--detach")
				r.git("branch", "--quiet", "-D", "main")
				return "."
			},
			func(g *Git) []string { return []string{g.Ref} }, []string{"refs/heads/c10"}},
		{"detached at several remote branches skips origin/HEAD",
			func(r *repo) string {
				a := r.commit("first")
				b := r.commit("second")
				r.origin("https://github.com/a/b", "main", a, "rel-2", b, "rel-10", b)
				r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/rel-2")
				r.git("checkout", "--quiet", "--detach")
				r.git("branch", "--quiet", "-D", "main")
				return "."
			},
			func(g *Git) []string { return []string{g.Ref, g.DefaultBranch} }, []string{"refs/heads/rel-10", "rel-2"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r := newRepo(t)
			sub := tc.setup(r)
			g, err := ReadGit(t.Context(), filepath.Join(r.dir, sub))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, tc.check(g)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNewEventFromOneListing covers refs that events resolve from the
// listing, where it cannot answer alone.
func TestNewEventFromOneListing(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	a := r.commit("first")
	r.git("tag", "-a", "-m", "inner", "inner")
	r.git("tag", "-a", "-m", "outer", "outer", "inner")
	r.git("branch", "zz")
	r.git("branch", "aa")
	r.commit("second")
	r.git("branch", "cafe")
	g, err := ReadGit(t.Context(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what    string
		opts    Options
		sha     string
		baseRef any
	}{
		{"a tag of a tag is peeled to its commit", Options{Ref: "outer"}, a, "refs/heads/zz"},
		{"a branch named like a short SHA", Options{Ref: "cafe"}, g.SHA, nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ev, err := NewEvent(t.Context(), g, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if ev.SHA != tc.sha {
				t.Errorf("SHA = %s, want %s", ev.SHA, tc.sha)
			}
			if got := lookup(ev.Payload, "base_ref"); got != tc.baseRef {
				t.Errorf("base_ref = %v, want %v", got, tc.baseRef)
			}
		})
	}
}

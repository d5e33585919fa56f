package trigger

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gitView is the part of Git a test checks; SHAs are compared separately
// because each case computes its own.
type gitView struct {
	Ref, RefName, Branch    string
	Detached                bool
	DefaultBranch, Upstream string
	Remote, RemoteURL       string
	Repository, Owner       string
	Actor, Email            string
	Available               bool
	Warnings                []string
}

func view(g *Git) gitView {
	return gitView{
		Ref: g.Ref, RefName: g.RefName, Branch: g.Branch, Detached: g.Detached,
		DefaultBranch: g.DefaultBranch, Upstream: g.Upstream, Remote: g.Remote, RemoteURL: g.RemoteURL,
		Repository: g.Repository, Owner: g.Owner, Actor: g.Actor, Email: g.Email,
		Available: g.Available, Warnings: g.Warnings,
	}
}

func TestReadGit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		// setup builds the repository and returns the directory to read
		// (relative to the repository) and the view ReadGit must return.
		setup func(r *repo) (string, gitView)
	}{
		{"a branch with an https origin", func(r *repo) (string, gitView) {
			r.commit("first", "a.txt", "a")
			r.origin("https://github.com/acme/widgets.git")
			return ".", gitView{Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main",
				Remote: "origin", RemoteURL: "https://github.com/acme/widgets.git", Repository: "acme/widgets", Owner: "acme",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true}
		}},
		{"an scp-like origin and github.user as the actor", func(r *repo) (string, gitView) {
			r.commit("first")
			r.origin("git@github.com:octo-org/octo-repo.git")
			r.git("config", "github.user", "monalisa")
			return ".", gitView{Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main",
				Remote: "origin", RemoteURL: "git@github.com:octo-org/octo-repo.git", Repository: "octo-org/octo-repo", Owner: "octo-org",
				Actor: "monalisa", Email: "mona@example.com", Available: true}
		}},
		{"credentials in the origin URL are dropped", func(r *repo) (string, gitView) {
			r.commit("first")
			r.origin("https://x-access-token:ghs_secret@github.com/acme/app")
			return ".", gitView{Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main",
				Remote: "origin", RemoteURL: "https://github.com/acme/app", Repository: "acme/app", Owner: "acme",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true}
		}},
		{"origin/HEAD names the default branch and the upstream is read", func(r *repo) (string, gitView) {
			sha := r.commit("first")
			r.origin("ssh://git@github.com/acme/app.git", "trunk", sha, "main", sha)
			r.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
			r.track("main")
			return ".", gitView{Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "trunk", Upstream: "origin/main",
				Remote: "origin", RemoteURL: "ssh://git@github.com/acme/app.git", Repository: "acme/app", Owner: "acme",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true}
		}},
		{"master is the default branch when there is no main", func(r *repo) (string, gitView) {
			r.commit("first")
			r.git("branch", "-m", "master")
			r.git("checkout", "--quiet", "-b", "feature")
			r.origin("https://github.com/a/b")
			return ".", gitView{Ref: "refs/heads/feature", RefName: "feature", Branch: "feature", DefaultBranch: "master",
				Remote: "origin", RemoteURL: "https://github.com/a/b", Repository: "a/b", Owner: "a",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true}
		}},
		{"the current branch is the default without main or master", func(r *repo) (string, gitView) {
			r.commit("first")
			r.git("branch", "-m", "develop")
			r.origin("https://github.com/a/b")
			return ".", gitView{Ref: "refs/heads/develop", RefName: "develop", Branch: "develop", DefaultBranch: "develop",
				Remote: "origin", RemoteURL: "https://github.com/a/b", Repository: "a/b", Owner: "a",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true}
		}},
		{"detached at a tag uses the tag", func(r *repo) (string, gitView) {
			r.commit("first")
			r.git("tag", "-a", "-m", "release", "v1.0.0")
			r.git("tag", "v0.9")
			r.commit("second")
			r.git("checkout", "--quiet", "v1.0.0")
			r.origin("https://github.com/a/b")
			return ".", gitView{Ref: "refs/tags/v1.0.0", RefName: "v1.0.0", Detached: true, DefaultBranch: "main",
				Remote: "origin", RemoteURL: "https://github.com/a/b", Repository: "a/b", Owner: "a",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true,
				Warnings: []string{"HEAD is detached; using refs/tags/v1.0.0 (a tag at HEAD)"}}
		}},
		{"detached at a branch tip uses the branch", func(r *repo) (string, gitView) {
			r.commit("first")
			r.git("checkout", "--quiet", "--detach", "main")
			r.origin("https://github.com/a/b")
			return ".", gitView{Ref: "refs/heads/main", RefName: "main", Detached: true, DefaultBranch: "main",
				Remote: "origin", RemoteURL: "https://github.com/a/b", Repository: "a/b", Owner: "a",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true,
				Warnings: []string{"HEAD is detached; using refs/heads/main (a branch at HEAD)"}}
		}},
		{"detached at a remote branch, as actions/checkout leaves it", func(r *repo) (string, gitView) {
			r.commit("first")
			r.git("checkout", "--quiet", "-b", "feature/x")
			sha := r.commit("second")
			r.origin("https://github.com/a/b", "feature/x", sha)
			r.git("checkout", "--quiet", "--detach")
			r.git("branch", "--quiet", "-D", "feature/x")
			return ".", gitView{Ref: "refs/heads/feature/x", RefName: "feature/x", Detached: true, DefaultBranch: "main",
				Remote: "origin", RemoteURL: "https://github.com/a/b", Repository: "a/b", Owner: "a",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true,
				Warnings: []string{"HEAD is detached; using refs/heads/feature/x (remote branch origin/feature/x is at HEAD)"}}
		}},
		{"detached elsewhere falls back to the default branch", func(r *repo) (string, gitView) {
			r.commit("first")
			r.commit("second")
			r.git("checkout", "--quiet", "HEAD~1")
			r.origin("https://github.com/a/b")
			return ".", gitView{Ref: "refs/heads/main", RefName: "main", Detached: true, DefaultBranch: "main",
				Remote: "origin", RemoteURL: "https://github.com/a/b", Repository: "a/b", Owner: "a",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true,
				Warnings: []string{"HEAD is detached; using refs/heads/main (no branch or tag points at HEAD, so the default branch)"}}
		}},
		{"a subdirectory reads the whole repository", func(r *repo) (string, gitView) {
			r.commit("first", "sub/dir/f.txt", "x")
			r.origin("https://github.com/a/b")
			return "sub/dir", gitView{Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main",
				Remote: "origin", RemoteURL: "https://github.com/a/b", Repository: "a/b", Owner: "a",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true}
		}},
		{"another remote is used without origin", func(r *repo) (string, gitView) {
			r.commit("first")
			r.git("remote", "add", "upstream", "https://github.com/up/stream.git")
			return ".", gitView{Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main",
				Remote: "upstream", RemoteURL: "https://github.com/up/stream.git", Repository: "up/stream", Owner: "up",
				Actor: "Mona Lisa", Email: "mona@example.com", Available: true}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r := newRepo(t)
			sub, want := tc.setup(r)
			g, err := ReadGit(t.Context(), filepath.Join(r.dir, sub))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, view(g)); diff != "" {
				t.Errorf("ReadGit mismatch (-want +got):\n%s", diff)
			}
			if g.Root != r.dir {
				t.Errorf("Root = %q, want %q", g.Root, r.dir)
			}
			if head := r.git("rev-parse", "HEAD"); g.SHA != head || g.HeadCommit.ID != head {
				t.Errorf("SHA = %q, HeadCommit.ID = %q, want %q", g.SHA, g.HeadCommit.ID, head)
			}
		})
	}
}

// TestReadGitFallbacks covers directories that give less than a normal
// repository.
func TestReadGitFallbacks(t *testing.T) {
	t.Parallel()
	t.Run("not a repository", func(t *testing.T) {
		t.Parallel()
		dir, err := filepath.EvalSymlinks(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		g, err := ReadGit(t.Context(), dir)
		if err != nil {
			t.Fatalf("ReadGit outside a repository returned an error: %v", err)
		}
		want := Git{Root: dir, Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main",
			Repository: "local/" + filepath.Base(dir), Owner: "local", Actor: g.Actor,
			Warnings: []string{`"` + dir + `" is not inside a git repository; running without repository information`}}
		if diff := cmp.Diff(want, *g); diff != "" {
			t.Errorf("ReadGit mismatch (-want +got):\n%s", diff)
		}
		if g.Actor == "" {
			t.Error("Actor is empty")
		}
	})
	t.Run("no commits yet", func(t *testing.T) {
		t.Parallel()
		r := newRepo(t)
		g, err := ReadGit(t.Context(), r.dir)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(r.dir)
		want := gitView{Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main",
			Repository: "local/" + name, Owner: "local", Actor: "Mona Lisa", Email: "mona@example.com", Available: true,
			Warnings: []string{"the repository has no commits yet", `the repository has no remote; using "local/` + name + `" as github.repository`}}
		if diff := cmp.Diff(want, view(g)); diff != "" {
			t.Errorf("ReadGit mismatch (-want +got):\n%s", diff)
		}
		if g.SHA != "" || g.HeadCommit != (Commit{}) {
			t.Errorf("SHA = %q, HeadCommit = %+v; want both empty", g.SHA, g.HeadCommit)
		}
	})
	t.Run("a remote that is a local path", func(t *testing.T) {
		t.Parallel()
		r := newRepo(t)
		r.commit("first")
		r.origin("/srv/git/app.git")
		g, err := ReadGit(t.Context(), r.dir)
		if err != nil {
			t.Fatal(err)
		}
		repo := "local/" + filepath.Base(r.dir)
		if g.Repository != repo || g.Owner != "local" {
			t.Errorf("Repository, Owner = %q, %q; want %q, local", g.Repository, g.Owner, repo)
		}
		wantWarn := `cannot tell owner/name from the URL "/srv/git/app.git" of remote "origin"; using "` + repo + `" as github.repository`
		if diff := cmp.Diff([]string{wantWarn}, g.Warnings); diff != "" {
			t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestReadGitHeadCommit(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	r.commit("Add the widget\n\nIt spins.\n\nCo-authored-by: Hubot <hubot@example.com>", "w.txt", "w")
	r.git("commit", "--quiet", "--amend", "--no-edit", "--author", "Octo Cat <octo@example.com>")
	g, err := ReadGit(t.Context(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	want := Commit{
		ID:        r.git("rev-parse", "HEAD"),
		TreeID:    r.git("rev-parse", "HEAD^{tree}"),
		Message:   "Add the widget\n\nIt spins.\n\nCo-authored-by: Hubot <hubot@example.com>",
		Timestamp: "2024-01-02T03:04:05+01:00",
		Author:    Person{Name: "Octo Cat", Email: "octo@example.com"},
		Committer: Person{Name: "Mona Lisa", Email: "mona@example.com"},
	}
	if diff := cmp.Diff(want, g.HeadCommit); diff != "" {
		t.Errorf("HeadCommit mismatch (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(g.HeadCommit.Timestamp, "2024-01-02T03:04:05") {
		t.Errorf("Timestamp %q is not RFC 3339", g.HeadCommit.Timestamp)
	}
}

func TestReadGitCancelled(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	r.commit("first")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ReadGit(ctx, r.dir); err == nil {
		t.Error("ReadGit with a cancelled context returned no error")
	}
}

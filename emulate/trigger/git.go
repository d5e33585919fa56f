package trigger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Git is what the local repository tells about itself.
type Git struct {
	// Root is the top-level directory of the work tree (the directory given
	// to [ReadGit] when it is not a repository).
	Root string
	// SHA is the commit HEAD points at; empty in a repository without commits.
	SHA string
	// Ref is the full ref the run is for, like refs/heads/main. With a
	// detached HEAD it is a tag or branch that points at HEAD, or else the
	// default branch; Detached is then true and Warnings says which was used.
	Ref string
	// RefName is Ref without refs/heads/ or refs/tags/.
	RefName string
	// Branch is the checked-out branch; empty when HEAD is detached.
	Branch   string
	Detached bool
	// DefaultBranch is the remote's HEAD (refs/remotes/<remote>/HEAD), else
	// main or master when such a local branch exists, else the current
	// branch, else "main".
	DefaultBranch string
	// Upstream is the current branch's upstream, like origin/main; empty
	// when it has none.
	Upstream string
	// Remote is the remote the repository name comes from ("origin" when it
	// exists, else the first remote); RemoteURL is its URL without
	// credentials.
	Remote, RemoteURL string
	// Repository is "owner/name" and Owner is "owner", parsed from the
	// remote URL (https, ssh and scp-like forms). Without a usable remote
	// they fall back to "local/<directory name>" and "local".
	Repository, Owner string
	// Actor stands in for github.actor. GitHub uses the login of the user who
	// triggered the run; Git knows no login, so this is `git config
	// github.user` when set (the convention of hub and other tools), else
	// user.name, else $USER.
	Actor string
	// Email is `git config user.email`, used for the push payload's pusher.
	Email string
	// HeadCommit is the commit at HEAD; zero in a repository without commits.
	HeadCommit Commit
	// Available is false when the directory is not inside a Git work tree or
	// the git binary is missing. The other fields then hold fallbacks.
	Available bool
	// Warnings are things the CLI should tell the user: fallbacks taken,
	// a detached HEAD, a missing remote.
	Warnings []string
}

// RepositoryName returns the repository name without the owner.
func (g *Git) RepositoryName() string {
	_, name, _ := strings.Cut(g.Repository, "/")
	return name
}

// Commit is a commit as GitHub's push payload describes it.
type Commit struct {
	ID, TreeID string
	// Message is the full message without its trailing newline.
	Message string
	// Timestamp is the committer date in RFC 3339 with the commit's own UTC
	// offset, as `git log --format=%cI` prints it.
	Timestamp string
	Author    Person
	Committer Person
}

// Person is a commit author or committer.
type Person struct {
	Name, Email string
}

// ReadGit reads the repository that contains dir with the git binary. A
// directory outside any repository (or a machine without git) is not an
// error: the result has Available false and fallback values.
func ReadGit(ctx context.Context, dir string) (*Git, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("could not resolve %q: %w", dir, err)
	}
	g := &Git{Root: abs}
	top, err := runGit(ctx, abs, "rev-parse", "--show-toplevel")
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, exec.ErrNotFound) {
			g.warnf("git is not installed; running without repository information")
		} else {
			g.warnf("%q is not inside a git repository; running without repository information", abs)
		}
		g.fallback()
		return g, nil
	}
	g.Available = true
	g.Root = filepath.FromSlash(top)

	if g.SHA, err = revParse(ctx, g.Root, "HEAD"); err != nil && ctx.Err() == nil {
		g.warnf("the repository has no commits yet")
	}
	// Three independent chains of git calls run at once: each git process
	// costs a few milliseconds, and `rehearse plan` should answer at once.
	// Each chain writes its own fields; only the ref chain adds warnings.
	var wg sync.WaitGroup
	var commitErr error
	wg.Go(func() {
		// The branch and its upstream, and the remote, are two chains of
		// their own; the default branch needs both.
		var refs sync.WaitGroup
		refs.Go(func() {
			if b, err := runGit(ctx, g.Root, "symbolic-ref", "--quiet", "--short", "HEAD"); err == nil {
				g.Branch = b
				if up, err := runGit(ctx, g.Root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"); err == nil {
					g.Upstream = up
				}
			}
		})
		g.readRemote(ctx)
		refs.Wait()
		g.DefaultBranch = g.defaultBranch(ctx)
		g.readRef(ctx)
	})
	wg.Go(func() {
		g.Actor = firstNonEmpty(g.config(ctx, "github.user"), g.config(ctx, "user.name"), os.Getenv("USER"), "local")
		g.Email = g.config(ctx, "user.email")
	})
	wg.Go(func() {
		if g.SHA != "" {
			g.HeadCommit, commitErr = readCommit(ctx, g.Root, g.SHA)
		}
	})
	wg.Wait()
	if commitErr != nil {
		return nil, commitErr
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return g, nil
}

// fallback fills the fields a repository would give.
func (g *Git) fallback() {
	g.DefaultBranch = "main"
	g.Ref = "refs/heads/main"
	g.RefName = "main"
	g.Branch = "main"
	g.Owner = "local"
	g.Repository = "local/" + filepath.Base(g.Root)
	g.Actor = firstNonEmpty(os.Getenv("USER"), "local")
}

func (g *Git) warnf(format string, args ...any) {
	g.Warnings = append(g.Warnings, fmt.Sprintf(format, args...))
}

// readRemote picks the remote and parses owner/name from its URL.
func (g *Git) readRemote(ctx context.Context) {
	out, _ := runGit(ctx, g.Root, "remote")
	remotes := strings.Fields(out)
	switch {
	case slices.Contains(remotes, "origin"):
		g.Remote = "origin"
	case len(remotes) > 0:
		slices.Sort(remotes)
		g.Remote = remotes[0]
	}
	name := filepath.Base(g.Root)
	if g.Remote == "" {
		g.Owner, g.Repository = "local", "local/"+name
		g.warnf("the repository has no remote; using %q as github.repository", g.Repository)
		return
	}
	url, _ := runGit(ctx, g.Root, "remote", "get-url", g.Remote)
	g.RemoteURL = redactURL(url)
	owner, repo, ok := parseRemoteURL(url)
	if !ok {
		g.Owner, g.Repository = "local", "local/"+name
		g.warnf("cannot tell owner/name from the URL %q of remote %q; using %q as github.repository", g.RemoteURL, g.Remote, g.Repository)
		return
	}
	g.Owner, g.Repository = owner, owner+"/"+repo
}

// defaultBranch finds the branch GitHub would call the default one.
func (g *Git) defaultBranch(ctx context.Context) string {
	if g.Remote != "" {
		if head, err := runGit(ctx, g.Root, "symbolic-ref", "--quiet", "--short", "refs/remotes/"+g.Remote+"/HEAD"); err == nil {
			if b, ok := strings.CutPrefix(head, g.Remote+"/"); ok && b != "" {
				return b
			}
		}
	}
	for _, b := range []string{"main", "master"} {
		if refExists(ctx, g.Root, "refs/heads/"+b) {
			return b
		}
	}
	return firstNonEmpty(g.Branch, "main")
}

// readRef sets Ref and RefName, choosing a ref for a detached HEAD.
func (g *Git) readRef(ctx context.Context) {
	if g.Branch != "" {
		g.Ref, g.RefName = "refs/heads/"+g.Branch, g.Branch
		return
	}
	g.Detached = true
	set := func(ref, why string) {
		g.Ref = ref
		g.RefName = shortRef(ref)
		g.warnf("HEAD is detached; using %s (%s)", ref, why)
	}
	if g.SHA != "" {
		if tags := refsAt(ctx, g.Root, "HEAD", "refs/tags"); len(tags) > 0 {
			set(tags[0], "a tag at HEAD")
			return
		}
		if branches := refsAt(ctx, g.Root, "HEAD", "refs/heads"); len(branches) > 0 {
			b := branches[0]
			if slices.Contains(branches, "refs/heads/"+g.DefaultBranch) {
				b = "refs/heads/" + g.DefaultBranch
			}
			set(b, "a branch at HEAD")
			return
		}
		if g.Remote != "" {
			prefix := "refs/remotes/" + g.Remote + "/"
			for _, rb := range refsAt(ctx, g.Root, "HEAD", strings.TrimSuffix(prefix, "/")) {
				if b := strings.TrimPrefix(rb, prefix); b != "HEAD" {
					set("refs/heads/"+b, "remote branch "+g.Remote+"/"+b+" is at HEAD")
					return
				}
			}
		}
	}
	set("refs/heads/"+g.DefaultBranch, "no branch or tag points at HEAD, so the default branch")
}

func (g *Git) config(ctx context.Context, key string) string {
	v, _ := runGit(ctx, g.Root, "config", "--get", key)
	return v
}

// refsAt lists the full names of the refs under prefix that point at rev,
// directly or through an annotated tag; tags come newest version first.
func refsAt(ctx context.Context, root, rev, prefix string) []string {
	out, err := runGit(ctx, root, "for-each-ref", "--points-at", rev, "--sort=-v:refname", "--format=%(refname)", prefix)
	if err != nil {
		return nil
	}
	return strings.Fields(out)
}

// readCommit reads one commit in the shape of the push payload.
func readCommit(ctx context.Context, root, rev string) (Commit, error) {
	out, err := runGitRaw(ctx, root, "log", "-1", "--no-show-signature",
		"--format=%H%x00%T%x00%an%x00%ae%x00%cn%x00%ce%x00%cI%x00%B", rev, "--")
	if err != nil {
		return Commit{}, fmt.Errorf("could not read commit %q: %w", rev, err)
	}
	f := strings.SplitN(out, "\x00", 8)
	if len(f) != 8 {
		return Commit{}, fmt.Errorf("could not read commit %q: unexpected git log output", rev)
	}
	return Commit{
		ID:        f[0],
		TreeID:    f[1],
		Author:    Person{Name: f[2], Email: f[3]},
		Committer: Person{Name: f[4], Email: f[5]},
		Timestamp: f[6],
		Message:   strings.TrimRight(f[7], "\n"),
	}, nil
}

// revParse resolves rev to a commit SHA.
func revParse(ctx context.Context, root, rev string) (string, error) {
	return runGit(ctx, root, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
}

func refExists(ctx context.Context, root, ref string) bool {
	_, err := runGit(ctx, root, "show-ref", "--verify", "--quiet", ref)
	return err == nil
}

// runGit runs git in dir and returns its output with surrounding whitespace
// trimmed.
func runGit(ctx context.Context, dir string, args ...string) (string, error) {
	out, err := runGitRaw(ctx, dir, args...)
	return strings.TrimSpace(out), err
}

// runGitRaw runs git in dir and returns its output unchanged. LC_ALL=C keeps
// messages stable and core.quotepath=off keeps non-ASCII paths readable.
func runGitRaw(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-c", "core.quotepath=off", "-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return stdout.String(), fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return stdout.String(), fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return stdout.String(), nil
}

// shortRef strips refs/heads/ or refs/tags/; pull request refs become
// "<n>/merge" as github.ref_name shows them.
func shortRef(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/tags/", "refs/pull/"} {
		if s, ok := strings.CutPrefix(ref, p); ok {
			return s
		}
	}
	return ref
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

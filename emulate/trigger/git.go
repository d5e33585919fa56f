package trigger

// What a read costs. Starting a git process takes milliseconds (tens on a
// busy machine), far more than the work each does here, so this package
// asks git a few broad questions whose number does not grow with the
// history, instead of one question per fact or per commit:
//
//   - ReadGit reads the top level, the Git directory, HEAD and its
//     branch, every ref with its commit, peeled tag, symbolic target and
//     upstream ([Refs]), and the identity and remotes from the
//     configuration, and the head commit when it is a loose object, from
//     the repository's own files (gitfiles*.go); a packed head commit
//     takes one `git log -1`. Where those files are
//     not in a shape it follows (a linked worktree, includes, reftable...)
//     it asks git instead, 4 processes at once: `git rev-parse`,
//     `git for-each-ref`, `git config --get-regexp` and `git log -1 HEAD`
//     (outside a repository all four fail and nothing more is asked).
//   - NewEvent for a push lists the uncommitted and untracked files with
//     one `git status`. The pushed commits (up to GitHub's 2048) and their
//     files come from loose objects for a linear history; otherwise (packed
//     objects, as in a clone, or merges) one `git log` and one git
//     diff-tree, or git diff from the remote's commit, all at once.
//     Branches, tags and remote branches are looked up in [Refs].
//
// So `rehearse plan` costs 1 git process in a fresh repository or one
// with a linear, unpacked local history, and 4 for a packed one, a clone
// with an upstream included (TestGitProcessCount); it was 16, 90 and 23,
// with a `git log -1` per pushed commit. A few cases take a process more,
// where the listing cannot answer alone: a repository without commits
// (which asks one question a process), a remote's HEAD that points at a
// missing branch, a remote without a URL in the configuration, several
// tags or branches at a detached HEAD (git sorts them by version), a tag
// of a tag, and --ref of another commit (its git log -1).

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
	// Refs are the refs ReadGit saw, which events resolve branches and
	// tags with; nil when Available is false. A Git made by hand leaves
	// it nil, and events then ask git for each ref.
	Refs *Refs
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
	// The head, the refs, the configuration and the head commit are
	// independent: read them at once (each git process costs a few
	// milliseconds, and `rehearse plan` should answer at once). Git finds
	// the repository from any directory inside it, so none waits for the
	// top level.
	var wg sync.WaitGroup
	var refs *Refs
	var conf gitConfig
	var head Commit
	var headErr error
	var h headInfo
	var answered bool
	if files, ok := readRepoFiles(abs); ok {
		// The repository's files answered the first three questions.
		h, refs, conf = files.head, files.refs, newGitConfig(files.entries)
		var loose bool
		if head, loose = readLooseCommit(h.gitDir, h.sha); !loose {
			head, headErr = readCommit(ctx, abs, h.sha)
		}
	} else {
		wg.Go(func() { refs, _ = readRefs(ctx, abs) })
		wg.Go(func() { conf = readConfig(ctx, abs) })
		wg.Go(func() { head, headErr = readCommit(ctx, abs, "HEAD") })
		h, answered, err = readHead(ctx, abs)
		wg.Wait()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// In a repository without commits, or with a HEAD the one call
		// cannot read, ask one question a process. Git answers nothing
		// outside a repository.
		top := ""
		if answered {
			top, err = runGit(ctx, abs, "rev-parse", "--show-toplevel")
		}
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
		h = headInfo{top: top}
		if h.sha, err = revParse(ctx, filepath.FromSlash(top), "HEAD"); err != nil {
			h.sha = ""
		}
	}
	g.Available = true
	g.Root = filepath.FromSlash(h.top)
	g.SHA = h.sha
	if g.SHA == "" && ctx.Err() == nil {
		g.warnf("the repository has no commits yet")
	}
	g.Refs = refs
	if h.symbolic == "" || g.Refs == nil {
		// Without the one call's answer, or without the listing to
		// shorten it with, ask for the branch and its upstream.
		g.readBranch(ctx)
	} else if h.symbolic != "HEAD" {
		g.Branch = g.Refs.shorten(h.symbolic)
		if ref := g.Refs.byName[h.symbolic]; ref.upstream != "" && g.Refs.exists(ref.upstream) {
			g.Upstream = ref.upstreamShort
		}
	}
	if g.SHA != "" {
		if headErr != nil || head.ID != g.SHA {
			// HEAD moved between the two reads: read the commit
			// rev-parse named.
			head, headErr = readCommit(ctx, g.Root, g.SHA)
		}
		if headErr != nil {
			return nil, headErr
		}
		g.HeadCommit = head
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	g.Actor = firstNonEmpty(conf.last["github.user"], conf.last["user.name"], os.Getenv("USER"), "local")
	g.Email = conf.last["user.email"]
	g.readRemote(ctx, conf)
	g.DefaultBranch = g.defaultBranch(ctx, h.gitDir)
	g.readRef(ctx)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return g, nil
}

// headInfo is what one `git rev-parse` tells: the top level, the Git
// directory, HEAD's commit and the full name of the branch HEAD is on
// ("HEAD" when detached).
type headInfo struct {
	top, gitDir, sha, symbolic string
}

// readHead asks git for headInfo in one process. It fails outside a
// repository, where git prints nothing (answered is false), and in a
// repository without commits, where it prints the top level first.
func readHead(ctx context.Context, dir string) (h headInfo, answered bool, err error) {
	out, err := runGitRaw(ctx, dir, "rev-parse", "--show-toplevel", "--absolute-git-dir", "HEAD^{commit}", "--symbolic-full-name", "HEAD", "--")
	if err != nil {
		return headInfo{}, out != "", err
	}
	l := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(l) != 5 || l[4] != "--" || !isHex(l[2]) || l[3] == "" || l[0] == "" {
		return headInfo{}, true, fmt.Errorf("unexpected git rev-parse output %q", out)
	}
	return headInfo{top: strings.TrimSpace(l[0]), gitDir: l[1], sha: l[2], symbolic: l[3]}, true, nil
}

// readBranch asks git for the checked-out branch and its upstream.
func (g *Git) readBranch(ctx context.Context) {
	if b, err := runGit(ctx, g.Root, "symbolic-ref", "--quiet", "--short", "HEAD"); err == nil {
		g.Branch = b
		if up, err := runGit(ctx, g.Root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"); err == nil {
			g.Upstream = up
		}
	}
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
func (g *Git) readRemote(ctx context.Context, conf gitConfig) {
	remotes := conf.remoteNames()
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
	url, ok := conf.remoteURL(g.Remote)
	if !ok {
		// A remote without a URL in the configuration: git takes one from
		// the older remotes/ and branches/ files, or the name itself.
		url, _ = runGit(ctx, g.Root, "remote", "get-url", g.Remote)
	}
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
func (g *Git) defaultBranch(ctx context.Context, gitDir string) string {
	if g.Remote != "" {
		if head, ok := g.remoteHead(ctx, gitDir); ok {
			if b, ok := strings.CutPrefix(head, g.Remote+"/"); ok && b != "" {
				return b
			}
		}
	}
	for _, b := range []string{"main", "master"} {
		if g.refExists(ctx, "refs/heads/"+b) {
			return b
		}
	}
	return firstNonEmpty(g.Branch, "main")
}

// remoteHead is `git symbolic-ref --short refs/remotes/<remote>/HEAD`, the
// remote's default branch as the last clone or `git remote set-head` saw
// it, like origin/main.
func (g *Git) remoteHead(ctx context.Context, gitDir string) (string, bool) {
	name := "refs/remotes/" + g.Remote + "/HEAD"
	if g.Refs != nil {
		ref, listed := g.Refs.byName[name]
		switch {
		case listed && ref.symref == "":
			return "", false
		case listed:
			return g.Refs.shorten(g.Refs.resolveSymref(name)), true
		case !maybeLooseRef(gitDir, name):
			return "", false
		}
		// A symbolic ref whose target is gone is not listed, but
		// symbolic-ref still names the target.
	}
	head, err := runGit(ctx, g.Root, "symbolic-ref", "--quiet", "--short", name)
	return head, err == nil
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
		if tag := g.firstRefAt(ctx, g.SHA, "refs/tags", "", nil); tag != "" {
			set(tag, "a tag at HEAD")
			return
		}
		if b := g.firstRefAt(ctx, g.SHA, "refs/heads", "refs/heads/"+g.DefaultBranch, nil); b != "" {
			set(b, "a branch at HEAD")
			return
		}
		if g.Remote != "" {
			prefix := "refs/remotes/" + g.Remote + "/"
			notHead := func(ref string) bool { return strings.TrimPrefix(ref, prefix) != "HEAD" }
			if rb := g.firstRefAt(ctx, g.SHA, strings.TrimSuffix(prefix, "/"), "", notHead); rb != "" {
				b := strings.TrimPrefix(rb, prefix)
				set("refs/heads/"+b, "remote branch "+g.Remote+"/"+b+" is at HEAD")
				return
			}
		}
	}
	set("refs/heads/"+g.DefaultBranch, "no branch or tag points at HEAD, so the default branch")
}

// firstRefAt returns the first ref under prefix that points at sha
// (directly or through an annotated tag) and that keep accepts (all when
// keep is nil), in Git's order of descending versions (--sort=-v:refname);
// prefer wins over the order when it is one of them. It returns "" when
// there is none. Only when several refs qualify and none is preferred does
// it ask git to sort them.
func (g *Git) firstRefAt(ctx context.Context, sha, prefix, prefer string, keep func(string) bool) string {
	var refs []string
	if g.Refs != nil {
		refs = g.Refs.pointingAt(sha, prefix)
		if keep != nil {
			refs = slices.DeleteFunc(refs, func(r string) bool { return !keep(r) })
		}
		if len(refs) <= 1 || (prefer != "" && slices.Contains(refs, prefer)) {
			return g.pickRef(refs, prefer, nil)
		}
	}
	return g.pickRef(refsAt(ctx, g.Root, sha, prefix), prefer, keep)
}

func (g *Git) pickRef(sorted []string, prefer string, keep func(string) bool) string {
	if prefer != "" && slices.Contains(sorted, prefer) {
		return prefer
	}
	for _, r := range sorted {
		if keep == nil || keep(r) {
			return r
		}
	}
	return ""
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

// commitFormat is a commit in the shape of the push payload: the fields of
// [Commit], NUL-separated.
const commitFormat = "--format=%H%x00%T%x00%an%x00%ae%x00%cn%x00%ce%x00%cI%x00%B"

// readCommit reads one commit in the shape of the push payload.
func readCommit(ctx context.Context, root, rev string) (Commit, error) {
	out, err := runGitRaw(ctx, root, "log", "-1", "-z", "--no-show-signature", commitFormat, rev, "--")
	if err != nil {
		return Commit{}, fmt.Errorf("could not read commit %q: %w", rev, err)
	}
	c, err := parseCommits(out)
	if err != nil || len(c) != 1 {
		return Commit{}, fmt.Errorf("could not read commit %q: unexpected git log output", rev)
	}
	return c[0], nil
}

// readCommits reads the commits that `git log args...` shows, in the
// shape of the push payload, with one git process however many they are.
func readCommits(ctx context.Context, root string, args ...string) ([]Commit, error) {
	out, err := runGitRaw(ctx, root, append([]string{"log", "-z", "--no-show-signature", commitFormat}, args...)...)
	if err != nil {
		return nil, err
	}
	return parseCommits(out)
}

// parseCommits parses `git log -z` output in commitFormat: eight fields a
// commit, each commit ended by a NUL.
func parseCommits(out string) ([]Commit, error) {
	f := strings.Split(out, "\x00")
	if len(f)%8 != 1 || f[len(f)-1] != "" {
		return nil, errors.New("unexpected git log output")
	}
	commits := make([]Commit, 0, len(f)/8)
	for i := 0; i+8 < len(f); i += 8 {
		commits = append(commits, Commit{
			ID:        f[i],
			TreeID:    f[i+1],
			Author:    Person{Name: f[i+2], Email: f[i+3]},
			Committer: Person{Name: f[i+4], Email: f[i+5]},
			Timestamp: f[i+6],
			Message:   strings.TrimRight(f[i+7], "\n"),
		})
	}
	return commits, nil
}

// revParse resolves rev to a commit SHA.
func revParse(ctx context.Context, root, rev string) (string, error) {
	return runGit(ctx, root, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
}

// revParse resolves a ref name to its commit as `git rev-parse --verify
// <ref>^{commit}` does, from Refs when ReadGit read them.
func (g *Git) revParse(ctx context.Context, ref string) (string, error) {
	if g.Refs != nil {
		if sha, ok, sure := g.Refs.commit(ref); sure {
			if !ok {
				return "", fmt.Errorf("%s is not a commit in the repository", ref)
			}
			return sha, nil
		}
	}
	return revParse(ctx, g.Root, ref)
}

// refExists is `git show-ref --verify --quiet <ref>`: does the full ref
// name exist.
func (g *Git) refExists(ctx context.Context, ref string) bool {
	if g.Refs != nil {
		return g.Refs.exists(ref)
	}
	_, err := runGit(ctx, g.Root, "show-ref", "--verify", "--quiet", ref)
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

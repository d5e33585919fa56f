package trigger

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// pushChanges lists the files a push of head to ref would change, as
// GitHub's path filters see them, plus the local changes a dry run before
// pushing should count too (see the package documentation):
//
//   - a branch GitHub already has: git diff <its commit>...head, GitHub's
//     two-dot before..after diff once the push fast-forwards;
//   - a new branch: the diff against where it leaves the remote's default
//     branch ("a two-dot diff against the parent of the ancestor of the
//     deepest commit pushed"), and without any remote branch, the files of
//     the head commit alone;
//   - when head is the checked-out commit, uncommitted changes to tracked
//     files and untracked files that Git does not ignore.
//
// It returns ok false, with a warning added, when Git cannot answer.
func pushChanges(ctx context.Context, g *Git, ref, head string, warnings []string) ([]string, bool, []string) {
	if !g.Available {
		return nil, false, warnings
	}
	// The work tree's changes do not depend on the commits' diff: list
	// them at the same time.
	var workTree func(files []string, err error) ([]string, error)
	if head == g.SHA {
		workTree = addWorkTree(ctx, g)
	}
	var files []string
	var err error
	switch base, _ := pushBase(ctx, g, ref, head); {
	case head == "":
		// No commits yet: everything staged would be in the first commit.
		files, err = gitNames(ctx, g.Root, "ls-files", "-z")
	case base != "":
		var ok bool
		if files, ok = looseRangeFiles(g, base, head); !ok {
			files, err = gitNames(ctx, g.Root, "diff", "--name-only", "-z", "--no-renames", base+"..."+head, "--")
		}
	default:
		var ok bool
		if files, ok = looseCommitFiles(g, head); !ok {
			files, err = gitNames(ctx, g.Root, "diff-tree", "--root", "--no-commit-id", "--name-only", "-z", "-r", "--no-renames", head, "--")
		}
	}
	if workTree != nil {
		files, err = workTree(files, err)
	}
	if err != nil {
		return nil, false, append(warnings, fmt.Sprintf("could not list the changed files, so path filters are not applied: %v", err))
	}
	return sortedUnique(files), true, warnings
}

// looseCommitFiles is `git diff-tree --root -r --name-only head` read
// from loose objects when ReadGit read the repository's files; ok is false
// when git must be asked (packed objects, a merge).
func looseCommitFiles(g *Git, head string) ([]string, bool) {
	dir := g.looseObjects()
	if dir == "" {
		return nil, false
	}
	c, parents, ok := readLooseCommitParents(dir, head)
	if !ok || len(parents) > 1 {
		return nil, false
	}
	parentTree := ""
	if len(parents) == 1 {
		p, ok := readLooseCommit(dir, parents[0])
		if !ok {
			return nil, false
		}
		parentTree = p.TreeID
	}
	return looseTreeDiff(dir, parentTree, c.TreeID, "")
}

// looseRangeFiles is `git diff --name-only base...head` read from loose
// objects, for a linear history from base to head.
func looseRangeFiles(g *Git, base, head string) ([]string, bool) {
	dir := g.looseObjects()
	if dir == "" || !looseAncestor(dir, head, base) {
		return nil, false
	}
	b, ok1 := readLooseCommit(dir, base)
	h, ok2 := readLooseCommit(dir, head)
	if !ok1 || !ok2 {
		return nil, false
	}
	return looseTreeDiff(dir, b.TreeID, h.TreeID, "")
}

// pushBase finds what GitHub compares a push of head to a branch ref with.
// For a branch GitHub already has (existing is true) that is the remote's
// commit for it, the push's "before": the upstream when ref is the
// checked-out branch, else <remote>/<branch>. For a new branch it is the
// remote's default branch, whose merge base with head is where the new
// commits start. It is "" when neither exists or ref is not a branch.
func pushBase(ctx context.Context, g *Git, ref, head string) (base string, existing bool) {
	branch, ok := strings.CutPrefix(ref, "refs/heads/")
	if !g.Available || head == "" || !ok {
		return "", false
	}
	if branch == g.Branch && g.Upstream != "" {
		if sha, err := g.revParse(ctx, g.Upstream); err == nil {
			return sha, true
		}
	}
	if g.Remote == "" {
		return "", false
	}
	if sha, err := g.revParse(ctx, "refs/remotes/"+g.Remote+"/"+branch); err == nil {
		return sha, true
	}
	if sha, err := g.revParse(ctx, "refs/remotes/"+g.Remote+"/"+g.DefaultBranch); err == nil {
		return sha, false
	}
	return "", false
}

// pullRequestChanges lists the files of a pull request: GitHub's three-dot
// diff from the merge base of base and head, plus, when head is the
// checked-out commit, the uncommitted and untracked files.
func pullRequestChanges(ctx context.Context, g *Git, base, head string, warnings []string) ([]string, bool, []string) {
	if !g.Available || base == "" || head == "" {
		return nil, false, warnings
	}
	mb, err := runGit(ctx, g.Root, "merge-base", base, head)
	if err != nil {
		// merge-base fails without a message when there is no common
		// ancestor, which is what GitHub would refuse to diff too.
		return nil, false, append(warnings, "the base and head of the pull request share no history, so path filters are not applied")
	}
	var files []string
	if head == g.SHA {
		// Without a second commit, git diff compares mb with the work tree,
		// which covers committed and uncommitted changes to tracked files.
		workTree := addWorkTree(ctx, g)
		files, err = gitNames(ctx, g.Root, "diff", "--name-only", "-z", "--no-renames", mb, "--")
		files, err = workTree(files, err)
	} else {
		files, err = gitNames(ctx, g.Root, "diff", "--name-only", "-z", "--no-renames", mb, head, "--")
	}
	if err != nil {
		return nil, false, append(warnings, fmt.Sprintf("could not list the changed files, so path filters are not applied: %v", err))
	}
	return sortedUnique(files), true, warnings
}

// addWorkTree starts listing the uncommitted changes to tracked files
// (staged or not) and the untracked files that are not ignored, with one
// `git status` while the caller lists the commits' files, and returns a
// function that adds them to files once the caller has those; it passes
// an earlier error on.
func addWorkTree(ctx context.Context, g *Git) func(files []string, err error) ([]string, error) {
	var changed []string
	var statusErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		changed, statusErr = workTreeChanges(ctx, g.Root)
	}()
	return func(files []string, err error) ([]string, error) {
		<-done
		if err != nil {
			return files, err
		}
		return append(files, changed...), statusErr
	}
}

// workTreeChanges lists the paths `git status` reports: what differs
// between HEAD, the index and the work tree, and every untracked file Git
// does not ignore (what git diff HEAD and git ls-files --others
// --exclude-standard list, in one process). --no-optional-locks keeps
// status from writing the refreshed index: a dry run leaves the
// repository as it found it.
func workTreeChanges(ctx context.Context, root string) ([]string, error) {
	out, err := runGitRaw(ctx, root, "--no-optional-locks", "status", "--porcelain=v2", "-z", "--untracked-files=all", "--no-renames", "--ignore-submodules=none")
	if err != nil {
		return nil, err
	}
	return parseStatus(out)
}

// parseStatus reads `git status --porcelain=v2 -z`: each entry is a kind,
// fields separated by spaces and the path (a rename, not asked for, would
// add its source as one more NUL-terminated token).
func parseStatus(out string) ([]string, error) {
	var names []string
	tokens := strings.Split(out, "\x00")
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if t == "" {
			continue
		}
		// fields before the path: "1 XY sub mH mI mW hH hI path",
		// "2 XY sub mH mI mW hH hI Xscore path", "u XY sub m1 m2 m3 mW h1
		// h2 h3 path", "? path", "! path".
		var before int
		switch t[0] {
		case '1':
			before = 8
		case '2':
			before = 9
			i++ // the rename's source
		case 'u':
			before = 10
		case '?':
			before = 1
		case '!', '#':
			continue
		default:
			return nil, fmt.Errorf("unexpected git status entry %q", t)
		}
		f := strings.SplitN(t, " ", before+1)
		if len(f) != before+1 || f[before] == "" {
			return nil, fmt.Errorf("unexpected git status entry %q", t)
		}
		names = append(names, f[before])
	}
	return names, nil
}

// gitNames runs a git command that prints NUL-separated paths.
func gitNames(ctx context.Context, root string, args ...string) ([]string, error) {
	out, err := runGitRaw(ctx, root, args...)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range strings.Split(out, "\x00") {
		if n != "" {
			names = append(names, n)
		}
	}
	return names, nil
}

func sortedUnique(files []string) []string {
	slices.Sort(files)
	files = slices.Compact(files)
	if files == nil {
		files = []string{}
	}
	return files
}

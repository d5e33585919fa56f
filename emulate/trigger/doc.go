// Package trigger decides which workflows an emulated GitHub event starts and
// builds the `github` context those workflows see, from the local Git
// repository.
//
// The flow is:
//
//	ReadGit(ctx, dir)          the repository: HEAD, ref, default branch, owner/name, actor
//	NewEvent(ctx, git, opts)   one event: ref, sha, activity type, changed files, payload
//	Match(filters, event)      does a workflow's `on:` accept it, and if not, why
//	SkipCI(event)              does the head commit say [skip ci]
//	event.ForWorkflow(...)     the payload as one workflow sees it (dispatch inputs, cron)
//	Context(git, event, run)   the github context of a job
//
// The rules follow GitHub's documentation, cited where they are applied:
// "Events that trigger workflows" (docs: events-that-trigger-workflows),
// "Workflow syntax" for on.<event>.<branches|tags|paths> and the "Filter
// pattern cheat sheet" (docs: workflow-syntax), "Skipping workflow runs"
// (docs: skip-workflow-runs) and the github context (docs: contexts). The
// caller converts the workflow's `on:` into [Filter] values, so this package
// does not import actionlint.
//
// # Changed files
//
// GitHub compares the pushed commits (push) or the pull request's branch
// with its base (pull_request, pull_request_target) to apply paths and
// paths-ignore. A local run happens before that push, so [NewEvent] computes
// what the push or pull request would contain if it happened now:
//
//   - push to a branch GitHub has: git diff <before>...<head>, where before
//     is the upstream of the checked-out branch (@{upstream}), or for
//     another branch the remote's copy of it; that is GitHub's two-dot
//     before..after diff once the push fast-forwards. A branch the remote
//     does not have is new to GitHub, which diffs it against "the parent of
//     the ancestor of the deepest commit pushed"; locally that is the merge
//     base with the remote's default branch, or, when no remote branch
//     exists at all, the files of the head commit.
//   - pull_request: git diff from the merge base of the base branch (the
//     remote's copy when fetched, else the local branch) and HEAD, GitHub's
//     three-dot diff.
//   - In both cases, when the event is for the checked-out commit, the
//     uncommitted changes to tracked files and the untracked files Git does
//     not ignore are added, since a dry run before committing should see the
//     work it is about to commit.
//
// Renames count as a deletion and an addition, so both paths are checked.
// When the files cannot be computed (git fails, unrelated histories, a base
// branch that is not present), ChangedFilesKnown is false and path filters
// let the workflow run, as GitHub does when it cannot produce a diff ("the
// workflow will always run"). Tag pushes have no path filtering ("Path
// filters are not evaluated for pushes of tags").
//
// # Known differences from GitHub
//
//   - github.sha of a pull_request is the head commit; GitHub uses the merge
//     commit of the head into the base on refs/pull/N/merge.
//   - github.actor is a Git identity, not a GitHub login (see [Git].Actor);
//     the numeric ids (actor_id, repository_id, repository_owner_id) are
//     empty strings.
//   - A detached HEAD (as in CI checkouts) is mapped to a tag or branch that
//     points at it, else to the default branch; [Git].Warnings says which.
package trigger

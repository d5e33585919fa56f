package trigger

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Options say which event to emulate. They come from command-line flags.
type Options struct {
	// Event is the event name; "push" when empty.
	Event string
	// Ref is --ref: refs/heads/x, refs/tags/v1.0, or a short name, looked up
	// as a local branch, then a tag, then a remote branch, and otherwise
	// taken as a branch that does not exist yet. For push and
	// workflow_dispatch it is the ref pushed or dispatched; for pull_request
	// the head branch; for release the tag; for events that GitHub runs on
	// the default branch it replaces that branch.
	Ref string
	// Base is --base, the base branch of a pull request; the default branch
	// when empty.
	Base string
	// Action is --action, the activity type (github.event.action), such as
	// "closed" for pull_request. Each event has a default (pull_request:
	// opened, release: published).
	Action string
	// Inputs are workflow_dispatch --input name=value pairs.
	Inputs map[string]string
	// EventFile is --event-file, a JSON object merged over the built
	// payload; its keys win, and nested objects are merged key by key.
	EventFile string
	// PRTitle, PRNumber and Labels describe the emulated pull request. The
	// title defaults to the head commit's subject and the number to 1.
	PRTitle  string
	PRNumber int
	Labels   []string
}

// Event is one emulated occurrence of a GitHub event.
type Event struct {
	// Name is the event name, such as "push".
	Name string
	// Ref and SHA become github.ref and github.sha.
	Ref, SHA string
	// BaseRef and HeadRef are the short branch names of a pull request;
	// they become github.base_ref and github.head_ref for pull_request and
	// pull_request_target. Empty for events without a pull request.
	BaseRef, HeadRef string
	// HeadSHA and BaseSHA are the commits of a pull request's head and base
	// branches (github.event.pull_request.head.sha and base.sha).
	HeadSHA, BaseSHA string
	// Action is the activity type, e.g. "opened" for pull_request,
	// "published" for release; empty for events without activity types.
	Action string
	// ChangedFiles are the files the event changes, repository-relative and
	// slash-separated, sorted; only computed for push, pull_request and
	// pull_request_target (see the package documentation for how).
	ChangedFiles []string
	// ChangedFilesKnown is false when they could not be computed. Path
	// filters then let the workflow run, as GitHub does when it cannot
	// produce a diff ("the workflow will always run").
	ChangedFilesKnown bool
	// Payload is github.event.
	Payload *expr.Object
	// Inputs are the workflow_dispatch inputs as strings (github.event.inputs).
	Inputs map[string]string
	// HeadCommitMessage is the message of the head commit, which GitHub
	// searches for skip instructions; see [SkipCI].
	HeadCommitMessage string
	// Warnings are approximations the CLI should mention.
	Warnings []string

	deletedRef string // the ref a delete event removes
}

// refSource says where an event's GITHUB_REF comes from (docs:
// events-that-trigger-workflows, the GITHUB_REF column of each event).
type refSource int

const (
	// refDefaultBranch: "Default branch", with "Last commit on default
	// branch" as GITHUB_SHA.
	refDefaultBranch refSource = iota
	// refGiven: the ref pushed, created, dispatched or deployed.
	refGiven
	// refPullMerge: "PR merge branch refs/pull/PULL_REQUEST_NUMBER/merge".
	refPullMerge
	// refReleaseTag: "Tag ref of release refs/tags/<tag_name>".
	refReleaseTag
)

// eventSpec describes one event that can trigger a workflow.
type eventSpec struct {
	// types are the activity types; hasTypes is true for events that have
	// them (repository_dispatch has them, but they are user-defined, so
	// types is nil).
	types    []string
	hasTypes bool
	// defaultTypes trigger when `types:` is omitted; nil means all.
	defaultTypes []string
	// action is the activity type of a local run when --action is not given.
	action string
	ref    refSource
}

// typed builds the spec of an event with activity types; the first one is
// the default action.
func typed(ref refSource, types ...string) eventSpec {
	return eventSpec{types: types, hasTypes: true, action: types[0], ref: ref}
}

var pullRequestTypes = []string{
	"opened", "assigned", "unassigned", "labeled", "unlabeled", "edited", "closed", "reopened",
	"synchronize", "converted_to_draft", "locked", "unlocked", "enqueued", "dequeued", "milestoned",
	"demilestoned", "ready_for_review", "review_requested", "review_request_removed",
	"auto_merge_enabled", "auto_merge_disabled",
}

// events lists the events of docs: events-that-trigger-workflows with their
// activity types (the same table as actionlint's all_webhooks.go).
var events = map[string]eventSpec{
	"branch_protection_rule":      typed(refDefaultBranch, "created", "edited", "deleted"),
	"check_run":                   typed(refDefaultBranch, "created", "rerequested", "completed", "requested_action"),
	"check_suite":                 typed(refDefaultBranch, "completed"),
	"create":                      {ref: refGiven},
	"delete":                      {ref: refDefaultBranch},
	"deployment":                  {ref: refGiven},
	"deployment_status":           {ref: refGiven},
	"discussion":                  typed(refDefaultBranch, "created", "edited", "deleted", "transferred", "pinned", "unpinned", "labeled", "unlabeled", "locked", "unlocked", "category_changed", "answered", "unanswered"),
	"discussion_comment":          typed(refDefaultBranch, "created", "edited", "deleted"),
	"fork":                        {ref: refDefaultBranch},
	"gollum":                      {ref: refDefaultBranch},
	"image_version":               {ref: refDefaultBranch},
	"issue_comment":               typed(refDefaultBranch, "created", "edited", "deleted"),
	"issues":                      typed(refDefaultBranch, "opened", "edited", "deleted", "transferred", "pinned", "unpinned", "closed", "reopened", "assigned", "unassigned", "labeled", "unlabeled", "locked", "unlocked", "milestoned", "demilestoned", "typed", "untyped"),
	"label":                       typed(refDefaultBranch, "created", "edited", "deleted"),
	"merge_group":                 typed(refGiven, "checks_requested"),
	"milestone":                   typed(refDefaultBranch, "created", "closed", "opened", "edited", "deleted"),
	"page_build":                  {ref: refDefaultBranch},
	"public":                      {ref: refDefaultBranch},
	"pull_request":                {types: pullRequestTypes, hasTypes: true, defaultTypes: defaultPullRequestTypes, action: "opened", ref: refPullMerge},
	"pull_request_review":         typed(refPullMerge, "submitted", "edited", "dismissed"),
	"pull_request_review_comment": typed(refPullMerge, "created", "edited", "deleted"),
	// On github.com pull_request_target runs on the default branch ("Last
	// commit on default branch | Default branch"; before GHES 3.20 it was
	// the base branch).
	"pull_request_target": {types: pullRequestTypes, hasTypes: true, defaultTypes: defaultPullRequestTypes, action: "opened", ref: refDefaultBranch},
	"push":                {ref: refGiven},
	"registry_package":    typed(refGiven, "published", "updated"),
	"release":             typed(refReleaseTag, "published", "unpublished", "created", "edited", "deleted", "prereleased", "released"),
	"repository_dispatch": {hasTypes: true, ref: refDefaultBranch},
	"schedule":            {ref: refDefaultBranch},
	"status":              {ref: refDefaultBranch},
	"watch":               typed(refDefaultBranch, "started"),
	"workflow_call":       {ref: refGiven},
	"workflow_dispatch":   {ref: refGiven},
	"workflow_run":        typed(refDefaultBranch, "completed", "requested", "in_progress"),
}

// EventNames returns the names of all events that can trigger a workflow,
// sorted.
func EventNames() []string {
	return slices.Sorted(maps.Keys(events))
}

// isPullRequest reports whether the event sets github.head_ref and
// github.base_ref.
func isPullRequest(name string) bool {
	return name == "pull_request" || name == "pull_request_target"
}

// NewEvent builds the event o describes for the repository g. It fails for
// an unknown event name or activity type, a malformed --ref, a release
// without a tag, inputs for an event other than workflow_dispatch, and an
// unreadable or malformed event file.
func NewEvent(ctx context.Context, g *Git, o Options) (*Event, error) {
	name := cmp.Or(o.Event, "push")
	spec, ok := events[name]
	if !ok {
		return nil, fmt.Errorf("unknown event %q. valid events are %s", name, strings.Join(EventNames(), ", "))
	}
	if name == "workflow_call" {
		return nil, fmt.Errorf("event %q cannot be triggered directly: it runs when another workflow calls this one. run the calling workflow's event instead", name)
	}
	if len(o.Inputs) > 0 && name != "workflow_dispatch" {
		return nil, fmt.Errorf("inputs are only used by workflow_dispatch, not by %q", name)
	}
	if g == nil {
		g = &Git{}
		g.fallback()
	}
	ev := &Event{Name: name, Inputs: maps.Clone(o.Inputs)}
	if ev.Inputs == nil {
		ev.Inputs = map[string]string{}
	}

	ev.Action = cmp.Or(o.Action, spec.action)
	if o.Action != "" && spec.types != nil && !slices.Contains(spec.types, o.Action) {
		return nil, fmt.Errorf("unknown activity type %q for %s. valid types are %s", o.Action, name, strings.Join(spec.types, ", "))
	}
	if o.Action != "" && !spec.hasTypes {
		return nil, fmt.Errorf("event %q has no activity types, so %q cannot be used as one", name, o.Action)
	}

	if err := ev.resolveRef(ctx, g, spec, o); err != nil {
		return nil, err
	}
	// The head commit is the one pushed, or the pull request's head.
	headCommit := g.HeadCommit
	if sha := cmp.Or(ev.HeadSHA, ev.SHA); sha != "" && sha != g.SHA && g.Available {
		if c, err := readCommit(ctx, g.Root, sha); err == nil {
			headCommit = c
		}
	}
	ev.HeadCommitMessage = headCommit.Message

	// The changed files and the payload each take a few git calls and do
	// not depend on each other: compute them at once.
	var changes sync.WaitGroup
	files, known, warnings := []string(nil), false, ev.Warnings
	changes.Go(func() {
		switch {
		case name == "push" && !strings.HasPrefix(ev.Ref, "refs/tags/"):
			files, known, warnings = pushChanges(ctx, g, ev.Ref, ev.SHA, warnings)
		case isPullRequest(name):
			files, known, warnings = pullRequestChanges(ctx, g, ev.BaseSHA, ev.HeadSHA, warnings)
		}
	})
	payload := buildPayload(ctx, g, ev, o, headCommit)
	changes.Wait()
	ev.ChangedFiles, ev.ChangedFilesKnown, ev.Warnings, ev.Payload = files, known, warnings, payload
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	if o.EventFile != "" {
		file, err := readEventFile(o.EventFile)
		if err != nil {
			return nil, err
		}
		mergeObjects(ev.Payload, file)
		ev.deriveFromPayload()
		ev.changesFromFile(ctx, g, file)
	}
	return ev, nil
}

// changesFromFile recomputes the changed files when the event file names
// the commits of a past event (a push's before/after, a pull request's
// base and head), so a CI run that already happened is reproduced with
// the files it saw rather than with the local work.
func (ev *Event) changesFromFile(ctx context.Context, g *Git, file *expr.Object) {
	if !g.Available {
		return
	}
	switch {
	case ev.Name == "push":
		before, _ := lookup(file, "before").(string)
		if before == "" || strings.Trim(before, "0") == "" || ev.SHA == "" {
			return
		}
		files, err := gitNames(ctx, g.Root, "diff", "--name-only", "-z", "--no-renames", before, ev.SHA, "--")
		if err != nil {
			ev.Warnings = append(ev.Warnings, fmt.Sprintf("the event file's before %s is not in the local repository (fetch it?); changed files are from the local state", before))
			return
		}
		ev.ChangedFiles, ev.ChangedFilesKnown = sortedUnique(files), true
	case isPullRequest(ev.Name):
		_, hasBase := lookup(file, "pull_request", "base", "sha").(string)
		_, hasHead := lookup(file, "pull_request", "head", "sha").(string)
		if !hasBase && !hasHead {
			return
		}
		mb, err := runGit(ctx, g.Root, "merge-base", ev.BaseSHA, ev.HeadSHA)
		if err != nil {
			ev.Warnings = append(ev.Warnings, "the event file's pull request commits are not in the local repository (fetch them?); changed files are from the local state")
			return
		}
		files, err := gitNames(ctx, g.Root, "diff", "--name-only", "-z", "--no-renames", mb, ev.HeadSHA, "--")
		if err == nil {
			ev.ChangedFiles, ev.ChangedFilesKnown = sortedUnique(files), true
		}
	}
}

// resolveRef sets Ref, SHA and, for pull requests, the head and base.
func (ev *Event) resolveRef(ctx context.Context, g *Git, spec eventSpec, o Options) error {
	given := ""
	if o.Ref != "" {
		ref, err := qualifyRef(ctx, g, o.Ref)
		if err != nil {
			return err
		}
		given = ref
	}
	pr := carriesPullRequest(ev.Name)
	if pr {
		// --ref names the head branch of the emulated pull request.
		head := cmp.Or(given, g.Ref)
		if !strings.HasPrefix(head, "refs/heads/") {
			return fmt.Errorf("the head of a pull request must be a branch, but it is %q. pass --ref <branch>", head)
		}
		ev.HeadRef = strings.TrimPrefix(head, "refs/heads/")
		ev.HeadSHA = commitOf(ctx, g, head)
		base := strings.TrimPrefix(cmp.Or(o.Base, g.DefaultBranch), "refs/heads/")
		if err := checkRefFormat(base); err != nil {
			return fmt.Errorf("bad --base %q: %w", o.Base, err)
		}
		ev.BaseRef = base
		ev.BaseSHA = baseCommit(ctx, g, base)
		if g.Available && g.SHA != "" && ev.BaseSHA == "" {
			ev.Warnings = append(ev.Warnings, fmt.Sprintf("base branch %q is not in the local repository; changed files are unknown", base))
		}
	}
	switch spec.ref {
	case refGiven:
		ev.Ref = cmp.Or(given, g.Ref)
		ev.SHA = commitOf(ctx, g, ev.Ref)
	case refDefaultBranch:
		ev.Ref = "refs/heads/" + g.DefaultBranch
		switch {
		case ev.Name == "delete":
			// --ref is the deleted ref, which only the payload names.
			ev.deletedRef = cmp.Or(given, g.Ref)
		case !pr && given != "":
			ev.Ref = given
		}
		ev.SHA = commitOf(ctx, g, ev.Ref)
	case refReleaseTag:
		if given != "" && !strings.HasPrefix(given, "refs/tags/") {
			return fmt.Errorf("release needs a tag, but --ref %q is a branch. pass --ref refs/tags/<name>", o.Ref)
		}
		if given == "" {
			tag, err := releaseTag(ctx, g)
			if err != nil {
				return err
			}
			given = "refs/tags/" + tag
		}
		ev.Ref = given
		ev.SHA = commitOf(ctx, g, ev.Ref)
	case refPullMerge:
		number := cmp.Or(o.PRNumber, 1)
		if number < 1 {
			return fmt.Errorf("pull request number must be positive, got %d", o.PRNumber)
		}
		ev.Ref = fmt.Sprintf("refs/pull/%d/merge", number)
		// GitHub's GITHUB_SHA here is the merge commit of head into base;
		// the local run has no such commit, so it uses the head commit.
		ev.SHA = ev.HeadSHA
	}
	return nil
}

// carriesPullRequest reports whether the event's payload describes a pull
// request with a head and a base.
func carriesPullRequest(name string) bool {
	return isPullRequest(name) || name == "pull_request_review" || name == "pull_request_review_comment"
}

// qualifyRef turns --ref into a full ref name.
func qualifyRef(ctx context.Context, g *Git, ref string) (string, error) {
	if ref == "HEAD" {
		return g.Ref, nil
	}
	if strings.HasPrefix(ref, "refs/") {
		if !strings.HasPrefix(ref, "refs/heads/") && !strings.HasPrefix(ref, "refs/tags/") {
			return "", fmt.Errorf("bad --ref %q: it must be a branch (refs/heads/...) or a tag (refs/tags/...)", ref)
		}
		if err := checkRefFormat(shortRef(ref)); err != nil {
			return "", fmt.Errorf("bad --ref %q: %w", ref, err)
		}
		return ref, nil
	}
	if err := checkRefFormat(ref); err != nil {
		return "", fmt.Errorf("bad --ref %q: %w", ref, err)
	}
	if g.Available {
		switch {
		case g.refExists(ctx, "refs/heads/"+ref):
			return "refs/heads/" + ref, nil
		case g.refExists(ctx, "refs/tags/"+ref):
			return "refs/tags/" + ref, nil
		}
	}
	// A remote branch, or a branch that does not exist yet: a push would
	// create it.
	return "refs/heads/" + ref, nil
}

// checkRefFormat applies the rules of `git check-ref-format` to a branch or
// tag name (without refs/heads/ or refs/tags/).
func checkRefFormat(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("ref name is empty")
	case name == "@":
		return fmt.Errorf("ref name cannot be %q", name)
	case strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/"):
		return fmt.Errorf("ref name cannot start or end with /")
	case strings.HasSuffix(name, "."):
		return fmt.Errorf("ref name cannot end with a dot")
	case strings.Contains(name, ".."), strings.Contains(name, "//"), strings.Contains(name, "@{"):
		return fmt.Errorf("ref name cannot contain .., // or @{")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(" ~^:?*[\\", r) {
			return fmt.Errorf("ref name cannot contain %q", r)
		}
	}
	for _, comp := range strings.Split(name, "/") {
		if strings.HasPrefix(comp, ".") || strings.HasSuffix(comp, ".lock") {
			return fmt.Errorf("a ref name component cannot start with . or end with .lock")
		}
	}
	return nil
}

// commitOf resolves a full ref to its commit: the ref itself, else the
// remote's branch of that name, else HEAD (the commit that a push to a new
// branch would send).
func commitOf(ctx context.Context, g *Git, ref string) string {
	if !g.Available {
		return g.SHA
	}
	if sha, err := g.revParse(ctx, ref); err == nil {
		return sha
	}
	if b, ok := strings.CutPrefix(ref, "refs/heads/"); ok && g.Remote != "" {
		if sha, err := g.revParse(ctx, "refs/remotes/"+g.Remote+"/"+b); err == nil {
			return sha
		}
	}
	return g.SHA
}

// baseCommit resolves a pull request's base branch, preferring the remote's
// copy because the pull request targets the branch on GitHub.
func baseCommit(ctx context.Context, g *Git, base string) string {
	if !g.Available {
		return ""
	}
	if g.Remote != "" {
		if sha, err := g.revParse(ctx, "refs/remotes/"+g.Remote+"/"+base); err == nil {
			return sha
		}
	}
	sha, _ := g.revParse(ctx, "refs/heads/"+base)
	return sha
}

// releaseTag picks the tag of an emulated release: a tag at HEAD, else the
// nearest tag before HEAD.
func releaseTag(ctx context.Context, g *Git) (string, error) {
	if strings.HasPrefix(g.Ref, "refs/tags/") {
		return strings.TrimPrefix(g.Ref, "refs/tags/"), nil
	}
	if g.Available && g.SHA != "" {
		if tag := g.firstRefAt(ctx, g.SHA, "refs/tags", "", nil); tag != "" {
			return strings.TrimPrefix(tag, "refs/tags/"), nil
		}
		if tag, err := runGit(ctx, g.Root, "describe", "--tags", "--abbrev=0", "HEAD"); err == nil && tag != "" {
			return tag, nil
		}
	}
	return "", fmt.Errorf("release needs a tag and the repository has none at or before HEAD. pass --ref refs/tags/<name>")
}

// deriveFromPayload updates the fields that filters and the github context
// read after --event-file changed the payload, so the file can, for
// example, retarget a pull request to another base branch.
func (ev *Event) deriveFromPayload() {
	p := ev.Payload
	if a, ok := lookup(p, "action").(string); ok {
		ev.Action = a
	}
	switch {
	case ev.Name == "push":
		if ref, ok := lookup(p, "ref").(string); ok && ref != "" {
			ev.Ref = ref
		}
		if sha, ok := lookup(p, "after").(string); ok && sha != "" && strings.Trim(sha, "0") != "" {
			ev.SHA = sha
		}
		if msg, ok := lookup(p, "head_commit", "message").(string); ok {
			ev.HeadCommitMessage = msg
		}
	case carriesPullRequest(ev.Name):
		if sha, ok := lookup(p, "pull_request", "head", "sha").(string); ok && sha != "" {
			ev.HeadSHA = sha
		}
		if sha, ok := lookup(p, "pull_request", "base", "sha").(string); ok && sha != "" {
			ev.BaseSHA = sha
		}
		if ref, ok := lookup(p, "pull_request", "base", "ref").(string); ok {
			ev.BaseRef = ref
		}
		if ref, ok := lookup(p, "pull_request", "head", "ref").(string); ok {
			ev.HeadRef = ref
		}
		if ev.Name != "pull_request_target" {
			if n, ok := lookup(p, "pull_request", "number").(float64); ok && n >= 1 {
				ev.Ref = "refs/pull/" + strconv.FormatFloat(n, 'f', -1, 64) + "/merge"
			}
			ev.SHA = ev.HeadSHA
		}
	case ev.Name == "release":
		if tag, ok := lookup(p, "release", "tag_name").(string); ok && tag != "" {
			ev.Ref = "refs/tags/" + tag
		}
	case ev.Name == "workflow_dispatch":
		if ref, ok := lookup(p, "ref").(string); ok && ref != "" {
			ev.Ref = ref
		}
		if in, ok := lookup(p, "inputs").(*expr.Object); ok {
			in.Range(func(k string, v expr.Value) bool {
				ev.Inputs[k] = scalarString(v)
				return true
			})
		}
	}
}

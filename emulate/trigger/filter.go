package trigger

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Filter is one event's configuration under `on:`. A nil slice means the key
// is absent; an empty non-nil slice means the key is present with no entries.
// The difference matters: an absent `branches` lets every branch through,
// while a present but empty one is still a branch filter, so it matches no
// branch (and, for push, still keeps tag pushes out).
type Filter struct {
	// Event is the event name, such as "push", "pull_request", "schedule".
	Event string
	// Types is `types:`, the activity types that trigger the workflow.
	Types []string
	// Branches, BranchesIgnore, Tags and TagsIgnore are the ref filters of
	// push (branches and tags), pull_request/pull_request_target (branches,
	// matched against the base branch) and workflow_run (branches, matched
	// against the triggering run's head branch).
	Branches, BranchesIgnore, Tags, TagsIgnore []string
	// Paths and PathsIgnore are the path filters of push, pull_request and
	// pull_request_target.
	Paths, PathsIgnore []string
	// Crons are the `cron:` entries of a schedule trigger.
	Crons []string
	// Workflows is `workflows:` of a workflow_run trigger: the names of the
	// workflows whose runs trigger this one.
	Workflows []string
	// Inputs are the workflow_dispatch inputs by name.
	Inputs map[string]DispatchInput
}

// DispatchInput is one `on.workflow_dispatch.inputs.<id>` entry.
type DispatchInput struct {
	// Type is boolean, choice, number, environment or string (the default).
	Type string
	// Default is the default value as written; HasDefault tells an absent
	// default from an empty one.
	Default    string
	HasDefault bool
	Required   bool
	// Options are the choices of a choice input.
	Options     []string
	Description string
}

// defaultPullRequestTypes are the activity types that trigger pull_request and
// pull_request_target workflows without `types:` (docs: events-that-trigger-
// workflows#pull_request "By default, a workflow only runs when a
// pull_request event's activity type is opened, synchronize, or reopened").
// Every other event runs for all its activity types by default.
var defaultPullRequestTypes = []string{"opened", "synchronize", "reopened"}

// maxPathFilterFiles is how many changed files GitHub looks at (docs:
// workflow-syntax "Diffs are limited to 300 files. If there are files changed
// that aren't matched in the first 300 files returned by the filter, the
// workflow will not run").
const maxPathFilterFiles = 300

// Match reports whether a workflow whose `on:` has these filters is triggered
// by ev, and if not, why: a short reason naming the filter, such as
// `branch "feature/x" does not match branches ["main","develop"]`.
//
// A pattern GitHub would reject makes the workflow not run, with the pattern
// error as the reason. Match does not look at commit-message skip
// instructions; see [SkipCI].
func Match(filters []Filter, ev *Event) (bool, string) {
	var f *Filter
	for i := range filters {
		if filters[i].Event == ev.Name {
			f = &filters[i]
			break
		}
	}
	if f == nil {
		names := make([]string, 0, len(filters))
		for _, x := range filters {
			names = append(names, x.Event)
		}
		return false, fmt.Sprintf("workflow is not triggered by %q (on: %s)", ev.Name, quoteList(names))
	}
	if ev.Name == "workflow_call" {
		return false, "workflow_call runs only when another workflow calls this one"
	}
	if reason := matchTypes(f, ev); reason != "" {
		return false, reason
	}
	if reason := matchWorkflows(f, ev); reason != "" {
		return false, reason
	}
	if reason, err := matchRefs(f, ev); err != nil {
		return false, err.Error()
	} else if reason != "" {
		return false, reason
	}
	if reason, err := matchPaths(f, ev); err != nil {
		return false, err.Error()
	} else if reason != "" {
		return false, reason
	}
	if reason := matchSchedule(f, ev); reason != "" {
		return false, reason
	}
	return true, ""
}

// matchTypes checks `types:` against the event's activity type.
func matchTypes(f *Filter, ev *Event) string {
	spec, known := events[ev.Name]
	if !known || (!spec.hasTypes && f.Types == nil) {
		return ""
	}
	if f.Types != nil {
		if slices.Contains(f.Types, ev.Action) {
			return ""
		}
		if ev.Action == "" {
			return fmt.Sprintf("the event has no activity type, so it does not match types %s (pass --action)", quoteList(f.Types))
		}
		return fmt.Sprintf("activity type %q does not match types %s", ev.Action, quoteList(f.Types))
	}
	if spec.defaultTypes == nil || slices.Contains(spec.defaultTypes, ev.Action) {
		return ""
	}
	return fmt.Sprintf("activity type %q is not one of the default types %s of %s (set types: to run for it)",
		ev.Action, quoteList(spec.defaultTypes), ev.Name)
}

// matchWorkflows checks workflow_run's `workflows:` against the name of the
// workflow whose run triggered this one (github.event.workflow_run.name).
func matchWorkflows(f *Filter, ev *Event) string {
	if ev.Name != "workflow_run" || f.Workflows == nil {
		return ""
	}
	name := payloadString(ev.Payload, "workflow_run", "name")
	if slices.Contains(f.Workflows, name) {
		return ""
	}
	return fmt.Sprintf("triggering workflow %q does not match workflows %s", name, quoteList(f.Workflows))
}

// matchRefs applies branches/tags and their -ignore twins (docs:
// workflow-syntax#onpushbranchestagsbranches-ignoretags-ignore).
func matchRefs(f *Filter, ev *Event) (string, error) {
	switch ev.Name {
	case "push":
		branchFilters := f.Branches != nil || f.BranchesIgnore != nil
		tagFilters := f.Tags != nil || f.TagsIgnore != nil
		switch {
		case strings.HasPrefix(ev.Ref, "refs/heads/"):
			name := strings.TrimPrefix(ev.Ref, "refs/heads/")
			if !branchFilters && tagFilters {
				// "If you define only tags/tags-ignore or only
				// branches/branches-ignore, the workflow won't run for events
				// affecting the undefined Git ref."
				return fmt.Sprintf("branch %q is not pushed to: only tag filters are set", name), nil
			}
			return matchName("branch", name, "branches", f.Branches, "branches-ignore", f.BranchesIgnore)
		case strings.HasPrefix(ev.Ref, "refs/tags/"):
			name := strings.TrimPrefix(ev.Ref, "refs/tags/")
			if !tagFilters && branchFilters {
				return fmt.Sprintf("tag %q is not pushed to: only branch filters are set", name), nil
			}
			return matchName("tag", name, "tags", f.Tags, "tags-ignore", f.TagsIgnore)
		default:
			if branchFilters || tagFilters {
				return fmt.Sprintf("ref %q is neither a branch nor a tag", ev.Ref), nil
			}
		}
	case "pull_request", "pull_request_target":
		// "The patterns defined in branches are evaluated against the Git
		// ref's name" of the base branch the pull request targets.
		return matchName("base branch", ev.BaseRef, "branches", f.Branches, "branches-ignore", f.BranchesIgnore)
	case "workflow_run":
		head := payloadString(ev.Payload, "workflow_run", "head_branch")
		return matchName("triggering run's branch", head, "branches", f.Branches, "branches-ignore", f.BranchesIgnore)
	}
	return "", nil
}

// matchName applies an include list or an ignore list to one ref name.
func matchName(what, name, incKey string, inc []string, ignKey string, ign []string) (string, error) {
	if inc != nil {
		ps, err := CompilePatterns(inc)
		if err != nil {
			return "", err
		}
		if !MatchList(ps, name) {
			return fmt.Sprintf("%s %q does not match %s %s", what, name, incKey, quoteList(inc)), nil
		}
	}
	if ign != nil {
		ps, err := CompilePatterns(ign)
		if err != nil {
			return "", err
		}
		if MatchList(ps, name) {
			return fmt.Sprintf("%s %q matches %s %s", what, name, ignKey, quoteList(ign)), nil
		}
	}
	return "", nil
}

// matchPaths applies paths/paths-ignore (docs: workflow-syntax
// #onpushpull_requestpull_request_targetpathspaths-ignore).
func matchPaths(f *Filter, ev *Event) (string, error) {
	if f.Paths == nil && f.PathsIgnore == nil {
		return "", nil
	}
	switch ev.Name {
	case "push":
		if strings.HasPrefix(ev.Ref, "refs/tags/") {
			return "", nil // "Path filters are not evaluated for pushes of tags."
		}
	case "pull_request", "pull_request_target":
	default:
		return "", nil
	}
	if !ev.ChangedFilesKnown {
		// "If ... GitHub does not generate the diff due to a timeout, the
		// workflow will always run."
		return "", nil
	}
	files := ev.ChangedFiles
	if len(files) == 0 {
		// "If there are no files changed, the workflow will not run." Here
		// that is a clean tree with nothing unpushed, as on a fresh clone.
		filter := "paths " + quoteList(f.Paths)
		if f.Paths == nil {
			filter = "paths-ignore " + quoteList(f.PathsIgnore)
		}
		return fmt.Sprintf("no files changed (nothing unpushed and a clean working tree), so its %s filter does not match, as on GitHub; "+
			"to rehearse a past push give its before and after commits with --event-file, or change a file the filter matches", filter), nil
	}
	if len(files) > maxPathFilterFiles {
		files = files[:maxPathFilterFiles]
	}
	if f.Paths != nil {
		ps, err := CompilePatterns(f.Paths)
		if err != nil {
			return "", err
		}
		// "If at least one path matches a pattern in the paths filter, the
		// workflow runs."
		if !slices.ContainsFunc(files, func(file string) bool { return MatchList(ps, file) }) {
			return fmt.Sprintf("no changed file (%s) matches paths %s", fileSummary(files), quoteList(f.Paths)), nil
		}
	}
	if f.PathsIgnore != nil {
		ps, err := CompilePatterns(f.PathsIgnore)
		if err != nil {
			return "", err
		}
		// "When all the path names match patterns in paths-ignore, the
		// workflow will not run."
		if !slices.ContainsFunc(files, func(file string) bool { return !MatchList(ps, file) }) {
			return fmt.Sprintf("every changed file (%s) matches paths-ignore %s", fileSummary(files), quoteList(f.PathsIgnore)), nil
		}
	}
	return "", nil
}

// matchSchedule accepts a schedule event for any workflow with a cron entry,
// or, when the payload names the cron that fired (github.event.schedule),
// only for the workflow that has that entry.
func matchSchedule(f *Filter, ev *Event) string {
	if ev.Name != "schedule" {
		return ""
	}
	if len(f.Crons) == 0 {
		return "schedule has no cron entries"
	}
	cron := payloadString(ev.Payload, "schedule")
	if cron == "" || slices.Contains(f.Crons, cron) {
		return ""
	}
	return fmt.Sprintf("cron %q is not one of %s", cron, quoteList(f.Crons))
}

// fileSummary names up to three files and counts the rest.
func fileSummary(files []string) string {
	const shown = 3
	if len(files) <= shown {
		return strings.Join(files, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(files[:shown], ", "), len(files)-shown)
}

// quoteList formats a list the way the workflow file would show it in flow
// style, e.g. ["main","develop"].
func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

package trigger

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// RunInfo is what the runner, not the event, decides about a job's run.
type RunInfo struct {
	// RunID, RunNumber and RunAttempt number the run (github.run_id,
	// run_number, run_attempt). RunAttempt defaults to 1.
	RunID, RunNumber, RunAttempt int64
	// Workflow is the workflow's name, or its file path when it has none;
	// WorkflowFile is the file's path in the repository, like
	// .github/workflows/ci.yml (for github.workflow_ref).
	Workflow, WorkflowFile string
	// Job is the job id (github.job).
	Job string
	// Workspace is the job's working directory (github.workspace).
	Workspace string
	// Token is github.token; empty unless the user gives one, since the
	// local run has no GitHub App installation to mint it.
	Token string
	// RetentionDays is github.retention_days; 90, GitHub's default, when 0.
	RetentionDays int
	// EventPath is the file holding the event payload (github.event_path).
	EventPath string
	// The files of workflow commands for the current step (github.env,
	// github.path, github.output, github.state, github.step_summary). The
	// runner makes new ones for each step, so a step runner sets them per
	// step; they are "" until then.
	EnvFile, PathFile, OutputFile, StateFile, StepSummaryFile string
	// Action, ActionPath, ActionRef, ActionRepository and ActionStatus
	// describe the step running now (github.action and friends); a step
	// runner sets them per step.
	Action, ActionPath, ActionRef, ActionRepository, ActionStatus string
}

const (
	serverURL  = "https://github.com"
	apiRootURL = "https://api.github.com"
	graphqlURL = "https://api.github.com/graphql"
)

// Context builds the `github` context of a job with every property the docs
// list (docs: contexts#github-context), in the order of the docs' example
// dump. Values are strings as on GitHub, even the numbers, except
// ref_protected (a Boolean) and event (an object).
//
// Properties only GitHub knows are empty strings: actor_id,
// repository_id, repository_owner_id. ref_protected is false: a local
// repository has no branch protection.
func Context(g *Git, ev *Event, r RunInfo) *expr.Object {
	c := expr.NewObject()
	set := c.Set
	set("token", r.Token)
	set("job", r.Job)
	set("ref", ev.Ref)
	set("sha", ev.SHA)
	set("repository", g.Repository)
	set("repository_owner", g.Owner)
	set("repository_owner_id", "")
	set("repositoryUrl", "git://github.com/"+g.Repository+".git")
	set("run_id", strconv.FormatInt(r.RunID, 10))
	set("run_number", strconv.FormatInt(r.RunNumber, 10))
	set("retention_days", strconv.Itoa(cmp.Or(r.RetentionDays, 90)))
	set("run_attempt", strconv.FormatInt(cmp.Or(r.RunAttempt, 1), 10))
	set("repository_id", "")
	set("actor_id", "")
	set("actor", g.Actor)
	set("triggering_actor", g.Actor)
	set("workflow", r.Workflow)
	headRef, baseRef := "", ""
	if isPullRequest(ev.Name) {
		// "only available when the event that triggers a workflow run is
		// either pull_request or pull_request_target"
		headRef, baseRef = ev.HeadRef, ev.BaseRef
	}
	set("head_ref", headRef)
	set("base_ref", baseRef)
	set("event_name", ev.Name)
	payload := ev.Payload
	if payload == nil {
		payload = expr.NewObject()
	}
	set("event", payload)
	set("server_url", serverURL)
	set("api_url", apiRootURL)
	set("graphql_url", graphqlURL)
	set("ref_name", shortRef(ev.Ref))
	set("ref_protected", false)
	set("ref_type", refType(ev.Ref))
	set("secret_source", "Actions")
	workflowRef := ""
	if r.WorkflowFile != "" {
		workflowRef = g.Repository + "/" + strings.TrimPrefix(r.WorkflowFile, "./") + "@" + ev.Ref
	}
	set("workflow_ref", workflowRef)
	// The workflow file is read from the commit that triggered the run.
	set("workflow_sha", ev.SHA)
	set("workspace", r.Workspace)
	set("action", r.Action)
	set("event_path", r.EventPath)
	set("action_repository", r.ActionRepository)
	set("action_ref", r.ActionRef)
	set("action_path", r.ActionPath)
	set("action_status", r.ActionStatus)
	set("path", r.PathFile)
	set("env", r.EnvFile)
	set("output", r.OutputFile)
	set("state", r.StateFile)
	set("step_summary", r.StepSummaryFile)
	return c
}

// refType is github.ref_type: "branch" or "tag", "" without a ref. Pull
// request merge refs count as branches, as on GitHub.
func refType(ref string) string {
	switch {
	case strings.HasPrefix(ref, "refs/tags/"):
		return "tag"
	case ref == "":
		return ""
	}
	return "branch"
}

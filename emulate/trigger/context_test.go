package trigger

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

var contextGit = &Git{
	Repository: "octo-org/octo-repo", Owner: "octo-org", Actor: "monalisa", DefaultBranch: "main", Available: true,
}

// TestContextGolden compares a whole github context with
// testdata/context_push.json, the key order of the docs' example dump.
func TestContextGolden(t *testing.T) {
	t.Parallel()
	ev := &Event{Name: "push", Ref: "refs/heads/my_branch", SHA: "c27d339ee6075c1f744c5d4b200f7901aad2c369",
		Payload: obj("ref", "refs/heads/my_branch")}
	run := RunInfo{RunID: 1536140711, RunNumber: 314, Workflow: "Context testing", WorkflowFile: ".github/workflows/ctx.yml",
		Job: "dump_contexts_to_log", Workspace: "/home/runner/work/hello-world/hello-world", Token: "***",
		EventPath: "/home/runner/work/_temp/_github_workflow/event.json", Action: "__run",
		EnvFile: "/tmp/set_env", PathFile: "/tmp/add_path", OutputFile: "/tmp/set_output", StateFile: "/tmp/save_state",
		StepSummaryFile: "/tmp/step_summary"}
	golden(t, "context_push.json", []byte(mustJSON(t, Context(contextGit, ev, run))))
}

func TestContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		event *Event
		run   RunInfo
		want  map[string]any
	}{
		{"a branch push", &Event{Name: "push", Ref: "refs/heads/feature/x", SHA: "abc"}, RunInfo{},
			map[string]any{"ref": "refs/heads/feature/x", "ref_name": "feature/x", "ref_type": "branch", "sha": "abc",
				"head_ref": "", "base_ref": "", "event_name": "push", "workflow_sha": "abc"}},
		{"a tag push", &Event{Name: "push", Ref: "refs/tags/v1.2", SHA: "abc"}, RunInfo{},
			map[string]any{"ref_name": "v1.2", "ref_type": "tag"}},
		{"a pull request: merge ref, head and base", &Event{Name: "pull_request", Ref: "refs/pull/7/merge", HeadRef: "feature", BaseRef: "main"}, RunInfo{},
			map[string]any{"ref_name": "7/merge", "ref_type": "branch", "head_ref": "feature", "base_ref": "main"}},
		{"pull_request_target sets head_ref and base_ref too", &Event{Name: "pull_request_target", Ref: "refs/heads/main", HeadRef: "f", BaseRef: "main"}, RunInfo{},
			map[string]any{"ref_name": "main", "head_ref": "f", "base_ref": "main"}},
		{"head_ref is only for pull_request and pull_request_target", &Event{Name: "pull_request_review", Ref: "refs/pull/1/merge", HeadRef: "f", BaseRef: "main"}, RunInfo{},
			map[string]any{"head_ref": "", "base_ref": ""}},
		{"an event without a ref", &Event{Name: "push"}, RunInfo{}, map[string]any{"ref": "", "ref_name": "", "ref_type": ""}},
		{"defaults: attempt 1, 90 retention days, github.com URLs, no token", &Event{Name: "push"}, RunInfo{RunID: 5, RunNumber: 2},
			map[string]any{"run_id": "5", "run_number": "2", "run_attempt": "1", "retention_days": "90", "token": "",
				"server_url": "https://github.com", "api_url": "https://api.github.com", "graphql_url": "https://api.github.com/graphql",
				"ref_protected": false, "secret_source": "Actions", "workflow_ref": "", "actor_id": "", "repository_id": "", "repository_owner_id": ""}},
		{"run values", &Event{Name: "workflow_dispatch", Ref: "refs/heads/dev"},
			RunInfo{RunAttempt: 3, RetentionDays: 7, Workflow: "CI", WorkflowFile: "./.github/workflows/ci.yml", Job: "build", Workspace: "/w", Token: "t"},
			map[string]any{"run_attempt": "3", "retention_days": "7", "workflow": "CI", "job": "build", "workspace": "/w", "token": "t",
				"workflow_ref": "octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/dev"}},
		{"repository and actor", &Event{Name: "push"}, RunInfo{},
			map[string]any{"repository": "octo-org/octo-repo", "repository_owner": "octo-org", "repositoryUrl": "git://github.com/octo-org/octo-repo.git",
				"actor": "monalisa", "triggering_actor": "monalisa"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			c := Context(contextGit, tc.event, tc.run)
			got := map[string]any{}
			for k := range tc.want {
				v, ok := c.Get(k)
				if !ok {
					t.Errorf("github.%s is missing", k)
				}
				got[k] = v
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Context mismatch (-want +got):\n%s", diff)
			}
			if ev, _ := c.Get("event"); ev == nil {
				t.Error("github.event is nil, want an empty object at least")
			}
		})
	}
}

// TestContextKeys checks that every property the docs list (docs:
// contexts#github-context) is present; the runner adds output, state and
// step_summary (actions/runner: src/Runner.Worker/GitHubContext.cs).
func TestContextKeys(t *testing.T) {
	t.Parallel()
	c := Context(contextGit, &Event{Name: "push"}, RunInfo{})
	documented := []string{"action", "action_path", "action_ref", "action_repository", "action_status", "actor", "actor_id",
		"api_url", "base_ref", "env", "event", "event_name", "event_path", "graphql_url", "head_ref", "job", "path", "ref",
		"ref_name", "ref_protected", "ref_type", "repository", "repository_id", "repository_owner", "repository_owner_id",
		"repositoryUrl", "retention_days", "run_id", "run_number", "run_attempt", "secret_source", "server_url", "sha",
		"token", "triggering_actor", "workflow", "workflow_ref", "workflow_sha", "workspace", "output", "state", "step_summary"}
	for _, k := range documented {
		if _, ok := c.Get(k); !ok {
			t.Errorf("github.%s is missing", k)
		}
	}
	if c.Len() != len(documented) {
		t.Errorf("github has %d keys, want %d: %v", c.Len(), len(documented), c.Keys())
	}
}

package trigger

import (
	"fmt"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

func push(ref string, files ...string) *Event {
	return &Event{Name: "push", Ref: ref, ChangedFiles: files, ChangedFilesKnown: true}
}

func pullRequest(action, base string, files ...string) *Event {
	return &Event{Name: "pull_request", Ref: "refs/pull/1/merge", Action: action, BaseRef: base, HeadRef: "feature",
		ChangedFiles: files, ChangedFilesKnown: true}
}

func withPayload(ev *Event, kv ...any) *Event {
	p := expr.NewObject()
	for i := 0; i < len(kv); i += 2 {
		p.Set(kv[i].(string), kv[i+1])
	}
	ev.Payload = p
	return ev
}

func obj(kv ...any) *expr.Object {
	o := expr.NewObject()
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func TestMatch(t *testing.T) {
	t.Parallel()
	main := push("refs/heads/main", "src/app.go")
	tests := []struct {
		what    string
		filters []Filter
		event   *Event
		want    bool
		reason  string
	}{
		// Which events a workflow listens to.
		{"on: push runs on a push", []Filter{{Event: "push"}}, main, true, ""},
		{"on: [pull_request] ignores a push", []Filter{{Event: "pull_request"}}, main, false,
			`workflow is not triggered by "push" (on: ["pull_request"])`},
		{"on: [push, pull_request] runs on a push", []Filter{{Event: "push"}, {Event: "pull_request"}}, main, true, ""},
		{"workflow_call alone is never triggered by an event", []Filter{{Event: "workflow_call"}}, main, false,
			`workflow is not triggered by "push" (on: ["workflow_call"])`},

		// on.push.branches (docs: workflow-syntax#onpushbranchestagsbranches-ignoretags-ignore).
		{"branches: push to a listed branch", []Filter{{Event: "push", Branches: []string{"main", "releases/**"}}},
			push("refs/heads/releases/v1/x"), true, ""},
		{"branches: push to another branch", []Filter{{Event: "push", Branches: []string{"main", "develop"}}},
			push("refs/heads/feature/x"), false, `branch "feature/x" does not match branches ["main","develop"]`},
		{"branches: negation after a positive match excludes", []Filter{{Event: "push", Branches: []string{"releases/**", "!releases/**-alpha"}}},
			push("refs/heads/releases/beta/3-alpha"), false,
			`branch "releases/beta/3-alpha" does not match branches ["releases/**","!releases/**-alpha"]`},
		{"branches-ignore: push to an ignored branch", []Filter{{Event: "push", BranchesIgnore: []string{"mona/octocat", "releases/**-alpha"}}},
			push("refs/heads/releases/beta/3-alpha"), false,
			`branch "releases/beta/3-alpha" matches branches-ignore ["mona/octocat","releases/**-alpha"]`},
		{"branches-ignore: push to another branch", []Filter{{Event: "push", BranchesIgnore: []string{"mona/octocat"}}},
			main, true, ""},
		{"branches present but empty matches no branch", []Filter{{Event: "push", Branches: []string{}}},
			main, false, `branch "main" does not match branches []`},

		// on.push.tags.
		{"tags: push of a listed tag", []Filter{{Event: "push", Tags: []string{"v1.**"}}},
			push("refs/tags/v1.9.0"), true, ""},
		{"tags: push of another tag", []Filter{{Event: "push", Tags: []string{"v2"}}},
			push("refs/tags/v1"), false, `tag "v1" does not match tags ["v2"]`},
		{"tags-ignore: push of an ignored tag", []Filter{{Event: "push", TagsIgnore: []string{"v2", "v1.*"}}},
			push("refs/tags/v1.9"), false, `tag "v1.9" matches tags-ignore ["v2","v1.*"]`},
		{"tags-ignore: push of another tag", []Filter{{Event: "push", TagsIgnore: []string{"v2"}}},
			push("refs/tags/v3"), true, ""},

		// "If you define only tags/tags-ignore or only branches/branches-ignore,
		// the workflow won't run for events affecting the undefined Git ref."
		{"only branches: a tag push does not run", []Filter{{Event: "push", Branches: []string{"**"}}},
			push("refs/tags/v1"), false, `tag "v1" is not pushed to: only branch filters are set`},
		{"only branches-ignore: a tag push does not run", []Filter{{Event: "push", BranchesIgnore: []string{"x"}}},
			push("refs/tags/v1"), false, `tag "v1" is not pushed to: only branch filters are set`},
		{"only tags: a branch push does not run", []Filter{{Event: "push", Tags: []string{"**"}}},
			main, false, `branch "main" is not pushed to: only tag filters are set`},
		{"only tags-ignore: a branch push does not run", []Filter{{Event: "push", TagsIgnore: []string{"x"}}},
			main, false, `branch "main" is not pushed to: only tag filters are set`},
		{"neither branches nor tags: a tag push runs", []Filter{{Event: "push"}}, push("refs/tags/v1"), true, ""},
		{"both branches and tags: a tag push is checked against tags", []Filter{{Event: "push", Branches: []string{"main"}, Tags: []string{"v*"}}},
			push("refs/tags/v1"), true, ""},
		{"both branches and tags: a branch push is checked against branches", []Filter{{Event: "push", Branches: []string{"main"}, Tags: []string{"v*"}}},
			push("refs/heads/dev", "a"), false, `branch "dev" does not match branches ["main"]`},

		// on.push.paths (docs: workflow-syntax#onpushpull_requestpull_request_targetpathspaths-ignore).
		{"paths: one changed file matches", []Filter{{Event: "push", Paths: []string{"**.js"}}},
			push("refs/heads/main", "README.md", "src/app.js"), true, ""},
		{"paths: no changed file matches", []Filter{{Event: "push", Paths: []string{"**.js"}}},
			push("refs/heads/main", "README.md", "go.mod"), false, `no changed file (README.md, go.mod) matches paths ["**.js"]`},
		{"paths: sub-project/** except sub-project/docs/**, only docs changed", []Filter{{Event: "push", Paths: []string{"sub-project/**", "!sub-project/docs/**"}}},
			push("refs/heads/main", "sub-project/docs/readme.md"), false,
			`no changed file (sub-project/docs/readme.md) matches paths ["sub-project/**","!sub-project/docs/**"]`},
		{"paths: sub-project/** except sub-project/docs/**, code changed", []Filter{{Event: "push", Paths: []string{"sub-project/**", "!sub-project/docs/**"}}},
			push("refs/heads/main", "sub-project/docs/readme.md", "sub-project/src/index.js"), true, ""},
		{"paths-ignore: only ignored files changed", []Filter{{Event: "push", PathsIgnore: []string{"docs/**"}}},
			push("refs/heads/main", "docs/a.md", "docs/b/c.md"), false, `every changed file (docs/a.md, docs/b/c.md) matches paths-ignore ["docs/**"]`},
		{"paths-ignore: one file outside docs", []Filter{{Event: "push", PathsIgnore: []string{"docs/**"}}},
			push("refs/heads/main", "docs/a.md", "main.go"), true, ""},
		{"paths: no files changed does not run", []Filter{{Event: "push", Paths: []string{"**"}}},
			push("refs/heads/main"), false, `no files changed (nothing unpushed and a clean working tree), so its paths ["**"] filter does not match, as on GitHub; to rehearse a past push give its before and after commits with --event-file, or change a file the filter matches`},
		{"paths-ignore: no files changed does not run", []Filter{{Event: "push", PathsIgnore: []string{"docs/**"}}},
			push("refs/heads/main"), false, `no files changed (nothing unpushed and a clean working tree), so its paths-ignore ["docs/**"] filter does not match, as on GitHub; to rehearse a past push give its before and after commits with --event-file, or change a file the filter matches`},
		{"paths: unknown changed files run (GitHub runs when it has no diff)", []Filter{{Event: "push", Paths: []string{"docs/**"}}},
			&Event{Name: "push", Ref: "refs/heads/main"}, true, ""},
		{"paths: not evaluated for tag pushes", []Filter{{Event: "push", Tags: []string{"v*"}, Paths: []string{"docs/**"}}},
			push("refs/tags/v1", "main.go"), true, ""},
		{"paths and branches must both be satisfied", []Filter{{Event: "push", Branches: []string{"releases/**"}, Paths: []string{"**.js"}}},
			push("refs/heads/releases/1", "a.go"), false, `no changed file (a.go) matches paths ["**.js"]`},
		{"paths: the summary names three files and counts the rest", []Filter{{Event: "push", Paths: []string{"x"}}},
			push("refs/heads/main", "a", "b", "c", "d", "e"), false, `no changed file (a, b, c and 2 more) matches paths ["x"]`},
		{"paths: only the first 300 changed files count", []Filter{{Event: "push", Paths: []string{"zzz.js"}}},
			push("refs/heads/main", append(manyFiles(300), "zzz.js")...), false,
			`no changed file (f000, f001, f002 and 297 more) matches paths ["zzz.js"]`},
		{"paths: a match within the first 300 files runs", []Filter{{Event: "push", Paths: []string{"f299"}}},
			push("refs/heads/main", manyFiles(400)...), true, ""},

		// pull_request (docs: events-that-trigger-workflows#pull_request).
		{"pull_request: opened runs by default", []Filter{{Event: "pull_request"}}, pullRequest("opened", "main"), true, ""},
		{"pull_request: synchronize runs by default", []Filter{{Event: "pull_request"}}, pullRequest("synchronize", "main"), true, ""},
		{"pull_request: reopened runs by default", []Filter{{Event: "pull_request"}}, pullRequest("reopened", "main"), true, ""},
		{"pull_request: closed does not run by default", []Filter{{Event: "pull_request"}}, pullRequest("closed", "main"), false,
			`activity type "closed" is not one of the default types ["opened","synchronize","reopened"] of pull_request (set types: to run for it)`},
		{"pull_request: types [closed] runs on closed", []Filter{{Event: "pull_request", Types: []string{"closed"}}},
			pullRequest("closed", "main"), true, ""},
		{"pull_request: types [review_requested] skips opened", []Filter{{Event: "pull_request", Types: []string{"review_requested"}}},
			pullRequest("opened", "main"), false, `activity type "opened" does not match types ["review_requested"]`},
		{"pull_request: branches match the base branch", []Filter{{Event: "pull_request", Branches: []string{"releases/**"}}},
			pullRequest("opened", "releases/1"), true, ""},
		{"pull_request: branches do not match the base branch", []Filter{{Event: "pull_request", Branches: []string{"releases/**"}}},
			pullRequest("opened", "main"), false, `base branch "main" does not match branches ["releases/**"]`},
		{"pull_request: branches-ignore matches the base branch", []Filter{{Event: "pull_request", BranchesIgnore: []string{"main"}}},
			pullRequest("opened", "main"), false, `base branch "main" matches branches-ignore ["main"]`},
		{"pull_request: paths", []Filter{{Event: "pull_request", Paths: []string{"**.js"}}},
			pullRequest("opened", "main", "a.js"), true, ""},
		{"pull_request: paths-ignore", []Filter{{Event: "pull_request", PathsIgnore: []string{"**.md"}}},
			pullRequest("opened", "main", "a.md"), false, `every changed file (a.md) matches paths-ignore ["**.md"]`},
		{"pull_request_target: default types", []Filter{{Event: "pull_request_target"}},
			&Event{Name: "pull_request_target", Action: "labeled", BaseRef: "main"}, false,
			`activity type "labeled" is not one of the default types ["opened","synchronize","reopened"] of pull_request_target (set types: to run for it)`},
		{"pull_request_target: branches match the base branch", []Filter{{Event: "pull_request_target", Branches: []string{"main"}}},
			&Event{Name: "pull_request_target", Action: "opened", BaseRef: "main"}, true, ""},

		// Other events with activity types run for all of them by default.
		{"release: published runs without types", []Filter{{Event: "release"}},
			&Event{Name: "release", Action: "published", Ref: "refs/tags/v1"}, true, ""},
		{"release: types [published] skips created", []Filter{{Event: "release", Types: []string{"published"}}},
			&Event{Name: "release", Action: "created", Ref: "refs/tags/v1"}, false, `activity type "created" does not match types ["published"]`},
		{"issues: any type runs without types", []Filter{{Event: "issues"}},
			&Event{Name: "issues", Action: "milestoned"}, true, ""},
		{"repository_dispatch: types match event_type", []Filter{{Event: "repository_dispatch", Types: []string{"test_result"}}},
			&Event{Name: "repository_dispatch", Action: "test_result"}, true, ""},
		{"repository_dispatch: other event_type", []Filter{{Event: "repository_dispatch", Types: []string{"test_result"}}},
			&Event{Name: "repository_dispatch", Action: "deploy"}, false, `activity type "deploy" does not match types ["test_result"]`},
		{"repository_dispatch: no event_type given", []Filter{{Event: "repository_dispatch", Types: []string{"test_result"}}},
			&Event{Name: "repository_dispatch"}, false, `the event has no activity type, so it does not match types ["test_result"] (pass --action)`},
		{"repository_dispatch: no types runs for all", []Filter{{Event: "repository_dispatch"}},
			&Event{Name: "repository_dispatch", Action: "deploy"}, true, ""},

		// workflow_dispatch has no filters.
		{"workflow_dispatch runs", []Filter{{Event: "workflow_dispatch", Inputs: map[string]DispatchInput{"x": {}}}},
			&Event{Name: "workflow_dispatch", Ref: "refs/heads/feature"}, true, ""},

		// schedule.
		{"schedule: a workflow with a cron runs", []Filter{{Event: "schedule", Crons: []string{"0 0 * * *"}}},
			&Event{Name: "schedule", Ref: "refs/heads/main"}, true, ""},
		{"schedule: the named cron must be one of the workflow's", []Filter{{Event: "schedule", Crons: []string{"0 0 * * *"}}},
			withPayload(&Event{Name: "schedule"}, "schedule", "*/5 * * * *"), false, `cron "*/5 * * * *" is not one of ["0 0 * * *"]`},
		{"schedule: the named cron is one of the workflow's", []Filter{{Event: "schedule", Crons: []string{"0 0 * * *", "*/5 * * * *"}}},
			withPayload(&Event{Name: "schedule"}, "schedule", "*/5 * * * *"), true, ""},
		{"schedule: no cron entries", []Filter{{Event: "schedule"}},
			&Event{Name: "schedule"}, false, "schedule has no cron entries"},

		// workflow_run (docs: events-that-trigger-workflows#workflow_run).
		{"workflow_run: workflows names the triggering workflow", []Filter{{Event: "workflow_run", Workflows: []string{"Build"}, Types: []string{"completed"}}},
			withPayload(&Event{Name: "workflow_run", Action: "completed"}, "workflow_run", obj("name", "Build", "head_branch", "canary")), true, ""},
		{"workflow_run: another workflow", []Filter{{Event: "workflow_run", Workflows: []string{"Staging", "Lab"}}},
			withPayload(&Event{Name: "workflow_run", Action: "completed"}, "workflow_run", obj("name", "Build")), false,
			`triggering workflow "Build" does not match workflows ["Staging","Lab"]`},
		{"workflow_run: branches match the triggering run's branch", []Filter{{Event: "workflow_run", Workflows: []string{"Build"}, Branches: []string{"canary"}}},
			withPayload(&Event{Name: "workflow_run", Action: "requested"}, "workflow_run", obj("name", "Build", "head_branch", "main")), false,
			`triggering run's branch "main" does not match branches ["canary"]`},

		// Invalid patterns make the workflow fail instead of running.
		{"an invalid branch pattern does not run", []Filter{{Event: "push", Branches: []string{"+main"}}},
			main, false, `invalid filter pattern "+main" at offset 0: "+" must follow a literal character or a [] class`},
		{"an invalid path pattern does not run", []Filter{{Event: "push", Paths: []string{"[a"}}},
			main, false, `invalid filter pattern "[a" at offset 2: missing ] to close [`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, reason := Match(tc.filters, tc.event)
			if got != tc.want || reason != tc.reason {
				t.Errorf("Match() = %v, %q; want %v, %q", got, reason, tc.want, tc.reason)
			}
		})
	}
}

func manyFiles(n int) []string {
	files := make([]string, n)
	for i := range files {
		files[i] = fmt.Sprintf("f%03d", i)
	}
	return files
}

func TestEventNames(t *testing.T) {
	t.Parallel()
	names := EventNames()
	for _, want := range []string{"push", "pull_request", "pull_request_target", "workflow_dispatch", "schedule", "release", "workflow_run", "repository_dispatch"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("EventNames() lacks %q", want)
		}
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Errorf("EventNames() is not sorted: %q before %q", names[i-1], names[i])
		}
	}
}

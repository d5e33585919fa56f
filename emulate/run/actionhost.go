package run

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/step"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// actionHost gives a built-in action the effects a real action has
// through the runner.
type actionHost struct {
	jr      *jobRun
	name    string
	r       *stepRun
	stepEnv [][2]string
	failed  bool
}

var _ actions.Host = (*actionHost)(nil)

func (h *actionHost) Job() executor.Job { return h.jr.job }

func (h *actionHost) ProcessEnv() []string { return h.jr.stepEnv(h.stepEnv, nil) }

func (h *actionHost) Getenv(key string) string {
	for _, kv := range h.jr.stepEnv(h.stepEnv, nil) {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

func (h *actionHost) Log(line string) { h.jr.log.line(h.name, line) }

func (h *actionHost) Warning(msg string) {
	h.jr.log.line(h.name, "##[warning]"+msg)
	h.jr.annotate("warning", msg)
}

func (h *actionHost) Notice(msg string) {
	h.jr.log.line(h.name, "##[notice]"+msg)
	h.jr.annotate("notice", msg)
}

func (h *actionHost) SetOutput(name, value string) { h.r.outputs[name] = value }

func (h *actionHost) ExportVariable(name, value string) { h.jr.setEnv(name, value) }

func (h *actionHost) AddPath(dir string) { h.jr.path = step.AddPaths(h.jr.path, dir) }

func (h *actionHost) AddPost(name string, run func(ctx context.Context) error) {
	h.jr.posts = append(h.jr.posts, post{name: name, run: run})
}

// services are the local stand-ins for GitHub's services, for this job.
func (jr *jobRun) services() actions.Services {
	o := jr.s.o
	ref := ""
	if o.Event != nil {
		ref = o.Event.Ref
	}
	scopes := []string{ref}
	if o.Event != nil && o.Event.BaseRef != "" {
		scopes = append(scopes, "refs/heads/"+o.Event.BaseRef)
	}
	if o.Git != nil && o.Git.DefaultBranch != "" {
		scopes = append(scopes, "refs/heads/"+o.Git.DefaultBranch)
	}
	return actions.Services{
		Checkout: func(ctx context.Context, dir string, standalone bool) error {
			return workspace.Checkout(ctx, workspace.Source{Root: o.Root, Git: o.Git != nil && o.Git.Available, FromCommit: o.FromCommit, Standalone: standalone}, dir)
		},
		Cache:       o.Cache,
		CacheScopes: scopes,
		CacheScope:  ref,
		Artifacts:   o.Artifacts,
		JobKey:      jr.jp.Key,
		UV:          o.UV,
	}
}

func executorProcess(argv, env []string, dir string, out *lineSplitter) executor.Process {
	return executor.Process{Argv: argv, Env: env, Dir: dir, Stdout: out, Stderr: out.sibling()}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

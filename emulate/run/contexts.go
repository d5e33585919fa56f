package run

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/valuejson"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/matrix"
)

func matrixValue(cell *expr.Object) *valuejson.Value {
	return &valuejson.Value{V: cell}
}

// githubContext is the github context of a job cell whose workspace is
// workspace. It does not change while the job runs: a job computes it once.
func (s *scheduler) githubContext(n *node, jp *plan.JobPlan, workspace string) *expr.Object {
	return trigger.Context(s.o.Git, n.event(s.o), trigger.RunInfo{
		RunID: runID(s.o), RunNumber: 1, RunAttempt: 1,
		Workflow: n.wp.Workflow.Name, WorkflowFile: n.wp.File, Job: jp.ID, Workspace: workspace, Token: s.o.Secrets["GITHUB_TOKEN"],
	})
}

// baseContexts are the contexts available everywhere in a job: github
// (given), vars, secrets, inputs, matrix, strategy, needs.
func (s *scheduler) baseContexts(n *node, jp *plan.JobPlan, needsCtx *expr.Object, gh *expr.Object) map[string]expr.Value {
	wf := n.wp.Workflow
	if jp.Callee != nil {
		wf = jp.Callee
	}
	secrets, _ := expr.FromGo(s.o.Secrets).(*expr.Object)
	if jp.Callee != nil && n.calleeSecrets != nil {
		secrets = n.calleeSecrets.Clone()
	}
	if _, ok := secrets.Get("GITHUB_TOKEN"); !ok {
		secrets.Set("GITHUB_TOKEN", s.o.Secrets["GITHUB_TOKEN"])
	}
	var matrixCtx expr.Value // null for a job without a matrix, as on GitHub
	if jp.Cell != nil {
		matrixCtx = jp.Cell
	}
	ctx := map[string]expr.Value{
		"github":   gh,
		"vars":     expr.FromGo(s.o.Vars),
		"secrets":  secrets,
		"inputs":   s.inputs(n, jp, wf),
		"matrix":   matrixCtx,
		"strategy": jp.Strategy.Context(),
		"needs":    needsCtx,
	}
	return ctx
}

// resolveCall evaluates, once the caller's needs are done, what a called
// workflow's jobs get from the job calling it: inputs from with: over the
// declared defaults (an expression that fails fails the jobs, as on
// GitHub), and secrets: every secret with `secrets: inherit`, else only
// those the caller maps, plus GITHUB_TOKEN.
func (s *scheduler) resolveCall(n *node, needsCtx *expr.Object) {
	jp := n.jp
	caller, callee := jp.Caller, jp.Callee
	env := &expr.Env{Contexts: map[string]expr.Value{
		"github":  trigger.Context(s.o.Git, n.event(s.o), trigger.RunInfo{Workflow: n.wp.Workflow.Name, WorkflowFile: n.wp.File, Job: caller.ID}),
		"vars":    expr.FromGo(s.o.Vars),
		"secrets": expr.FromGo(s.o.Secrets),
		"inputs":  trigger.InputsContext(n.wp.Workflow.Triggers, n.event(s.o)),
		"needs":   needsCtx,
		"matrix":  nil,
	}}
	in := expr.NewObject()
	if callee.Call != nil {
		for _, d := range callee.Call.Inputs {
			if d.Default != nil {
				in.Set(d.Name, plan.TypedInput(d.Type, d.Default.Value))
			}
		}
	}
	for _, w := range caller.With {
		v, err := expr.Interpolate(w.Value.Value, env)
		if err != nil {
			n.inputsErr = fmt.Errorf("%s:%d:%d: could not evaluate with.%s: %v", n.wp.File, w.Value.Pos.Line, w.Value.Pos.Col, w.Name, err)
			break
		}
		in.Set(w.Name, v)
	}
	n.calleeInputs = in
	secrets := expr.NewObject()
	if caller.InheritSecrets {
		secrets, _ = expr.FromGo(s.o.Secrets).(*expr.Object)
	} else {
		for _, sec := range caller.Secrets {
			if v, err := expr.Interpolate(sec.Value.Value, env); err == nil {
				secrets.Set(sec.Name, expr.ToString(v))
			}
		}
	}
	n.calleeSecrets = secrets
}

// jobIfContexts are the contexts of a job-level if: (no env, steps or runner).
func (s *scheduler) jobIfContexts(n *node, jp *plan.JobPlan, needsCtx *expr.Object) map[string]expr.Value {
	return s.baseContexts(n, jp, needsCtx, s.githubContext(n, jp, s.o.Root))
}

// inputs is the inputs context: workflow_dispatch inputs, or for a job of
// a called workflow, the caller's with: over the callee's defaults.
func (s *scheduler) inputs(n *node, jp *plan.JobPlan, wf *workflow.Workflow) *expr.Object {
	o := expr.NewObject()
	if jp.Callee != nil {
		if n.calleeInputs != nil {
			return n.calleeInputs
		}
		return o
	}
	if n.wp.Workflow == wf {
		return trigger.InputsContext(wf.Triggers, n.event(s.o))
	}
	return o
}

func runID(o *Options) int64 {
	if o.Run == nil {
		return 1
	}
	var h int64
	for _, c := range o.Run.ID {
		h = (h*31 + int64(c)) % 1_000_000_000
	}
	return h
}

// newEnvContext is an empty env context for a job on runnerOS (runner.os):
// case-sensitive on Linux and macOS, as the environment is there (the
// runner's CaseSensitiveDictionaryContextData), and case-insensitive on
// Windows. Every other context ignores case everywhere.
func newEnvContext(runnerOS string) *expr.Object {
	if strings.EqualFold(runnerOS, "Windows") {
		return expr.NewObject()
	}
	return expr.NewCaseSensitiveObject()
}

// newEnv is an empty env context for the job's OS, as its executor tells
// it (never this machine's). Before the job has started it is
// case-sensitive, as on the Linux and macOS runners.
func (jr *jobRun) newEnv() *expr.Object {
	if jr.job == nil {
		return newEnvContext("")
	}
	return newEnvContext(jr.job.Platform().OS)
}

// envContext is the env context of the job's steps: --env and --env-file
// at the bottom, then the workflow env, the job env and what steps wrote
// to GITHUB_ENV (jr.env), as act gives --env to expressions too.
func (jr *jobRun) envContext() *expr.Object {
	env := jr.newEnv()
	user := make([]string, 0, len(jr.s.o.Env))
	for k := range jr.s.o.Env {
		user = append(user, k)
	}
	sort.Strings(user)
	for _, k := range user {
		env.Set(k, jr.s.o.Env[k])
	}
	for _, k := range jr.envOrder {
		env.Set(k, jr.env[k])
	}
	return env
}

// layerEnv is base (an env context) with pairs set over it, in a new
// object for the job's OS: a step's env over its job's, a composite
// action's steps over the step that called it.
func (jr *jobRun) layerEnv(base expr.Value, pairs [][2]string) *expr.Object {
	env := jr.newEnv()
	if b, ok := base.(*expr.Object); ok {
		b.Range(func(k string, v expr.Value) bool {
			env.Set(k, v)
			return true
		})
	}
	for _, kv := range pairs {
		env.Set(kv[0], kv[1])
	}
	return env
}

// runnerContext is the runner context of a started job, from its executor.
func runnerContext(j executor.Job, debug bool) *expr.Object {
	o := expr.NewObject()
	paths, platform := j.Paths(), j.Platform()
	o.Set("name", "rehearse")
	o.Set("os", platform.OS)
	o.Set("arch", platform.Arch)
	o.Set("temp", paths.Temp)
	o.Set("tool_cache", paths.ToolCache)
	o.Set("environment", j.Info().Environment)
	if debug {
		o.Set("debug", "1")
	} else {
		o.Set("debug", "")
	}
	return o
}

// resolveMatrix evaluates a matrix given (wholly or partly) as expressions,
// now that needs outputs are known, and converts it with matrix.FromValue,
// GitHub's rules for an evaluated strategy.matrix.
func resolveMatrix(m *workflow.Matrix, env *expr.Env) (matrix.Spec, error) {
	eval := func(s workflow.String) (expr.Value, error) {
		v, err := expr.Interpolate(s.Value, env)
		if err != nil {
			return nil, fmt.Errorf("%d:%d: %v", s.Pos.Line, s.Pos.Col, err)
		}
		return v, nil
	}
	var whole expr.Value
	if m.Expr != nil {
		v, err := eval(*m.Expr)
		if err != nil {
			return matrix.Spec{}, err
		}
		whole = v
	} else {
		// The literal keys as written, the expression keys evaluated, in
		// the order of the file.
		evaluated := map[string]expr.Value{}
		for _, ke := range m.KeyExprs {
			v, err := eval(ke.Value)
			if err != nil {
				return matrix.Spec{}, err
			}
			evaluated[ke.Name] = v
		}
		obj := expr.NewObject()
		for _, a := range m.Spec.Axes {
			if v, ok := evaluated[a.Name]; ok {
				obj.Set(a.Name, v)
			} else {
				obj.Set(a.Name, append([]any(nil), a.Values...))
			}
		}
		for key, list := range map[string][]*expr.Object{"include": m.Spec.Include, "exclude": m.Spec.Exclude} {
			if v, ok := evaluated[key]; ok {
				obj.Set(key, v)
			} else if list != nil {
				arr := make([]any, len(list))
				for i, o := range list {
					arr[i] = o
				}
				obj.Set(key, arr)
			}
		}
		whole = obj
	}
	spec, err := matrix.FromValue(whole)
	if err != nil {
		return matrix.Spec{}, fmt.Errorf("%d:%d: %v", m.Pos.Line, m.Pos.Col, err)
	}
	return spec, nil
}

// event is the event as the node's workflow sees it (dispatch inputs with
// their defaults), falling back to the run's event.
func (n *node) event(o *Options) *trigger.Event {
	if n.wp.EventData != nil {
		return n.wp.EventData
	}
	return o.Event
}

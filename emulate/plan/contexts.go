package plan

import (
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// planContexts are the contexts known before anything runs. An expression
// that needs any other (needs, steps, job, runner, env) is decided at run
// time.
func planContexts(o Options, wf *workflow.Workflow, jobID string, cell *expr.Object, strategy *expr.Object, inputs *expr.Object) map[string]expr.Value {
	ctx := map[string]expr.Value{
		"github":  trigger.Context(o.Git, o.Event, trigger.RunInfo{Workflow: wf.Name, WorkflowFile: wf.Path, Job: jobID, Workspace: o.Root, RunID: 1, RunNumber: 1, RunAttempt: 1}),
		"vars":    expr.FromGo(o.Vars),
		"secrets": expr.FromGo(o.Secrets),
		// A job without a matrix has a null matrix context on GitHub.
		"matrix": nil,
	}
	if cell != nil {
		ctx["matrix"] = cell
	}
	// nil inputs are not known before running (a reusable workflow's with:
	// that reads needs): leaving the context out makes every condition
	// that reads them wait for run time.
	if inputs != nil {
		ctx["inputs"] = inputs
	}
	if strategy != nil {
		ctx["strategy"] = strategy
	}
	return ctx
}

// TypedInput converts a workflow input's text to the kind its declared
// type gives it in the inputs context (a number that does not parse stays
// text).
func TypedInput(typ, val string) expr.Value {
	switch typ {
	case "boolean":
		return val == "true"
	case "number":
		if n := expr.ToNumber(val); n == n {
			return n
		}
	}
	return val
}

// evalCondition decides an if: at plan time: "true", "false", or "run time"
// when it needs a context or a job status only known when running.
func evalCondition(cond string, ctx map[string]expr.Value) string {
	if cond == "" {
		return ""
	}
	if expr.UsesStatusFunction(cond) {
		return "run time"
	}
	ok, err := expr.Condition(cond, &expr.Env{Contexts: ctx})
	switch {
	case err != nil:
		return "run time"
	case ok:
		return "true"
	}
	return "false"
}

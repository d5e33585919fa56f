package run

import (
	"fmt"
	"runtime"

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

func stringsObject(m map[string]string) *expr.Object {
	o := expr.NewObject()
	for k, v := range m {
		o.Set(k, v)
	}
	return o
}

// baseContexts are the contexts available everywhere in a job: github,
// vars, secrets, inputs, matrix, strategy, needs.
func (s *scheduler) baseContexts(n *node, jp *plan.JobPlan, needsCtx *expr.Object, workspace string) map[string]expr.Value {
	wf := n.wp.Workflow
	if jp.Callee != nil {
		wf = jp.Callee
	}
	gh := trigger.Context(s.o.Git, n.event(s.o), trigger.RunInfo{
		RunID: runID(s.o), RunNumber: 1, RunAttempt: 1,
		Workflow: n.wp.Workflow.Name, WorkflowFile: n.wp.File, Job: jp.ID, Workspace: workspace, Token: s.o.Secrets["GITHUB_TOKEN"],
	})
	secrets := stringsObject(s.o.Secrets)
	if _, ok := secrets.Get("GITHUB_TOKEN"); !ok {
		secrets.Set("GITHUB_TOKEN", "")
	}
	ctx := map[string]expr.Value{
		"github":   gh,
		"vars":     stringsObject(s.o.Vars),
		"secrets":  secrets,
		"inputs":   s.inputs(n, jp, wf),
		"matrix":   orEmpty(jp.Cell),
		"strategy": jp.Strategy.Context(),
		"needs":    needsCtx,
	}
	return ctx
}

func orEmpty(o *expr.Object) *expr.Object {
	if o == nil {
		return expr.NewObject()
	}
	return o
}

// jobIfContexts are the contexts of a job-level if: (no env, steps or runner).
func (s *scheduler) jobIfContexts(n *node, jp *plan.JobPlan, needsCtx *expr.Object) map[string]expr.Value {
	return s.baseContexts(n, jp, needsCtx, s.o.Root)
}

// inputs is the inputs context: workflow_dispatch inputs, or for a job of
// a called workflow, the caller's with: over the callee's defaults.
func (s *scheduler) inputs(n *node, jp *plan.JobPlan, wf *workflow.Workflow) *expr.Object {
	o := expr.NewObject()
	if jp.Callee != nil && jp.Callee.Call != nil {
		for _, in := range jp.Callee.Call.Inputs {
			if in.Default != nil {
				o.Set(in.Name, typed(in.Type, in.Default.Value))
			}
		}
		env := &expr.Env{Contexts: map[string]expr.Value{
			"github": trigger.Context(s.o.Git, n.event(s.o), trigger.RunInfo{Workflow: n.wp.Workflow.Name, WorkflowFile: n.wp.File, Job: jp.Caller.ID}),
			"vars":   stringsObject(s.o.Vars), "secrets": stringsObject(s.o.Secrets), "inputs": expr.NewObject(),
		}}
		for _, w := range jp.Caller.With {
			v, err := expr.Interpolate(w.Value.Value, env)
			if err != nil {
				v = w.Value.Value
			}
			o.Set(w.Name, v)
		}
		return o
	}
	if n.wp.Workflow == wf {
		return trigger.InputsContext(wf.Triggers, n.event(s.o))
	}
	return o
}

func typed(typ, v string) expr.Value {
	switch typ {
	case "boolean":
		return v == "true"
	case "number":
		return expr.ToNumber(v)
	}
	return v
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

// runnerContext is the runner context of a job on this machine.
func runnerContext(temp, toolCache string, debug bool) *expr.Object {
	o := expr.NewObject()
	o.Set("name", "rehearse")
	o.Set("os", hostOS())
	o.Set("arch", hostArch())
	o.Set("temp", temp)
	o.Set("tool_cache", toolCache)
	o.Set("environment", "self-hosted")
	if debug {
		o.Set("debug", "1")
	} else {
		o.Set("debug", "")
	}
	return o
}

func hostOS() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	}
	return "Linux"
}

func hostArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "X64"
	case "386":
		return "X86"
	case "arm64":
		return "ARM64"
	case "arm":
		return "ARM"
	}
	return runtime.GOARCH
}

// resolveMatrix evaluates a matrix given (wholly or partly) as expressions,
// now that needs outputs are known.
func resolveMatrix(m *workflow.Matrix, env *expr.Env) (matrix.Spec, error) {
	eval := func(s workflow.String) (expr.Value, error) {
		v, err := expr.Interpolate(s.Value, env)
		if err != nil {
			return nil, fmt.Errorf("%d:%d: %v", s.Pos.Line, s.Pos.Col, err)
		}
		return v, nil
	}
	if m.Expr != nil {
		v, err := eval(*m.Expr)
		if err != nil {
			return matrix.Spec{}, err
		}
		obj, ok := v.(*expr.Object)
		if !ok {
			return matrix.Spec{}, fmt.Errorf("%d:%d: the matrix expression gave %s, expected an object", m.Expr.Pos.Line, m.Expr.Pos.Col, expr.KindOf(v))
		}
		var spec matrix.Spec
		var err2 error
		obj.Range(func(k string, v expr.Value) bool {
			err2 = setKey(&spec, k, v)
			return err2 == nil
		})
		return spec, err2
	}
	spec := matrix.Spec{Axes: append([]matrix.Axis(nil), m.Spec.Axes...), Include: m.Spec.Include, Exclude: m.Spec.Exclude}
	for _, ke := range m.KeyExprs {
		v, err := eval(ke.Value)
		if err != nil {
			return matrix.Spec{}, err
		}
		if err := setKey(&spec, ke.Name, v); err != nil {
			return matrix.Spec{}, fmt.Errorf("%d:%d: %v", ke.Value.Pos.Line, ke.Value.Pos.Col, err)
		}
	}
	return spec, nil
}

// setKey puts one evaluated matrix key into spec: a row replaces its
// placeholder (or is appended), include and exclude take lists of objects.
func setKey(spec *matrix.Spec, k string, v expr.Value) error {
	switch k {
	case "include", "exclude":
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("matrix %s must be an array of objects, got %s", k, expr.KindOf(v))
		}
		var list []*expr.Object
		for _, e := range arr {
			o, ok := e.(*expr.Object)
			if !ok {
				return fmt.Errorf("matrix %s must be an array of objects, got an element of kind %s", k, expr.KindOf(e))
			}
			list = append(list, o)
		}
		if k == "include" {
			spec.Include = list
		} else {
			spec.Exclude = list
		}
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		return fmt.Errorf("matrix row %q must be an array, got %s", k, expr.KindOf(v))
	}
	for i := range spec.Axes {
		if spec.Axes[i].Name == k {
			spec.Axes[i].Values = arr
			return nil
		}
	}
	spec.Axes = append(spec.Axes, matrix.Axis{Name: k, Values: arr})
	return nil
}

// event is the event as the node's workflow sees it (dispatch inputs with
// their defaults), falling back to the run's event.
func (n *node) event(o *Options) *trigger.Event {
	if n.wp.EventData != nil {
		return n.wp.EventData
	}
	return o.Event
}

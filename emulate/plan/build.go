package plan

import (
	"fmt"
	"path"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/matrix"
)

// Build plans every loaded workflow for the event in o.
func Build(res *workflow.Result, o Options) *Plan {
	p := &Plan{Version: 1, Workflows: []*WorkflowPlan{}, Warnings: []string{}, Rules: Rules{Placing: o.Placing, AllowDeploy: o.AllowDeploy}}
	byPath := map[string]*workflow.Workflow{}
	for _, wf := range append(append([]*workflow.Workflow(nil), res.Workflows...), res.Called...) {
		byPath[wf.Path] = wf
	}
	for _, wf := range res.Workflows {
		p.Workflows = append(p.Workflows, buildWorkflow(wf, res.Invalid[wf.Path] || callsInvalid(wf, byPath, res.Invalid, map[string]bool{}), byPath, o))
	}
	// The validator's findings, for machine readers of the plan: errors with
	// their workflow, warnings for the whole plan.
	for _, f := range res.Findings {
		if f.Severity == workflow.SeverityWarning {
			p.Warnings = append(p.Warnings, f.String())
			continue
		}
		for _, wp := range p.Workflows {
			if wp.File == f.Path {
				wp.Errors = append(wp.Errors, f.String())
			}
		}
	}
	for f := range res.Invalid {
		if byPath[f] == nil {
			wp := &WorkflowPlan{File: f, Name: f, Event: o.Event.Name, Invalid: true, Reason: "invalid workflow file", Jobs: []*JobPlan{}, Errors: []string{}}
			for _, fd := range res.Findings {
				if fd.Path == f && fd.Severity == workflow.SeverityError {
					wp.Errors = append(wp.Errors, fd.String())
				}
			}
			p.Workflows = append(p.Workflows, wp)
		}
	}
	return p
}

func buildWorkflow(wf *workflow.Workflow, invalid bool, byPath map[string]*workflow.Workflow, o Options) *WorkflowPlan {
	wp := &WorkflowPlan{File: wf.Path, Name: wf.Name, Event: o.Event.Name, Jobs: []*JobPlan{}, Errors: []string{}, Workflow: wf, Invalid: invalid}
	if invalid {
		wp.Reason = "invalid workflow file: GitHub would refuse it (see the errors above)"
		return wp
	}
	if ok, why := triggered(wf, o.Event); !ok {
		wp.Reason = why
		return wp
	}
	// The event as this workflow sees it: dispatch inputs completed with
	// their defaults (and refused as GitHub refuses them), the schedule.
	ev, err := o.Event.ForWorkflow(wf.Triggers, wf.Path)
	if err != nil {
		// GitHub refuses such a dispatch of this workflow; others may take it.
		wp.Reason, wp.Refused = "GitHub would refuse this dispatch: "+err.Error(), true
		return wp
	}
	wp.EventData = ev
	o.Event = ev
	wp.Triggered = true
	inputs := trigger.InputsContext(wf.Triggers, ev)
	for _, j := range wf.Jobs {
		if j.Uses != nil {
			wp.Jobs = append(wp.Jobs, expandCall(wf, j, byPath, o)...)
			continue
		}
		wp.Jobs = append(wp.Jobs, expandJob(wf, j, inputs, o, "", "")...)
	}
	resolveGraph(wp.Jobs)
	wp.Jobs = collapseSkippedMatrices(wp.Jobs)
	// GitHub refuses a workflow whose matrix it cannot expand (more than
	// 256 jobs, an empty vector): the whole file is invalid then.
	for _, j := range wp.Jobs {
		if j.Invalid {
			wp.Invalid, wp.Triggered = true, false
			wp.Reason = "invalid workflow file: " + j.Reason
		}
	}
	if wp.Invalid {
		wp.Jobs = []*JobPlan{}
	}
	return wp
}

// callsInvalid reports whether wf calls, directly or through other called
// workflows, a local reusable workflow GitHub would refuse: GitHub then
// refuses the caller too.
func callsInvalid(wf *workflow.Workflow, byPath map[string]*workflow.Workflow, invalid, seen map[string]bool) bool {
	if seen[wf.Path] {
		return false
	}
	seen[wf.Path] = true
	for _, j := range wf.Jobs {
		if j.Uses == nil || !strings.HasPrefix(j.Uses.Value, "./") {
			continue
		}
		p := path.Clean(strings.TrimPrefix(j.Uses.Value, "./"))
		if invalid[p] {
			return true
		}
		if callee := byPath[p]; callee != nil && callsInvalid(callee, byPath, invalid, seen) {
			return true
		}
	}
	return false
}

func triggered(wf *workflow.Workflow, ev *trigger.Event) (bool, string) {
	if len(wf.Triggers) == 1 && wf.Triggers[0].Event == "workflow_call" {
		return false, "reusable workflow: it runs only when another workflow calls it"
	}
	ok, why := trigger.Match(wf.Triggers, ev)
	if !ok {
		return false, why
	}
	if (ev.Name == "push" || ev.Name == "pull_request") && trigger.SkipCI(ev) {
		return false, "the head commit message asks to skip CI ([skip ci] or a variant), so GitHub would not run it"
	}
	return true, ""
}

// expandJob makes one JobPlan per matrix cell of j, in GitHub's order.
// namePrefix and keyPrefix are set for jobs of a called reusable workflow.
func expandJob(wf *workflow.Workflow, j *workflow.Job, inputs *expr.Object, o Options, namePrefix, keyPrefix string) []*JobPlan {
	base := func() *JobPlan {
		return &JobPlan{ID: j.ID, Key: keyPrefix + j.ID, Name: namePrefix + j.DisplayName(), Needs: needs(j, keyPrefix), Status: StatusPlanned, Job: j, If: j.If.Text(), Notes: []string{}, HostNotes: []string{}, RunsOn: []string{}}
	}
	// Step classification and host notes scan scripts with regexps: do it
	// once per job, not once per cell.
	cj := classifyJob(j, o)
	var spec *workflow.Matrix
	if j.Strategy != nil {
		spec = j.Strategy.Matrix
	}
	if spec.Deferred() {
		jp := base()
		jp.Status = StatusDeferred
		jp.Reason = fmt.Sprintf("matrix is resolved at run time from %s", strings.TrimSpace(spec.Source()))
		jp.RunsOn = labels(j, nil, planContexts(o, wf, j.ID, nil, nil, inputs))
		// Conditions may read matrix values, unknown until run time.
		jp.Steps = cj.base
		// Only the settings until the scheduler expands the matrix and
		// gives each cell its own (Strategies): fail-fast, and max-parallel
		// (0: no limit) for the cells' group.
		failFast, maxParallel := strategySettings(j)
		jp.Strategy = matrix.Strategy{FailFast: failFast, MaxParallel: maxParallel}
		return []*JobPlan{jp}
	}
	var cells []matrix.Cell
	if spec != nil {
		var err error
		cells, err = matrix.Expand(spec.Spec)
		if err != nil {
			jp := base()
			jp.Status = StatusSkipped
			jp.Reason = fmt.Sprintf("%s:%d:%d: %v", wf.Path, spec.Pos.Line, spec.Pos.Col, err)
			jp.Invalid = true
			return []*JobPlan{jp}
		}
	}
	strategies := Strategies(j, len(cells))
	if len(cells) == 0 {
		// No matrix, or one whose excludes removed every combination: GitHub
		// runs the job once without matrix values (actions/runner
		// WorkflowParser MatrixBuilder falls back to the job's plain form).
		jp := base()
		fill(jp, wf, j, cj, nil, strategies[0], inputs, o)
		return []*JobPlan{jp}
	}
	out := make([]*JobPlan, 0, len(cells))
	for i, c := range cells {
		jp := base()
		jp.Key = fmt.Sprintf("%s%s.%d", keyPrefix, j.ID, i+1)
		jp.Name = namePrefix + matrix.DisplayName(j.DisplayName(), j.Name.HasExpr(), c)
		fill(jp, wf, j, cj, c.Values, strategies[i], inputs, o)
		out = append(out, jp)
	}
	return out
}

// fill decides everything about one cell that depends on its matrix values.
func fill(jp *JobPlan, wf *workflow.Workflow, j *workflow.Job, cj *classifiedJob, cell *expr.Object, st matrix.Strategy, inputs *expr.Object, o Options) {
	jp.Cell, jp.Strategy = cell, st
	if cell != nil {
		jp.Matrix = &MatrixJSON{cell}
	}
	ctx := planContexts(o, wf, j.ID, cell, st.Context(), inputs)
	if j.Name.HasExpr() {
		if v, err := expr.Interpolate(j.Name.Value, &expr.Env{Contexts: ctx}); err == nil {
			jp.Name = strings.TrimSuffix(jp.Name, j.Name.Value) + expr.ToString(v)
		}
	}
	jp.RunsOn = labels(j, cell, ctx)
	jp.Steps = cj.steps(ctx)
	jp.IfState = evalCondition(jp.If, ctx)
	Rules{Placing: o.Placing, AllowDeploy: o.AllowDeploy}.Classify(jp, ctx)
	jp.Notes = append(jp.Notes, unusedOSAxis(j, cell)...)
	if jp.Runner == RunnerHost {
		jp.Notes = append(jp.Notes, cj.hostNotes...)
		jp.HostNotes = append(jp.HostNotes, cj.hostNotes...)
	}
}

// unusedOSAxis notes a matrix axis of runner labels that runs-on ignores:
// the tutorial's test job lists ubuntu, windows and macos in the matrix but
// runs every cell on ubuntu-latest, on GitHub as here.
func unusedOSAxis(j *workflow.Job, cell *expr.Object) []string {
	if cell == nil || j.RunsOnExpr != nil {
		return nil
	}
	for _, l := range j.RunsOn {
		if strings.Contains(l.Value, "matrix.") {
			return nil
		}
	}
	var notes []string
	cell.Range(func(k string, v expr.Value) bool {
		if s, ok := v.(string); ok && labelOS(s) != "" && labelOS(s) != labelOS(firstLabel(j)) {
			notes = append(notes, fmt.Sprintf("matrix.%s is %q but runs-on does not use it: this cell runs on %s, on GitHub too", k, s, firstLabel(j)))
		}
		return true
	})
	return notes
}

func firstLabel(j *workflow.Job) string {
	if len(j.RunsOn) == 0 {
		return ""
	}
	return j.RunsOn[0].Value
}

func labels(j *workflow.Job, cell *expr.Object, ctx map[string]expr.Value) []string {
	env := &expr.Env{Contexts: ctx}
	out := []string{}
	if j.RunsOnExpr != nil {
		v, err := expr.Interpolate(j.RunsOnExpr.Value, env)
		if err != nil {
			return []string{j.RunsOnExpr.Value}
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				out = append(out, expr.ToString(e))
			}
		default:
			out = append(out, expr.ToString(x))
		}
		return out
	}
	for _, l := range j.RunsOn {
		if l.HasExpr() {
			if v, err := expr.Interpolate(l.Value, env); err == nil {
				out = append(out, expr.ToString(v))
				continue
			}
		}
		out = append(out, l.Value)
	}
	return out
}

// Strategies is the strategy context of each of the n matrix cells of job
// j, the n == 0 case being the one job GitHub runs for no matrix or no
// combination: [matrix.Strategies] over j's fail-fast and max-parallel. The
// plan's cells get theirs here, and a deferred matrix's cells theirs when
// the scheduler has expanded it.
func Strategies(j *workflow.Job, n int) []matrix.Strategy {
	failFast, maxParallel := strategySettings(j)
	return matrix.Strategies(failFast, maxParallel, n)
}

// strategySettings are j's strategy.fail-fast (true when not set) and
// strategy.max-parallel (0 when not set). A setting that is an expression
// counts as not set.
func strategySettings(j *workflow.Job) (failFast bool, maxParallel int) {
	failFast = true
	if s := j.Strategy; s != nil {
		if s.FailFast != nil && s.FailFast.Expr == nil {
			failFast = s.FailFast.Value
		}
		if s.MaxParallel != nil && s.MaxParallel.Expr == nil {
			maxParallel = int(s.MaxParallel.Value)
		}
	}
	return failFast, maxParallel
}

// RunsOn evaluates a job's runs-on with the contexts of one cell.
func RunsOn(j *workflow.Job, ctx map[string]expr.Value) []string { return labels(j, nil, ctx) }

// classifiedJob is what plan knows of a job's steps before any cell.
type classifiedJob struct {
	base      []*StepPlan
	hostNotes []string
}

func classifyJob(j *workflow.Job, o Options) *classifiedJob {
	cj := &classifiedJob{}
	for _, s := range j.Steps {
		repo := ""
		if o.Git != nil {
			repo = o.Git.Repository
		}
		cj.base = append(cj.base, planStep(s, o.AllowDeploy, repo))
		for _, why := range actions.MachineChanges(s.Run.Text()) {
			cj.hostNotes = append(cj.hostNotes, fmt.Sprintf("step %q %s on this machine (host executor)", s.DisplayName(), why))
		}
	}
	return cj
}

// steps are the job's step plans for one cell, with the if: conditions
// that the cell's contexts already settle decided. Cells share the plans
// (and the slice) a condition does not change: a wide matrix of a long job
// would otherwise hold a copy of every step per cell. Step plans are read
// only once planned.
func (cj *classifiedJob) steps(ctx map[string]expr.Value) []*StepPlan {
	var out []*StepPlan
	for i, b := range cj.base {
		if b.If == "" || b.Skip || evalCondition(b.If, ctx) != "false" {
			continue
		}
		if out == nil {
			out = append(make([]*StepPlan, 0, len(cj.base)), cj.base...)
		}
		sp := *b
		sp.Skip = true
		sp.Note = fmt.Sprintf("if: %s is false", strings.TrimSpace(sp.If))
		out[i] = &sp
	}
	if out == nil {
		return cj.base
	}
	return out
}

func needs(j *workflow.Job, keyPrefix string) []string {
	out := make([]string, 0, len(j.Needs))
	for _, n := range j.Needs {
		out = append(out, keyPrefix+n)
	}
	return out
}

// expandCall plans a job that calls a reusable workflow: the callee's jobs,
// named "caller / callee" as GitHub names them.
func expandCall(wf *workflow.Workflow, j *workflow.Job, byPath map[string]*workflow.Workflow, o Options) []*JobPlan {
	uses := j.Uses.Value
	jp := &JobPlan{ID: j.ID, Key: j.ID, Name: j.DisplayName(), Needs: needs(j, ""), Status: StatusSkipped, Job: j, If: j.If.Text(), Notes: []string{}, HostNotes: []string{}, RunsOn: []string{}, Steps: []*StepPlan{}}
	if !strings.HasPrefix(uses, "./") {
		jp.Reason = fmt.Sprintf("calls remote reusable workflow %s, which is not fetched", uses)
		return []*JobPlan{jp}
	}
	callee := byPath[path.Clean(strings.TrimPrefix(uses, "./"))]
	if callee == nil {
		jp.Reason = fmt.Sprintf("reusable workflow %s was not loaded (is it outside -W?)", uses)
		return []*JobPlan{jp}
	}
	inputs := expr.NewObject()
	ctx := planContexts(o, wf, j.ID, nil, nil, trigger.InputsContext(wf.Triggers, o.Event))
	if callee.Call != nil {
		for _, in := range callee.Call.Inputs {
			if in.Default != nil {
				inputs.Set(in.Name, TypedInput(in.Type, in.Default.Value))
			}
		}
	}
	for _, w := range j.With {
		var v expr.Value = w.Value.Value
		if w.Value.HasExpr() {
			ev, err := expr.Interpolate(w.Value.Value, &expr.Env{Contexts: ctx})
			if err != nil {
				// Known only at run time (it reads needs): the callee's
				// conditions on inputs wait for it.
				inputs = nil
				break
			}
			v = ev
		}
		inputs.Set(w.Name, v)
	}
	var out []*JobPlan
	for _, cj := range callee.Jobs {
		cells := expandJob(callee, cj, inputs, o, j.DisplayName()+" / ", j.ID+"/")
		for _, c := range cells {
			c.Callee, c.Caller = callee, j
			if len(cj.Needs) == 0 {
				c.Needs = append(c.Needs, needs(j, "")...)
			}
		}
		out = append(out, cells...)
	}
	return out
}

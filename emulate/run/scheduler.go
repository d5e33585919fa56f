package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/mask"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/progress"
	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/matrix"
)

// errFailFast is the cause given to the cells of a matrix cancelled
// because another cell failed (strategy.fail-fast).
var errFailFast = errors.New("cancelled by fail-fast: another cell of this matrix failed")

// node is one cell of the plan (or a deferred matrix that becomes cells).
type node struct {
	jp    *plan.JobPlan
	wp    *plan.WorkflowPlan
	group *group
	// results is this node's slot in the report: one result, or one per
	// cell of a deferred matrix. Only the node's goroutine writes it.
	results []*report.JobResult
	// order is the node's position in the plan: slots are given in it.
	order int
	// outputsMu guards outputs, which the cells of a deferred matrix all
	// write (the last cell to set an output wins, as on GitHub).
	outputsMu sync.Mutex
	outputs   map[string]string
	// calleeInputs is the inputs context of a called workflow's job: the
	// caller's with: evaluated once its needs are done; inputsErr when that
	// failed (the job fails, as on GitHub).
	calleeInputs  *expr.Object
	calleeSecrets *expr.Object
	inputsErr     error
}

// group is every cell of one job id in one workflow: needs wait on the
// group, fail-fast cancels it, max-parallel limits it.
type group struct {
	id       string
	nodes    []*node
	ctx      context.Context
	cancel   context.CancelCauseFunc
	slots    *slots // max-parallel; nil when unlimited
	failFast bool
	done     chan struct{}
	wg       sync.WaitGroup
}

// Run executes the plan's triggered workflows and returns the report.
func Run(ctx context.Context, p *plan.Plan, o Options) *report.Report {
	start := time.Now()
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Hard == nil {
		hard, stop := interruptOf(ctx)
		defer stop()
		o.Hard = hard
	}
	maskSecrets(o.Masker, o.Secrets)
	strict := mask.New()
	for _, v := range o.Secrets {
		strict.AddSecret(v)
	}
	rep := &report.Report{Version: 1, Event: o.Event.Name, Workflows: []*report.WorkflowResult{}, Artifacts: []report.Artifact{}, Started: start}
	if o.Run != nil {
		rep.RunDir, rep.LogDir = o.Run.Dir, o.Run.LogDir
	}
	jobSlots := newSlots(o.Jobs)
	var all []*node
	nextOrder := 0
	var groups []*group
	type wfNodes struct {
		wr    *report.WorkflowResult
		nodes []*node
	}
	var wfs []wfNodes
	for _, wp := range p.Workflows {
		if wp.Invalid {
			// GitHub shows an invalid file as a failed run with its errors.
			wfs = append(wfs, wfNodes{wr: &report.WorkflowResult{File: wp.File, Name: wp.Name, Jobs: []*report.JobResult{},
				Invalid: true, Errors: append([]string{}, wp.Errors...)}})
			continue
		}
		if !wp.Triggered {
			continue
		}
		wr := &report.WorkflowResult{File: wp.File, Name: wp.Name, Jobs: []*report.JobResult{}, Errors: []string{}}
		byID := map[string]*group{}
		var nodes []*node
		for _, jp := range wp.Jobs {
			id := groupID(jp)
			g := byID[id]
			if g == nil {
				gctx, cancel := context.WithCancelCause(ctx)
				g = &group{id: id, ctx: gctx, cancel: cancel, done: make(chan struct{}), failFast: jp.Strategy.FailFast}
				if jp.Strategy.MaxParallel > 0 {
					g.slots = newSlots(jp.Strategy.MaxParallel)
				}
				byID[id] = g
				groups = append(groups, g)
			}
			// Cells of a deferred matrix take the orders after their node.
			n := &node{jp: jp, wp: wp, group: g, order: nextOrder}
			nextOrder += 1000
			g.nodes = append(g.nodes, n)
			nodes = append(nodes, n)
		}
		s := &scheduler{o: &o, slots: jobSlots, groups: byID, rep: rep, strict: strict, rules: p.Rules}
		for _, n := range nodes {
			n.group.wg.Add(1)
			all = append(all, n)
			go func(n *node) {
				defer n.group.wg.Done()
				s.runNode(ctx, n)
			}(n)
		}
		wfs = append(wfs, wfNodes{wr, nodes})
	}
	total := 0
	for _, n := range all {
		if n.jp.Status != plan.StatusDeferred {
			total++
		}
	}
	o.Sink.Send(progress.Event{Kind: progress.JobQueued, Time: time.Now(), Total: total})
	for _, g := range groups {
		go func(g *group) {
			g.wg.Wait()
			close(g.done)
		}(g)
	}
	for _, g := range groups {
		<-g.done
		g.cancel(nil)
	}
	for _, w := range wfs {
		w.wr.Jobs = append(w.wr.Jobs, jobResults(w.nodes)...)
		rep.Workflows = append(rep.Workflows, w.wr)
	}
	if o.Artifacts != nil {
		for _, a := range o.Artifacts.List() {
			rep.Artifacts = append(rep.Artifacts, report.Artifact{Name: a.Name, Files: a.Files, Size: a.Size, Path: artifactDir(o)})
		}
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	report.Conclude(rep)
	maskReport(rep, o.Masker)
	return rep
}

// jobResults are the nodes' results in plan order, with the cells of a
// matrix job skipped by its if: or its needs as one result under the job's
// unexpanded name: GitHub decides those before it expands the matrix.
func jobResults(nodes []*node) []*report.JobResult {
	var out []*report.JobResult
	for i := 0; i < len(nodes); {
		k := i + 1
		for k < len(nodes) && nodes[k].group == nodes[i].group && nodes[k].jp.Cell != nil {
			k++
		}
		cells := nodes[i:k]
		if collapsible(cells) {
			jps := make([]*plan.JobPlan, len(cells))
			for c, n := range cells {
				jps[c] = n.jp
			}
			r := *cells[0].results[0]
			job := plan.Collapsed(jps)
			r.Key, r.Name, r.Matrix = job.Key, job.Name, nil
			out = append(out, &r)
		} else {
			for _, n := range cells {
				out = append(out, n.results...)
			}
		}
		i = k
	}
	return out
}

// collapsible: every node is one matrix cell, skipped before its matrix
// was expanded, for the same reason.
func collapsible(cells []*node) bool {
	for _, n := range cells {
		if n.jp.Cell == nil || len(n.results) != 1 {
			return false
		}
		r := n.results[0]
		if r.Conclusion != report.Skipped || !plan.SkippedBeforeMatrix(r.Reason) || r.Reason != cells[0].results[0].Reason {
			return false
		}
	}
	return true
}

// groupID is the id other jobs name in needs.
func groupID(jp *plan.JobPlan) string {
	if i := strings.LastIndex(jp.Key, "/"); i >= 0 {
		return strings.ToLower(jp.Key[:i+1] + jp.ID)
	}
	return strings.ToLower(jp.ID)
}

type scheduler struct {
	o      *Options
	slots  *slots // --jobs
	groups map[string]*group
	rep    *report.Report
	// strict knows the secrets and ::add-mask:: values as the runner does,
	// without the JSON-leaf extras of o.Masker: it decides which job outputs
	// "may contain secret" (a leaf such as "prod" must not drop outputs).
	strict *mask.Masker
	// rules place cells expanded at run time as the plan placed the others.
	rules plan.Rules
}

func (s *scheduler) containsSecret(v string) bool { return s.strict.Mask(v) != v }

// needRef is one entry of a job's needs: the id as written, and the
// groups it waits for. A need naming a job that calls a reusable workflow
// waits for every job of the called workflow.
type needRef struct {
	id     string
	groups []*group
	// called is set when the need is a job calling a reusable workflow.
	called bool
}

func (s *scheduler) needsOf(n *node) []needRef {
	var out []needRef
	for _, id := range n.jp.Needs {
		key := strings.ToLower(id)
		ref := needRef{id: id[strings.LastIndex(id, "/")+1:]}
		if g, ok := s.groups[key]; ok {
			ref.groups = []*group{g}
		} else {
			for gid, g := range s.groups {
				if strings.HasPrefix(gid, key+"/") {
					ref.groups = append(ref.groups, g)
					ref.called = true
				}
			}
		}
		out = append(out, ref)
	}
	return out
}

// needResult is needs.<id> for one need: GitHub's aggregate over the cells.
type needResult struct {
	result  string
	outputs map[string]string
}

func (g *group) aggregate() needResult {
	res := needResult{result: "success", outputs: map[string]string{}}
	allSkipped := true
	for _, n := range g.nodes {
		for _, r := range n.results {
			switch r.Conclusion {
			case report.Failure:
				// A job with continue-on-error that failed is a success
				// to the jobs that need it: GitHub's needs.<id>.result
				// says "success" and its dependents run.
				if !r.ContinueOnError {
					res.result = "failure"
				}
			case report.Cancelled:
				if res.result != "failure" {
					res.result = "cancelled"
				}
			}
			if r.Conclusion != report.Skipped {
				allSkipped = false
			}
		}
		// Matrix cells share the job's outputs; the last cell to set one wins.
		for k, v := range n.outputs {
			res.outputs[k] = v
		}
	}
	if allSkipped && res.result == "success" {
		res.result = "skipped"
	}
	return res
}

func (s *scheduler) runNode(ctx context.Context, n *node) {
	needs := s.needsOf(n)
	// A cancelled run still waits for the needs to end (they run their
	// always() steps and end soon): a job with always() after them starts
	// then. Only a hard stop gives up waiting.
	for _, ref := range needs {
		for _, g := range ref.groups {
			select {
			case <-g.done:
			case <-s.o.Hard.Done():
			}
		}
	}
	needsCtx := expr.NewObject()
	allSucceeded, anyFailed := true, false
	for _, ref := range needs {
		r, ok := s.needEntry(ref)
		if !ok {
			allSucceeded = false
			continue
		}
		outs := expr.NewObject()
		for k, v := range r.outputs {
			outs.Set(k, v)
		}
		entry := expr.NewObject()
		entry.Set("result", r.result)
		entry.Set("outputs", outs)
		needsCtx.Set(ref.id, entry)
		if r.result != "success" {
			allSucceeded = false
		}
		if r.result == "failure" {
			anyFailed = true
		}
	}
	// success() and failure() of a job look at every job before it, not
	// only its direct needs (actions/runner#2205): a job after an always()
	// job that followed a failure is still skipped.
	for _, g := range s.ancestors(needs) {
		select {
		case <-g.done:
		default: // still running: the run was interrupted
			allSucceeded = false
			continue
		}
		switch g.aggregate().result {
		case "success":
		case "failure":
			allSucceeded, anyFailed = false, true
		default:
			allSucceeded = false
		}
	}
	cancelled := ctx.Err() != nil
	st := status{success: allSucceeded && !cancelled, failure: anyFailed, cancelled: cancelled}

	if n.jp.Callee != nil {
		s.resolveCall(n, needsCtx)
	}
	if n.jp.Status == plan.StatusDeferred {
		s.runDeferred(ctx, n, needsCtx, st)
		return
	}
	n.results = []*report.JobResult{s.runCell(ctx, n, n.jp, n.order, needsCtx, st)}
}

// ancestors are the groups of every job before the needs given (their
// needs, transitively), all done by the time the needs are.
func (s *scheduler) ancestors(needs []needRef) []*group {
	seen := map[*group]bool{}
	var out []*group
	queue := append([]needRef(nil), needs...)
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		for _, g := range ref.groups {
			if seen[g] {
				continue
			}
			seen[g] = true
			out = append(out, g)
			if len(g.nodes) > 0 {
				queue = append(queue, s.needsOf(g.nodes[0])...)
			}
		}
	}
	return out
}

// needEntry is needs.<id> once the need is done; false while it is not
// (the run was interrupted before it finished).
func (s *scheduler) needEntry(ref needRef) (needResult, bool) {
	for _, g := range ref.groups {
		select {
		case <-g.done:
		default:
			return needResult{}, false
		}
	}
	if !ref.called {
		if len(ref.groups) == 0 {
			return needResult{result: "skipped", outputs: map[string]string{}}, true
		}
		return ref.groups[0].aggregate(), true
	}
	return calledResult(ref.groups), true
}

// calledResult is needs.<caller> for a job that called a reusable
// workflow: the worst result of the called jobs, and the outputs the
// called workflow declares under on.workflow_call.outputs, evaluated with
// its jobs context.
func calledResult(groups []*group) needResult {
	res := needResult{result: "success", outputs: map[string]string{}}
	jobs := expr.NewObject()
	allSkipped := true
	var callee *workflow.Workflow
	for _, g := range groups {
		r := g.aggregate()
		switch {
		case r.result == "failure":
			res.result = "failure"
		case r.result == "cancelled" && res.result != "failure":
			res.result = "cancelled"
		}
		if r.result != "skipped" {
			allSkipped = false
		}
		outs := expr.NewObject()
		for k, v := range r.outputs {
			outs.Set(k, v)
		}
		entry := expr.NewObject()
		entry.Set("result", r.result)
		entry.Set("outputs", outs)
		jobs.Set(g.nodes[0].jp.ID, entry)
		if callee == nil {
			callee = g.nodes[0].jp.Callee
		}
	}
	if allSkipped && res.result == "success" {
		res.result = "skipped"
	}
	if callee != nil && callee.Call != nil {
		env := &expr.Env{Contexts: map[string]expr.Value{"jobs": jobs}}
		for _, o := range callee.Call.Outputs {
			if v, err := expr.Interpolate(o.Value.Value, env); err == nil {
				res.outputs[o.Name] = expr.ToString(v)
			}
		}
	}
	return res
}

// status is what the status functions of a job's if: see.
type status struct{ success, failure, cancelled bool }

func (st status) funcs() expr.StatusFuncs {
	return expr.StatusFuncs{
		Success:   func() bool { return st.success },
		Failure:   func() bool { return st.failure },
		Cancelled: func() bool { return st.cancelled },
		Always:    func() bool { return true },
	}
}

func newResult(jp *plan.JobPlan) *report.JobResult {
	r := &report.JobResult{Key: jp.Key, ID: jp.ID, Name: jp.Name, Outputs: map[string]string{}, Steps: []*report.StepResult{}, Annotations: []report.Annotation{}, LogTail: []string{}}
	if jp.Cell != nil {
		r.Matrix = matrixValue(jp.Cell)
	}
	return r
}

// runCell decides whether a cell runs, waits for its slots, and runs it.
func (s *scheduler) runCell(ctx context.Context, n *node, jp *plan.JobPlan, order int, needsCtx *expr.Object, st status) *report.JobResult {
	res := newResult(jp)
	finish := func(c report.Conclusion, reason string) *report.JobResult {
		res.Conclusion, res.Reason = c, reason
		s.o.Sink.Send(progress.Event{Kind: progress.JobFinished, Time: time.Now(), JobKey: jp.Key, JobName: jp.Name, Workflow: n.wp.Name, Conclusion: c})
		return res
	}
	if done, c, reason := s.decide(n, jp, needsCtx, st, res); done {
		return finish(c, reason)
	}
	gctx := n.group.ctx
	// GitHub re-evaluates a job's if: when the run is cancelled: a job
	// whose if: holds then (always(), cancelled()) is not cancelled, and
	// one not started yet still starts. Only a hard stop ends it.
	if s.survivesCancel(n, jp, needsCtx, st) {
		var stop func() bool
		gctx, stop = detach(gctx, s.o.Hard)
		defer stop()
	}
	// max-parallel first: a cell waiting for its matrix's turn must not
	// hold one of the run's --jobs slots meanwhile.
	if err := n.group.slots.acquire(gctx, order); err != nil {
		return finish(report.Cancelled, causeText(gctx))
	}
	defer n.group.slots.release()
	if err := s.slots.acquire(gctx, order); err != nil {
		return finish(report.Cancelled, causeText(gctx))
	}
	defer s.slots.release()
	if gctx.Err() != nil {
		return finish(report.Cancelled, causeText(gctx))
	}
	jr := s.runJob(gctx, n, jp, needsCtx, res)
	res.ContinueOnError = jr.continueOnError
	if res.Conclusion == report.Failure && n.group.failFast && !jr.continueOnError {
		n.group.cancel(errFailFast)
	}
	n.outputsMu.Lock()
	if n.outputs == nil {
		n.outputs = map[string]string{}
	}
	for k, v := range jr.outputs {
		n.outputs[k] = v
	}
	n.outputsMu.Unlock()
	s.o.Sink.Send(progress.Event{Kind: progress.JobFinished, Time: time.Now(), JobKey: jp.Key, JobName: jp.Name, Workflow: n.wp.Name, Conclusion: res.Conclusion})
	return res
}

// decide settles a cell that will not run: planned away (not run
// locally, skipped), or its if: (default success()) false with its needs'
// results, or the if: of the job calling its reusable workflow false.
func (s *scheduler) decide(n *node, jp *plan.JobPlan, needsCtx *expr.Object, st status, res *report.JobResult) (bool, report.Conclusion, string) {
	switch jp.Status {
	case plan.StatusNotRunLocally:
		return true, report.NotRunLocally, jp.Reason
	case plan.StatusSkipped:
		return true, report.Skipped, jp.Reason
	}
	if n.inputsErr != nil {
		res.Annotations = append(res.Annotations, report.Annotation{Level: "error", File: n.wp.File, Line: jp.Caller.Pos.Line, Col: jp.Caller.Pos.Col, Message: n.inputsErr.Error()})
		return true, report.Failure, n.inputsErr.Error()
	}
	conds := []*workflow.Job{jp.Job}
	if jp.Caller != nil {
		conds = []*workflow.Job{jp.Caller, jp.Job}
	}
	for _, j := range conds {
		cond := j.If.Text()
		ok, err := expr.Condition(cond, &expr.Env{Contexts: s.jobIfContexts(n, jp, needsCtx), Status: st.funcs()})
		if err != nil {
			res.Annotations = append(res.Annotations, report.Annotation{Level: "error", File: n.wp.File, Line: j.Pos.Line, Col: j.Pos.Col, Message: fmt.Sprintf("error evaluating if: %v", err)})
			return true, report.Failure, fmt.Sprintf("if: %v", err)
		}
		if !ok {
			if st.cancelled {
				return true, report.Cancelled, "the run was cancelled before this job started"
			}
			if strings.TrimSpace(cond) == "" {
				return true, report.Skipped, "a job it needs did not succeed"
			}
			return true, report.Skipped, "if: " + strings.TrimSpace(cond) + " is false"
		}
	}
	return false, "", ""
}

// survivesCancel reports whether the cell's if: (and its caller's) still
// holds once the run is cancelled: only an if: with a status function can.
func (s *scheduler) survivesCancel(n *node, jp *plan.JobPlan, needsCtx *expr.Object, st status) bool {
	conds := []*workflow.Job{jp.Job}
	if jp.Caller != nil {
		conds = []*workflow.Job{jp.Caller, jp.Job}
	}
	cancelled := status{failure: st.failure, cancelled: true}
	for _, j := range conds {
		cond := j.If.Text()
		if !expr.UsesStatusFunction(cond) {
			return false
		}
		ok, err := expr.Condition(cond, &expr.Env{Contexts: s.jobIfContexts(n, jp, needsCtx), Status: cancelled.funcs()})
		if err != nil || !ok {
			return false
		}
	}
	return true
}

// runDeferred expands a matrix built from needs outputs now that they are
// known, and runs its cells as one group.
func (s *scheduler) runDeferred(ctx context.Context, n *node, needsCtx *expr.Object, st status) {
	jp := n.jp
	// GitHub decides the job's if: first and never expands the strategy of
	// a job it skips.
	res := newResult(jp)
	if done, c, reason := s.decide(n, jp, needsCtx, st, res); done {
		res.Conclusion, res.Reason = c, reason
		s.o.Sink.Send(progress.Event{Kind: progress.JobFinished, Time: time.Now(), JobKey: jp.Key, JobName: jp.Name, Workflow: n.wp.Name, Conclusion: c})
		n.results = []*report.JobResult{res}
		return
	}
	ctxs := s.jobIfContexts(n, jp, needsCtx)
	spec, err := resolveMatrix(jp.Job.Strategy.Matrix, &expr.Env{Contexts: ctxs})
	var cells []matrix.Cell
	if err == nil {
		cells, err = matrix.Expand(spec)
	}
	if err != nil {
		res.Conclusion, res.Reason = report.Failure, fmt.Sprintf("could not resolve the matrix: %v", err)
		res.Annotations = append(res.Annotations, report.Annotation{Level: "error", File: n.wp.File, Line: jp.Job.Strategy.Matrix.Pos.Line, Col: jp.Job.Strategy.Matrix.Pos.Col, Message: res.Reason})
		s.o.Sink.Send(progress.Event{Kind: progress.JobFinished, Time: time.Now(), JobKey: jp.Key, JobName: jp.Name, Workflow: n.wp.Name, Conclusion: res.Conclusion})
		n.results = []*report.JobResult{res}
		return
	}
	strategies := plan.Strategies(jp.Job, len(cells))
	if len(cells) == 0 {
		// As at plan time: a matrix with no combination runs the job once.
		cells = []matrix.Cell{{}}
	}
	results := make([]*report.JobResult, len(cells))
	var wg sync.WaitGroup
	for i, c := range cells {
		cp := *jp
		cp.Status = plan.StatusPlanned
		cp.Key = fmt.Sprintf("%s.%d", jp.Key, i+1)
		cp.Cell = c.Values
		cp.Strategy = strategies[i]
		cp.Name = jp.Job.DisplayName()
		if c.Values != nil {
			cp.Name = matrix.DisplayName(jp.Job.DisplayName(), jp.Job.Name.HasExpr(), c)
		}
		// Each cell runs where its own runs-on says (runs-on: ${{ matrix.os }}).
		cellCtx := s.jobIfContexts(n, &cp, needsCtx)
		cp.RunsOn = plan.RunsOn(jp.Job, cellCtx)
		// The same rules as the plan's cells: placement, the deploy guard,
		// container: and services:. The job's if: already held.
		cp.IfState = ""
		s.rules.Classify(&cp, cellCtx)
		wg.Add(1)
		go func(i int, cp *plan.JobPlan) {
			defer wg.Done()
			results[i] = s.runCell(ctx, n, cp, n.order+i, needsCtx, st)
		}(i, &cp)
	}
	wg.Wait()
	n.results = results
}

func causeText(ctx context.Context) string {
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
		return c.Error()
	}
	return "the run was cancelled"
}

func artifactDir(o Options) string {
	if o.Run == nil {
		return ""
	}
	return filepath.Join(o.Run.Dir, "artifacts")
}

package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/progress"
	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/step"
	"github.com/rehearse-dev/rehearse/emulate/valuejson"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// ErrCancelled is the cause the command gives the run's context on the
// first Ctrl-C: the run is cancelled as GitHub cancels one. Job-level if:
// is evaluated again (a job whose if: holds once cancelled, like always(),
// goes on or still starts); the other jobs' running steps are stopped
// (SIGINT, SIGTERM, SIGKILL) and their always() and cancelled() steps run.
var ErrCancelled = errors.New("the run was cancelled")

// ErrInterrupted is the cause of a hard stop ([Options.Hard]): nothing
// starts any more, not even always() steps.
var ErrInterrupted = errors.New("interrupted")

var (
	errJobTimeout  = errors.New("job timed out")
	errStepTimeout = errors.New("step timed out")
)

// jobRun is one job cell while it runs. Only its goroutine touches it.
type jobRun struct {
	// stepsDone is set once the job's steps have run: the executor's last
	// words (orphan processes) belong to "Complete job".
	stepsDone atomic.Bool
	s         *scheduler
	n         *node
	jp        *plan.JobPlan
	needs     *expr.Object
	res       *report.JobResult

	outputs         map[string]string
	continueOnError bool

	dirs workspace.JobDirs
	job  executor.Job
	log  *jobLog
	// env is the workflow and job env plus what steps wrote to GITHUB_ENV.
	env      map[string]string
	envOrder []string
	// path is the GITHUB_PATH list, most recent first.
	path  []string
	steps *expr.Object
	// failed and cancelled make up job.status.
	failed, cancelled bool
	posts             []post
	summary           strings.Builder
	wf                *workflow.Workflow
	// actionPath is the directory of the composite action whose steps are
	// running, for GITHUB_ACTION_PATH; empty outside one.
	actionPath string
	// actionDepth is how many composite actions the current step is in.
	actionDepth int
	// warnedTools are the host tools already warned about in this job.
	warnedTools map[string]bool
	// gh is the job's github context, built once (see github).
	gh *expr.Object
	// eventPath is GITHUB_EVENT_PATH in the job, once written.
	eventPath string
	// ctx is the job's context, for work started from expression
	// evaluation (hashFiles), which has none of its own.
	ctx context.Context
}

type post struct {
	name string
	run  func(ctx context.Context) error
}

func (jr *jobRun) status() string {
	switch {
	case jr.cancelled:
		return "cancelled"
	case jr.failed:
		return "failure"
	}
	return "success"
}

func (jr *jobRun) run(ctx context.Context) {
	o := jr.s.o
	start := time.Now()
	jr.outputs = map[string]string{}
	jr.steps = expr.NewObject()
	jr.env = map[string]string{}
	jr.wf = jr.n.wp.Workflow
	if jr.jp.Callee != nil {
		jr.wf = jr.jp.Callee
	}
	defer func() { jr.res.DurationMS = time.Since(start).Milliseconds() }()
	o.Sink.Send(progress.Event{Kind: progress.JobStarted, Time: start, JobKey: jr.jp.Key, JobName: jr.jp.Name, Workflow: jr.n.wp.Name})

	var err error
	jr.dirs, err = o.Run.Job(jr.n.wp.File, jr.jp.Key)
	if err != nil {
		jr.fail(fmt.Sprintf("could not prepare the job's directories: %v", err))
		return
	}
	jr.res.LogFile = o.Run.LogFile(jr.n.wp.File, jr.jp.Key)
	jr.log, err = openJobLog(jr.res.LogFile, o.Masker, o.Sink, jr.jp.Key, jr.jp.Name, jr.n.wp.Name)
	if err != nil {
		jr.fail(err.Error())
		return
	}
	defer jr.log.close()

	for _, note := range jr.jp.HostNotes {
		jr.log.line("", "##[warning]"+note)
		jr.annotate("warning", note)
	}
	// Job-level settings are evaluated before the job has a machine: no
	// runner, env or steps context yet, as on GitHub.
	base := jr.contexts(ctx)
	jr.continueOnError = jr.flag(jr.jp.Job.ContinueOnError, base)
	timeout := 360 * o.minute()
	if t := jr.jp.Job.TimeoutMinutes; t != nil {
		timeout = jr.minutes(t, base, timeout)
	}
	jctx, cancel := context.WithTimeoutCause(ctx, timeout, errJobTimeout)
	defer cancel()
	jr.ctx = jctx

	ex := o.Executors[jr.jp.Runner]
	if ex == nil {
		jr.fail(fmt.Sprintf("no %q executor in this run (rehearse error: the plan placed the job there)", jr.jp.Runner))
		return
	}
	jr.log.line("", "Set up job: "+jr.jp.Runner+" executor"+imageNote(jr.jp.Image))
	o.Sink.Send(progress.Event{Kind: progress.StepStarted, Time: time.Now(), JobKey: jr.jp.Key, JobName: jr.jp.Name, Workflow: jr.n.wp.Name, Step: "Set up job"})
	spec, err := jr.jobSpec(ctx, base)
	if err != nil {
		jr.fail(err.Error())
		return
	}
	jr.job, err = ex.StartJob(jctx, spec)
	if err != nil {
		if ctx.Err() != nil {
			// Cancelled (Ctrl-C, fail-fast) before the job had a machine,
			// waiting for a builder of several or while its container was
			// made: as a cell cancelled while it waited for a slot.
			jr.cancelled = true
			jr.res.Conclusion, jr.res.Reason = report.Cancelled, causeText(ctx)
			return
		}
		jr.fail(fmt.Sprintf("could not start the job on the %s executor: %v", ex.Name(), err))
		return
	}
	defer jr.job.Close(context.WithoutCancel(ctx))
	info := jr.job.Info()
	jr.res.Executor, jr.res.Builder, jr.res.Image = info.Executor, info.Builder, info.Image
	if ev := jr.n.event(o); ev != nil && ev.Payload != nil {
		if payload, err := valuejson.Marshal(ev.Payload); err == nil {
			p := filepath.Join(jr.job.Paths().Temp, "_github_workflow", "event.json")
			if jr.job.WriteFile(jctx, p, payload, 0o644) == nil {
				jr.eventPath = p
			}
		}
	}

	// Workflow env, then job env: each level may read the contexts, and
	// the job level overrides the workflow level.
	for _, level := range []workflow.Env{jr.wf.Env, jr.jp.Job.Env} {
		vars, err := jr.evalEnv(level, jr.contexts(ctx))
		if err != nil {
			jr.fail(err.Error())
			return
		}
		for _, kv := range vars {
			jr.setEnv(kv[0], kv[1])
		}
	}

	for i, s := range jr.jp.Job.Steps {
		var sp *plan.StepPlan
		if i < len(jr.jp.Steps) {
			sp = jr.jp.Steps[i]
		}
		jr.res.Steps = append(jr.res.Steps, jr.runStep(jctx, s, sp))
	}
	jr.stepsDone.Store(true)
	// Post steps (actions/cache save) run in reverse order, as the runner's
	// post-job steps do; they run only when the job succeeded so far.
	for i := len(jr.posts) - 1; i >= 0; i-- {
		p := jr.posts[i]
		if jr.status() != "success" {
			continue
		}
		sr := &report.StepResult{Name: p.name, Outputs: map[string]string{}}
		t0 := time.Now()
		jr.log.line(p.name, "##[group]"+p.name)
		if err := p.run(jctx); err != nil {
			jr.log.line(p.name, "##[warning]"+err.Error())
			jr.annotate("warning", err.Error())
		}
		jr.log.line(p.name, "##[endgroup]")
		sr.Outcome, sr.Conclusion, sr.DurationMS = report.Success, report.Success, time.Since(t0).Milliseconds()
		jr.res.Steps = append(jr.res.Steps, sr)
	}

	switch {
	case errors.Is(context.Cause(jctx), errJobTimeout):
		msg := fmt.Sprintf("The job running on runner rehearse has exceeded the maximum execution time of %s.", minutesText(timeout, o.minute()))
		jr.annotate("error", msg)
		jr.res.Conclusion, jr.res.Reason = report.Failure, msg
	case jr.cancelled || ctx.Err() != nil: // cancelled (fail-fast, Ctrl-C), even if its always() steps succeeded
		jr.res.Conclusion, jr.res.Reason = report.Cancelled, causeText(ctx)
	case jr.failed && jr.continueOnError:
		// continue-on-error: the job fails, but its workflow does not.
		jr.res.Conclusion, jr.res.Reason = report.Failure, "failed, with continue-on-error"
	case jr.failed:
		jr.res.Conclusion = report.Failure
	default:
		jr.res.Conclusion = report.Success
	}
	jr.jobOutputs(ctx)
	jr.res.Summary = jr.summary.String()
	for k, v := range jr.outputs {
		jr.res.Outputs[k] = v
	}
}

// fail ends a job that could not even start its steps.
func (jr *jobRun) fail(msg string) {
	jr.failed = true
	jr.res.Conclusion, jr.res.Reason = report.Failure, msg
	jr.annotate("error", msg)
}

func (jr *jobRun) annotate(level, msg string) {
	jr.res.Annotations = append(jr.res.Annotations, report.Annotation{Level: level, Message: jr.s.o.Masker.Mask(msg)})
}

// minutesText is a timeout as the runner words it in its messages: "1
// minutes", "360 minutes" (a plain {0} minutes format, never singular).
func minutesText(d, minute time.Duration) string {
	m := float64(d) / float64(minute)
	if m == float64(int(m)) {
		return fmt.Sprintf("%d minutes", int(m))
	}
	return fmt.Sprintf("%.1f minutes", m)
}

// contexts are the contexts of expressions inside the job.
func (jr *jobRun) contexts(ctx context.Context) map[string]expr.Value {
	c := jr.s.baseContexts(jr.n, jr.jp, jr.needs, jr.github())
	c["env"] = jr.envContext()
	c["steps"] = jr.steps
	if jr.job != nil {
		c["runner"] = runnerContext(jr.job, jr.s.o.Debug)
	}
	job := expr.NewObject()
	st := jr.status()
	if ctx.Err() != nil && !jr.failed {
		st = "cancelled"
	}
	job.Set("status", st)
	job.Set("container", expr.NewObject())
	job.Set("services", expr.NewObject())
	c["job"] = job
	return c
}

func (jr *jobRun) setEnv(k, v string) {
	if _, ok := jr.env[k]; !ok {
		jr.envOrder = append(jr.envOrder, k)
	}
	jr.env[k] = v
}

// evalEnv evaluates an env: block into ordered pairs.
func (jr *jobRun) evalEnv(e workflow.Env, ctxs map[string]expr.Value) ([][2]string, error) {
	env := &expr.Env{Contexts: ctxs}
	var out [][2]string
	if e.Expr != nil {
		v, err := expr.Interpolate(e.Expr.Value, env)
		if err != nil {
			return nil, jr.posErr(e.Expr.Pos, "env", err)
		}
		if obj, ok := v.(*expr.Object); ok {
			obj.Range(func(k string, v expr.Value) bool {
				out = append(out, [2]string{k, expr.ToString(v)})
				return true
			})
		}
		return out, nil
	}
	for _, kv := range e.Vars {
		v, err := expr.Interpolate(kv.Value.Value, env)
		if err != nil {
			return nil, jr.posErr(kv.Value.Pos, "env."+kv.Name, err)
		}
		out = append(out, [2]string{kv.Name, expr.ToString(v)})
	}
	return out, nil
}

func (jr *jobRun) posErr(p workflow.Pos, what string, err error) error {
	return fmt.Errorf("%s:%d:%d: could not evaluate %s: %v", jr.wf.Path, p.Line, p.Col, what, err)
}

// flag evaluates continue-on-error style settings.
func (jr *jobRun) flag(f *workflow.Flag, ctxs map[string]expr.Value) bool {
	if f == nil {
		return false
	}
	if f.Expr == nil {
		return f.Value
	}
	v, err := expr.Interpolate(f.Expr.Value, &expr.Env{Contexts: ctxs})
	if err != nil {
		return false
	}
	return expr.Truthy(v)
}

// minutes evaluates a timeout-minutes setting.
func (jr *jobRun) minutes(n *workflow.Number, ctxs map[string]expr.Value, def time.Duration) time.Duration {
	val := n.Value
	if n.Expr != nil {
		v, err := expr.Interpolate(n.Expr.Value, &expr.Env{Contexts: ctxs})
		if err != nil {
			return def
		}
		val = expr.ToNumber(v)
	}
	if val <= 0 || val != val {
		return def
	}
	return time.Duration(val * float64(jr.s.o.minute()))
}

// jobOutputs evaluates jobs.<id>.outputs as the runner's FinalizeJob does:
// an output that cannot be evaluated fails the job, an empty one is not
// set (so another matrix cell's value stands), and one that contains a
// secret is not passed on.
func (jr *jobRun) jobOutputs(ctx context.Context) {
	ctxs := jr.contexts(ctx)
	for _, out := range jr.jp.Job.Outputs {
		v, err := expr.Interpolate(out.Value.Value, &expr.Env{Contexts: ctxs})
		if err != nil {
			msg := fmt.Sprintf("Fail to evaluate job output %q: %v", out.Name, err)
			jr.annotate("error", msg)
			jr.failed = true
			if jr.res.Conclusion == report.Success {
				jr.res.Conclusion = report.Failure
			}
			continue
		}
		s := expr.ToString(v)
		if s == "" {
			continue
		}
		if jr.s.containsSecret(s) {
			jr.annotate("warning", fmt.Sprintf("Skip output '%s' since it may contain secret.", out.Name))
			continue
		}
		jr.outputs[out.Name] = s
	}
}

// stepEnv is the environment of a process: rehearse's defaults, the
// user's --env, the job env, the step env, then PATH with GITHUB_PATH.
func (jr *jobRun) stepEnv(extra [][2]string, files map[string]string) []string {
	m := jr.job.Env()
	for k, v := range jr.defaultEnv() {
		m[k] = v
	}
	for k, v := range files {
		m[k] = v
	}
	for k, v := range jr.s.o.Env {
		m[k] = v
	}
	for _, k := range jr.envOrder {
		m[k] = jr.env[k]
	}
	for _, kv := range extra {
		m[kv[0]] = kv[1]
	}
	// GITHUB_PATH entries (oldest first in jr.path) go before PATH, the
	// newest first, as the runner prepends them.
	m["PATH"] = step.PathEnv(jr.job.Platform().OS, jr.path, m["PATH"])
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// defaultEnv is the runner's default environment of every step
// (docs: "Variables reference", default environment variables).
func (jr *jobRun) defaultEnv() map[string]string {
	gh := jr.github()
	get := func(k string) string {
		v, _ := gh.Get(k)
		if s, ok := v.(string); ok {
			return s
		}
		return expr.ToString(v)
	}
	paths, platform, info := jr.job.Paths(), jr.job.Platform(), jr.job.Info()
	env := map[string]string{
		"CI":                      "true",
		"GITHUB_ACTIONS":          "true",
		"GITHUB_WORKSPACE":        paths.Workspace,
		"RUNNER_TEMP":             paths.Temp,
		"RUNNER_TOOL_CACHE":       paths.ToolCache,
		"RUNNER_OS":               platform.OS,
		"RUNNER_ARCH":             platform.Arch,
		"RUNNER_NAME":             "rehearse",
		"RUNNER_ENVIRONMENT":      info.Environment,
		"GITHUB_JOB":              jr.jp.ID,
		"GITHUB_ACTION":           "",
		"GITHUB_ACTOR":            get("actor"),
		"GITHUB_TRIGGERING_ACTOR": get("triggering_actor"),
		"GITHUB_REPOSITORY":       get("repository"),
		"GITHUB_REPOSITORY_OWNER": get("repository_owner"),
		"GITHUB_EVENT_NAME":       get("event_name"),
		"GITHUB_SHA":              get("sha"),
		"GITHUB_REF":              get("ref"),
		"GITHUB_REF_NAME":         get("ref_name"),
		"GITHUB_REF_TYPE":         get("ref_type"),
		"GITHUB_HEAD_REF":         get("head_ref"),
		"GITHUB_BASE_REF":         get("base_ref"),
		"GITHUB_RUN_ID":           get("run_id"),
		"GITHUB_RUN_NUMBER":       get("run_number"),
		"GITHUB_RUN_ATTEMPT":      get("run_attempt"),
		"GITHUB_WORKFLOW":         jr.n.wp.Workflow.Name,
		"GITHUB_WORKFLOW_REF":     get("workflow_ref"),
		"GITHUB_SERVER_URL":       get("server_url"),
		"GITHUB_API_URL":          get("api_url"),
		"GITHUB_GRAPHQL_URL":      get("graphql_url"),
		"GITHUB_RETENTION_DAYS":   "90",
		"ImageOS":                 info.ImageOS,
		"HOME":                    paths.Home,
	}
	if jr.actionPath != "" {
		env["GITHUB_ACTION_PATH"] = jr.actionPath
	}
	if jr.eventPath != "" {
		env["GITHUB_EVENT_PATH"] = jr.eventPath
	}
	if jr.s.o.Debug {
		env["RUNNER_DEBUG"] = "1"
	}
	return env
}

// github is the job's github context. Every step's contexts and default
// environment read it, so it is built once per job, not once per step.
// Before the job has started (job-level settings) its workspace is the
// repository's, as at plan time.
func (jr *jobRun) github() *expr.Object {
	if jr.job == nil {
		return jr.s.githubContext(jr.n, jr.jp, jr.s.o.Root)
	}
	if jr.gh == nil {
		jr.gh = jr.s.githubContext(jr.n, jr.jp, jr.job.Paths().Workspace)
	}
	return jr.gh
}

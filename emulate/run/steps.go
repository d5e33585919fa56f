package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/progress"
	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/step"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// stepRun is what one step produced.
type stepRun struct {
	outcome report.Conclusion
	reason  string
	outputs map[string]string
}

// stepScope is what sets a job's own steps apart from the steps of a
// composite action one of them uses. Both run through [jobRun.step], the
// runner's step semantics (StepsRunner, CompositeActionHandler); the steps
// context each writes is jr.steps, which runComposite swaps for the
// action's own while its steps run.
type stepScope struct {
	// contexts are the contexts of the step before its own env: the job's,
	// or for an action's steps the job's with the action's inputs and
	// github.action_path.
	contexts func(ctx context.Context) map[string]expr.Value
	// outer is the env of the step that uses the action, under each of the
	// action's steps' own env; nil for the job's steps, which see the job's
	// env through the env context.
	outer [][2]string
	// failed is the status that success() and failure() read and that a
	// failed step sets: the job's, or the action's (github.action_status).
	failed *bool
	// cancelled is what a cancelled step sets: the job's cancelled status;
	// for an action, its failure, as the calling step fails with it.
	cancelled *bool
	// prefix goes before an action's step names ("<calling step> / "), so
	// its lines are logged within the calling step.
	prefix string
	// nested is true for an action's steps. They are part of their
	// calling step, not steps of the report: no progress events of their
	// own, and they live as long as the calling step, whose context they
	// run under (only a job's own step outlives a cancelled job).
	nested bool
}

// jobSteps is the scope of the job's own steps.
func (jr *jobRun) jobSteps() *stepScope {
	return &stepScope{contexts: jr.contexts, failed: &jr.failed, cancelled: &jr.cancelled}
}

// stepDone is a step's result: its evaluated name, what it produced and
// its conclusion after continue-on-error.
type stepDone struct {
	name string
	stepRun
	conclusion report.Conclusion
}

// runStep runs one of the job's steps and reports it.
func (jr *jobRun) runStep(ctx context.Context, s *workflow.Step, sp *plan.StepPlan) *report.StepResult {
	start := time.Now()
	jr.log.resetTail()
	d := jr.step(ctx, jr.jobSteps(), s, sp, fmt.Sprintf("%s:%d:%d", jr.wf.Path, s.Pos.Line, s.Pos.Col))
	sr := &report.StepResult{Name: d.name, ID: s.ID.Text(), Outcome: d.outcome, Conclusion: d.conclusion, Reason: d.reason, Outputs: map[string]string{}}
	for k, v := range d.outputs {
		sr.Outputs[k] = jr.s.o.Masker.Mask(v)
	}
	if d.conclusion == report.Failure && jr.res.FailedStep == "" {
		jr.res.FailedStep = sr.Name
		jr.res.LogTail = jr.log.lastLines()
	}
	sr.DurationMS = time.Since(start).Milliseconds()
	return sr
}

// step runs one step with the runner's semantics: if: with the scope's
// status, name evaluation, timeout-minutes, continue-on-error, outcome and
// conclusion, and the steps context. where places the step in an error
// message. sp is the plan's verdict on a job's step (nil in an action).
func (jr *jobRun) step(ctx context.Context, sc *stepScope, s *workflow.Step, sp *plan.StepPlan, where string) stepDone {
	start := time.Now()
	// The step's own env: is evaluated first and is part of the env
	// context of its if:, name, run: and with: (actions/runner StepsRunner
	// merges it before evaluating the condition).
	ctxs, stepEnv, envErr := jr.stepContexts(sc.contexts(ctx), sc.outer, s)
	name := s.DisplayName()
	// The generated "Run <first line>" name is a template too, as the
	// runner evaluates a step's display name.
	if strings.Contains(name, "${{") {
		if v, err := expr.Interpolate(name, &expr.Env{Contexts: ctxs}); err == nil {
			name = workflow.OneLine(expr.ToString(v))
		}
	}
	d := stepDone{name: jr.s.o.Masker.Mask(sc.prefix + name)}
	name = d.name

	cancelled := ctx.Err() != nil
	interrupted := jr.s.o.Hard.Err() != nil
	funcs := expr.StatusFuncs{
		Success:   func() bool { return !*sc.failed && !cancelled },
		Failure:   func() bool { return *sc.failed },
		Cancelled: func() bool { return cancelled },
		Always:    func() bool { return true },
	}
	run, err := expr.Condition(s.If.Text(), &expr.Env{Contexts: ctxs, Status: funcs})
	if envErr != nil {
		run, err = true, envErr
	}
	switch {
	case err != nil:
		msg := fmt.Sprintf("%s: could not evaluate if: %v", where, err)
		jr.log.line(name, "##[error]"+msg)
		jr.annotate("error", msg)
		return jr.finish(sc, s, d, ctxs, stepRun{outcome: report.Failure, reason: msg})
	case !run || interrupted:
		d.outcome, d.conclusion = report.Skipped, report.Skipped
		if interrupted {
			d.reason = "the run was interrupted"
		} else {
			d.reason = "if: " + strings.TrimSpace(s.If.Text()) + " is false"
			switch {
			case s.If.Text() != "":
			case cancelled:
				// The implicit success() is false because the job was
				// stopped (job timeout, fail-fast), not because a step failed.
				d.reason = causeText(ctx)
			default:
				d.reason = "an earlier step failed"
			}
		}
		jr.setStepContext(s, report.Skipped, report.Skipped, nil)
		return d
	}
	if sp != nil && sp.Skip {
		jr.log.line(name, "Skipping "+name+": "+sp.Note)
		d.outcome, d.conclusion, d.reason = report.Skipped, report.Skipped, sp.Note
		jr.annotate("warning", fmt.Sprintf("step %q: %s", name, sp.Note))
		jr.setStepContext(s, report.Skipped, report.Skipped, nil)
		return d
	}
	// A cancelled job still runs always()/cancelled() steps, and a step
	// already running when the job is cancelled (fail-fast, timeout) goes
	// on if its if: still holds once cancelled, as the runner re-evaluates
	// it (StepsRunner); a hard stop ends everything.
	sctx := ctx
	if !sc.nested && (cancelled || jr.survivesCancel(sc, s, ctxs)) {
		var stop func() bool
		sctx, stop = detach(ctx, jr.s.o.Hard)
		defer stop()
	}
	if t := s.TimeoutMinutes; t != nil {
		var cancel context.CancelFunc
		sctx, cancel = context.WithTimeoutCause(sctx, jr.minutes(t, ctxs, 360*jr.s.o.minute()), errStepTimeout)
		defer cancel()
	}
	if !sc.nested {
		jr.s.o.Sink.Send(progress.Event{Kind: progress.StepStarted, Time: start, JobKey: jr.jp.Key, JobName: jr.jp.Name, Workflow: jr.n.wp.Name, Step: name})
	}
	var r stepRun
	if s.Uses != nil {
		r = jr.runAction(sctx, s, name, ctxs, stepEnv)
	} else {
		r = jr.runScript(sctx, s, name, ctxs, stepEnv)
	}
	if errors.Is(context.Cause(sctx), errStepTimeout) {
		msg := fmt.Sprintf("The action '%s' has timed out after %s.", name, minutesText(jr.minutes(s.TimeoutMinutes, ctxs, 0), jr.s.o.minute()))
		jr.log.line(name, "##[error]"+msg)
		jr.annotate("error", msg)
		r.outcome, r.reason = report.Failure, msg
	} else if ctx.Err() != nil && !cancelled && r.outcome != report.Success {
		r.outcome, r.reason = report.Cancelled, causeText(ctx)
	}
	d = jr.finish(sc, s, d, ctxs, r)
	if !sc.nested {
		jr.s.o.Sink.Send(progress.Event{Kind: progress.StepFinished, Time: time.Now(), JobKey: jr.jp.Key, JobName: jr.jp.Name, Workflow: jr.n.wp.Name, Step: name, Conclusion: d.conclusion})
	}
	return d
}

// finish applies continue-on-error and records the step's result in the
// scope's status and the steps context.
func (jr *jobRun) finish(sc *stepScope, s *workflow.Step, d stepDone, ctxs map[string]expr.Value, r stepRun) stepDone {
	d.stepRun, d.conclusion = r, r.outcome
	switch r.outcome {
	case report.Failure:
		if continueOnError(s.ContinueOnError, ctxs) {
			d.conclusion = report.Success
		} else {
			*sc.failed = true
		}
	case report.Cancelled:
		*sc.cancelled = true
	}
	jr.setStepContext(s, d.outcome, d.conclusion, r.outputs)
	return d
}

// continueOnError evaluates a step's continue-on-error. An expression's
// string is true only when it says true: an action's inputs are strings,
// and "false" must not count as a non-empty, truthy string.
func continueOnError(f *workflow.Flag, ctxs map[string]expr.Value) bool {
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
	if s, ok := v.(string); ok {
		return strings.EqualFold(s, "true")
	}
	return expr.Truthy(v)
}

func (jr *jobRun) setStepContext(s *workflow.Step, outcome, conclusion report.Conclusion, outputs map[string]string) {
	if s.ID == nil || s.ID.Value == "" {
		return
	}
	o := expr.NewObject()
	outs := expr.NewObject()
	for k, v := range outputs {
		outs.Set(k, v)
	}
	o.Set("outputs", outs)
	o.Set("outcome", string(outcome))
	o.Set("conclusion", string(conclusion))
	jr.steps.Set(s.ID.Value, o)
}

// fileCommands creates the step's GITHUB_ENV, GITHUB_OUTPUT, GITHUB_PATH,
// GITHUB_STEP_SUMMARY and GITHUB_STATE files, empty, as the runner does
// for every step.
func (jr *jobRun) fileCommands(ctx context.Context, index int) (map[string]string, error) {
	dir := filepath.Join(jr.job.Paths().Temp, "_runner_file_commands")
	files := map[string]string{}
	for _, n := range []string{"GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"} {
		p := filepath.Join(dir, fmt.Sprintf("%s_%d", strings.ToLower(strings.TrimPrefix(n, "GITHUB_")), index))
		if err := jr.job.WriteFile(ctx, p, nil, 0o644); err != nil {
			return nil, err
		}
		files[n] = p
	}
	return files, nil
}

// readFileCommands applies what the step wrote to its files. The runner
// does this even when the step failed.
func (jr *jobRun) readFileCommands(ctx context.Context, name string, files map[string]string, r *stepRun) {
	// Read even when the step was cancelled: the runner does.
	ctx = context.WithoutCancel(ctx)
	osName := jr.job.Platform().OS
	if data, err := jr.job.ReadFile(ctx, files["GITHUB_ENV"]); err == nil && len(data) > 0 {
		kvs, err := step.ParseEnvFileFor(osName, data)
		if err != nil {
			jr.fileCommandError(name, "env", err, r)
		}
		for _, kv := range kvs {
			if step.BlockedEnv(kv.Key) {
				// The runner refuses these (NODE_OPTIONS) without failing the step.
				msg := step.BlockedEnvMessage(kv.Key)
				jr.log.line(name, "##[error]"+msg)
				jr.annotate("error", msg)
				continue
			}
			jr.setEnv(kv.Key, kv.Value)
		}
	}
	if data, err := jr.job.ReadFile(ctx, files["GITHUB_OUTPUT"]); err == nil && len(data) > 0 {
		kvs, err := step.ParseEnvFileFor(osName, data)
		if err != nil {
			jr.fileCommandError(name, "output", err, r)
		}
		for _, kv := range kvs {
			r.outputs[kv.Key] = kv.Value
		}
	}
	if data, err := jr.job.ReadFile(ctx, files["GITHUB_PATH"]); err == nil && len(data) > 0 {
		jr.path = step.AddPaths(jr.path, step.ParsePathFile(data)...)
	}
	if data, err := jr.job.ReadFile(ctx, files["GITHUB_STEP_SUMMARY"]); err == nil && len(data) > 0 {
		jr.summary.WriteString(jr.s.o.Masker.Mask(string(data)))
		if !strings.HasSuffix(string(data), "\n") {
			jr.summary.WriteByte('\n')
		}
	}
}

// fileCommandError is a file command the runner could not process: it logs
// two errors, the second the parser's (FileCommandManager.ProcessFiles),
// and fails the step.
func (jr *jobRun) fileCommandError(name, contextName string, err error, r *stepRun) {
	for _, msg := range []string{step.UnableToProcessFileCommand(contextName), err.Error()} {
		jr.log.line(name, "##[error]"+msg)
		jr.annotate("error", msg)
	}
	r.outcome, r.reason = report.Failure, err.Error()
}

// output returns the writer for a step's process output: each line goes
// through the workflow-command processor, then to the log.
func (jr *jobRun) output(name string, r *stepRun, failStep *bool) *lineSplitter {
	proc := step.NewProcessor(step.ProcessorOptions{
		Debug:                   jr.s.o.Debug,
		Workspace:               jr.job.Paths().Workspace,
		AllowUnsecureCommands:   step.AllowUnsecureCommands(jr.envValue("ACTIONS_ALLOW_UNSECURE_COMMANDS")),
		AllowUnsecureStopTokens: step.AllowUnsecureStopTokens(jr.envValue("ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS")),
	})
	return &lineSplitter{masker: jr.s.o.Masker, handle: func(line string, piece bool) {
		if piece { // a piece of an overlong line is text, never a command
			jr.log.line(name, line)
			return
		}
		display, effects := proc.Line(line)
		// Masks first: a later display line of this same output may hold it.
		for _, e := range effects {
			switch e.Kind {
			case step.EffectAddMask:
				jr.s.o.Masker.Add(e.Mask)
				jr.s.strict.Add(e.Mask)
			case step.EffectMaskValue:
				jr.s.o.Masker.AddValue(e.Mask)
				jr.s.strict.AddValue(e.Mask)
			}
		}
		for _, d := range display {
			jr.log.line(name, d)
		}
		for _, e := range effects {
			switch e.Kind {
			case step.EffectAnnotation:
				a := e.Annotation
				jr.res.Annotations = append(jr.res.Annotations, report.Annotation{
					Level: a.Level, File: jr.s.o.Masker.Mask(a.File), Line: a.Line, Col: a.Col,
					Title: jr.s.o.Masker.Mask(a.Title), Message: jr.s.o.Masker.Mask(a.Message),
				})
			case step.EffectSetOutput:
				r.outputs[e.Name] = e.Value
			case step.EffectSetEnv:
				jr.setEnv(e.Name, e.Value)
			case step.EffectAddPath:
				jr.path = step.AddPaths(jr.path, e.Value)
			case step.EffectFailStep, step.EffectAbortStep:
				*failStep = true
			}
		}
	}}
}

// runScript runs a run: step through its shell.
func (jr *jobRun) runScript(ctx context.Context, s *workflow.Step, name string, ctxs map[string]expr.Value, stepEnv [][2]string) stepRun {
	r := stepRun{outputs: map[string]string{}}
	fail := func(msg string) stepRun {
		jr.log.line(name, "##[error]"+msg)
		jr.annotate("error", msg)
		r.outcome, r.reason = report.Failure, msg
		return r
	}
	env := &expr.Env{Contexts: ctxs, HashFiles: jr.hashFiles}
	scriptV, err := expr.Interpolate(s.Run.Text(), env)
	if err != nil {
		return fail(jr.posErr(s.Run.Pos, "run", err).Error())
	}
	script := expr.ToString(scriptV)
	shell, wd := s.Shell, s.WorkingDirectory
	// defaults.run applies to the job's own steps, not to the steps of a
	// composite action (actions/runner ScriptHandler: only at the top scope).
	if jr.actionPath == "" {
		for _, d := range []*workflow.String{jr.jp.Job.Defaults.Shell, jr.wf.Defaults.Shell} {
			if shell == nil {
				shell = d
			}
		}
		for _, d := range []*workflow.String{jr.jp.Job.Defaults.WorkingDirectory, jr.wf.Defaults.WorkingDirectory} {
			if wd == nil {
				wd = d
			}
		}
	}
	files, err := jr.fileCommands(ctx, s.Index)
	if err != nil {
		return fail(fmt.Sprintf("could not create the step's file commands: %v", err))
	}
	procEnv := jr.stepEnv(stepEnv, files)
	shellName := ""
	if shell != nil {
		v, err := expr.Interpolate(shell.Value, env)
		if err != nil {
			return fail(jr.posErr(shell.Pos, "shell", err).Error())
		}
		shellName = expr.ToString(v)
	}
	cmd, err := step.Resolve(shellName, jr.job.Platform().OS, func(p string) (string, error) { return jr.job.LookPath(ctx, p, procEnv) })
	if err != nil {
		var nf *step.NotFoundError
		if errors.As(err, &nf) {
			return fail(nf.RunnerMessage() + ": " + err.Error())
		}
		return fail(err.Error())
	}
	paths := jr.job.Paths()
	dir := paths.Workspace
	if wd != nil {
		v, err := expr.Interpolate(wd.Value, env)
		if err != nil {
			return fail(jr.posErr(wd.Pos, "working-directory", err).Error())
		}
		d := expr.ToString(v)
		if !filepath.IsAbs(d) {
			d = filepath.Join(paths.Workspace, d)
		}
		dir = d
	}
	scriptPath := filepath.Join(paths.Temp, fmt.Sprintf("step-%d%s", s.Index, cmd.ScriptExt))
	if err := jr.job.WriteFile(ctx, scriptPath, []byte(cmd.ScriptContent(script)), 0o755); err != nil {
		return fail(fmt.Sprintf("could not write the step's script: %v", err))
	}
	var kvs []step.KeyValue
	for _, kv := range stepEnv {
		kvs = append(kvs, step.KeyValue{Key: kv[0], Value: kv[1]})
	}
	for _, l := range step.RunHeader(script, cmd, kvs) {
		jr.log.line(name, l)
	}
	jr.warnHostTools(ctx, name, script, procEnv)
	failStep := false
	out := jr.output(name, &r, &failStep)
	code, err := jr.job.Exec(ctx, executorProcess(cmd.Argv(scriptPath), procEnv, dir, out))
	out.Close()
	jr.readFileCommands(ctx, name, files, &r)
	switch {
	case err != nil && ctx.Err() != nil:
		r.outcome, r.reason = report.Cancelled, causeText(ctx)
	case err != nil:
		return fail(err.Error())
	case code != 0:
		msg := fmt.Sprintf("Process completed with exit code %d.", code)
		jr.log.line(name, "##[error]"+msg)
		jr.annotate("error", msg)
		r.outcome, r.reason = report.Failure, msg
	case failStep || r.outcome == report.Failure:
		r.outcome = report.Failure
	default:
		r.outcome = report.Success
	}
	return r
}

// hashFiles is hashFiles() for the job's workspace. Expressions are
// evaluated without a context, so it runs under the job's lifetime.
func (jr *jobRun) hashFiles(patterns []string) (string, error) {
	return jr.job.HashFiles(jr.ctx, patterns)
}

// runAction runs a uses: step: a built-in emulation or a local composite
// action. Deploy and unsupported actions never get here (plan skips them).
func (jr *jobRun) runAction(ctx context.Context, s *workflow.Step, name string, ctxs map[string]expr.Value, stepEnv [][2]string) stepRun {
	r := stepRun{outputs: map[string]string{}}
	env := &expr.Env{Contexts: ctxs, HashFiles: jr.hashFiles}
	inputs := map[string]string{}
	for _, in := range s.With {
		v, err := expr.Interpolate(in.Value.Value, env)
		if err != nil {
			msg := jr.posErr(in.Value.Pos, "with."+in.Name, err).Error()
			jr.annotate("error", msg)
			return stepRun{outcome: report.Failure, reason: msg, outputs: r.outputs}
		}
		inputs[strings.ToLower(in.Name)] = expr.ToString(v)
	}
	jr.log.line(name, "##[group]Run "+s.Uses.Value)
	if len(inputs) > 0 {
		jr.log.line(name, "with:")
	}
	for _, k := range sortedKeys(inputs) {
		jr.log.line(name, "  "+k+": "+inputs[k])
	}
	jr.log.line(name, "##[endgroup]")
	h := &actionHost{jr: jr, name: name, r: &r, stepEnv: stepEnv}
	ref := actions.ParseRef(s.Uses.Value)
	var err error
	if ref.Local {
		err = jr.runComposite(ctx, ref.Path, name, inputs, h)
	} else {
		err = actions.RunBuiltin(ctx, ref, inputs, h, jr.services())
	}
	switch {
	case err != nil && ctx.Err() != nil:
		r.outcome, r.reason = report.Cancelled, causeText(ctx)
	case err != nil:
		jr.log.line(name, "##[error]"+err.Error())
		jr.annotate("error", err.Error())
		r.outcome, r.reason = report.Failure, err.Error()
	case h.failed:
		r.outcome = report.Failure
	default:
		r.outcome = report.Success
	}
	return r
}

// stepContexts evaluates a step's env: over the outer env (a composite
// action's calling step) and returns the contexts with the merged env
// context, and the step's environment in order (outer first).
func (jr *jobRun) stepContexts(ctxs map[string]expr.Value, outer [][2]string, s *workflow.Step) (map[string]expr.Value, [][2]string, error) {
	merged := make(map[string]expr.Value, len(ctxs))
	for k, v := range ctxs {
		merged[k] = v
	}
	env := jr.layerEnv(ctxs["env"], outer)
	merged["env"] = env
	own, err := jr.evalEnv(s.Env, merged)
	if err != nil {
		return merged, outer, err
	}
	merged["env"] = jr.layerEnv(env, own)
	return merged, append(append([][2]string(nil), outer...), own...), nil
}

// envValue is a variable of the job's env (workflow, job and GITHUB_ENV),
// else of --env.
func (jr *jobRun) envValue(k string) string {
	if v, ok := jr.env[k]; ok {
		return v
	}
	return jr.s.o.Env[k]
}

// survivesCancel reports whether the step's if: is still true once the job
// is cancelled (always(), cancelled()).
func (jr *jobRun) survivesCancel(sc *stepScope, s *workflow.Step, ctxs map[string]expr.Value) bool {
	if !expr.UsesStatusFunction(s.If.Text()) {
		return false
	}
	ok, err := expr.Condition(s.If.Text(), &expr.Env{Contexts: ctxs, Status: expr.StatusFuncs{
		Success:   func() bool { return false },
		Failure:   func() bool { return *sc.failed },
		Cancelled: func() bool { return true },
		Always:    func() bool { return true },
	}})
	return err == nil && ok
}

// detach returns a context with ctx's values that ignores ctx's
// cancellation and ends only with hard, with cause [ErrInterrupted].
func detach(ctx, hard context.Context) (context.Context, func() bool) {
	d, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(hard, func() { cancel(ErrInterrupted) })
	return d, func() bool { cancel(nil); return stop() }
}

// interruptOf is a context done when ctx is cancelled with cause
// [ErrInterrupted]: the hard stop of a run given no [Options.Hard].
func interruptOf(ctx context.Context) (context.Context, func()) {
	hard, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		if errors.Is(context.Cause(ctx), ErrInterrupted) {
			cancel(ErrInterrupted)
		}
	})
	return hard, func() { stop(); cancel(nil) }
}

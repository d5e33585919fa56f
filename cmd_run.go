package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/artifact"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/mask"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/progress"
	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/run"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// runFlags are the options of `rehearse run` beyond the event's.
type runFlags struct {
	ef         eventFlags
	jobs       []string
	matrix     []string
	parallel   int
	env        []string
	envFiles   []string
	format     string
	reportFile string
	logDir     string
	noDeps     bool
	fromCommit bool
	progress   string
	keepJobs   bool
	// Container executor settings.
	pythonManifest string
	pythonSources  []string
	noNetwork      bool
}

func (c *Command) runCommand() *subcommand {
	return &subcommand{
		name:    "run",
		summary: "run the triggered workflows here and report as GitHub would",
		usage:   "rehearse run [EVENT] [-j JOB]... [--matrix K=V]... [--jobs N] [--secret K=V] [--format text|json] ...",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			var f runFlags
			f.ef.add(fs)
			fs.StringArrayVarP(&f.jobs, "job", "j", nil, "run only jobs with this `ID` (and what they need), in every selected workflow (repeatable)")
			fs.StringArrayVar(&f.matrix, "matrix", nil, "run only the matrix cells where `KEY=VALUE` (repeatable), e.g. --matrix python-version=3.11; cells of jobs without KEY and of the jobs a -j job needs are kept")
			fs.IntVar(&f.parallel, "jobs", runtime.NumCPU(), "job cells run at once")
			fs.StringArrayVar(&f.env, "env", nil, "variable `KEY=VALUE` for every step (repeatable), e.g. PIP_INDEX_URL for a mirror")
			fs.StringArrayVar(&f.envFiles, "env-file", nil, "dotenv `FILE` of variables for every step (repeatable)")
			fs.StringVar(&f.format, "format", "text", "report format on stdout: text or json")
			fs.StringVar(&f.reportFile, "report", "", "also write the JSON report to `FILE`")
			fs.StringVar(&f.logDir, "log-dir", "", "`DIR` for the job logs (default: the run directory under the state directory)")
			fs.BoolVar(&f.noDeps, "no-deps", false, "with -j: do not run the jobs it needs")
			fs.BoolVar(&f.fromCommit, "from-commit", false, "check out HEAD only, without uncommitted changes")
			fs.StringVar(&f.progress, "progress", "auto", "progress view: auto, tty, plain or quiet")
			fs.BoolVar(&f.keepJobs, "keep-workspaces", false, "keep the jobs' workspaces in the run directory (to look at what a job left)")
			fs.StringVar(&f.pythonManifest, "python-manifest", "", "`URL` of a versions-manifest.json in actions/python-versions' format that setup-python's builds come from in containers (default: GitHub's; also $REHEARSE_PYTHON_MANIFEST)")
			fs.StringArrayVar(&f.pythonSources, "python-source", nil, "take setup-python's `VERSION=IMAGE` from an image whose /opt/hostedtoolcache has it, instead of the manifest (repeatable)")
			fs.BoolVar(&f.noNetwork, "no-network", false, "cut the network of container jobs")
			return func(ctx context.Context, c *Command, g *globals, args []string) int {
				return c.run(ctx, g, &f, args)
			}
		},
	}
}

func (c *Command) run(ctx context.Context, g *globals, f *runFlags, args []string) int {
	if f.format != "text" && f.format != "json" {
		return c.fail(&usageError{fmt.Sprintf("--format %q: expected text or json", f.format)})
	}
	if err := f.ef.exec.check(); err != nil {
		return c.fail(err)
	}
	mode, err := progress.ParseMode(f.progress)
	if err != nil {
		return c.fail(&usageError{"--progress: " + err.Error()})
	}
	if f.noDeps && len(f.jobs) == 0 {
		return c.fail(&usageError{"--no-deps goes with -j JOB: it runs the selected jobs without the jobs they need"})
	}
	if f.parallel < 1 {
		return c.fail(&usageError{fmt.Sprintf("--jobs %d: expected at least 1", f.parallel)})
	}
	l, err := c.load(ctx, g, &f.ef, args)
	if err != nil {
		return c.fail(err)
	}
	env, err := mergedValues("--env", f.env, f.envFiles)
	if err != nil {
		return c.fail(err)
	}
	matrixFilter, err := keyValues("--matrix", f.matrix)
	if err != nil {
		return c.fail(err)
	}
	p := plan.Build(l.res, l.opts)
	var ctr *buildkit.Executor
	if usesContainers(p) {
		ctr, err = c.containerExecutor(ctx, f, l, env)
		if err != nil {
			return c.fail(err)
		}
		if ctr == nil {
			l.opts.Placing.Executor = plan.RunnerHost
			p = plan.Build(l.res, l.opts)
		} else {
			defer ctr.Close()
		}
	}
	invalid := reportPlanErrors(c, p)
	if err := selectJobs(p, f.jobs, matrixFilter, f.noDeps); err != nil {
		return c.fail(err)
	}
	// GitHub refuses only the invalid files and runs the others; so does
	// rehearse, and the exit status still says a workflow was invalid.
	if invalid && p.Summarize().Triggered > 0 {
		fmt.Fprintln(c.Stderr, "rehearse: the invalid workflow files above are not run; the others are")
	}
	if f.fromCommit && l.git.Available && l.git.SHA == "" {
		return c.fail(&usageError{"--from-commit: the repository has no commits yet; run without it to use the working tree"})
	}
	triggered, invalidFiles := 0, 0
	for _, w := range p.Workflows {
		if w.Triggered {
			triggered++
		}
		if w.Invalid {
			invalidFiles++
		}
	}
	// With an invalid file the run goes on even when nothing else is
	// triggered: its report shows that file as a failed workflow.
	if triggered == 0 && invalidFiles == 0 {
		fmt.Fprintf(c.Stderr, "rehearse: no workflow is triggered by %s", l.ev.Name)
		for _, w := range p.Workflows {
			fmt.Fprintf(c.Stderr, "\n  %s: %s", w.File, w.Reason)
		}
		fmt.Fprintln(c.Stderr)
		if hint := otherEventHint(p, l.ev.Name); hint != "" {
			fmt.Fprintln(c.Stderr, hint)
		}
		if f.format == "json" {
			// A tool reading stdout still gets a report: nothing ran.
			empty := &report.Report{Version: 1, Conclusion: report.Skipped, Event: l.ev.Name, Started: time.Now()}
			if err := report.WriteJSON(c.Stdout, empty); err != nil {
				return c.fail(err)
			}
		}
		if invalid {
			// A refused dispatch: GitHub would not start the run.
			return ExitInvalid
		}
		return ExitSuccess
	}

	rd, err := workspace.NewRun("", f.logDir)
	if err != nil {
		return c.fail(err)
	}
	cacheRoot, err := cache.Dir()
	if err != nil {
		return c.fail(err)
	}
	store, err := cache.OpenStore(filepath.Join(cacheRoot, "actions-cache"))
	if err != nil {
		return c.fail(err)
	}
	pipDir, err := cache.PipDir()
	if err != nil {
		return c.fail(err)
	}
	hostExec := host.New()
	hostExec.PipCache = pipDir
	executors := map[string]executor.Executor{plan.RunnerHost: hostExec}
	if ctr != nil {
		executors[plan.RunnerContainer] = ctr
	}
	masker := mask.New()
	for _, s := range l.opts.Secrets {
		masker.Add(s)
	}
	display := progress.New(progress.Options{Mode: mode, Out: c.Stderr})

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	hard, stopHard := context.WithCancelCause(context.WithoutCancel(ctx))
	defer stopHard(nil)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	runDone := make(chan struct{})
	defer close(runDone)
	go func() {
		// The first Ctrl-C (or SIGTERM) cancels the run as GitHub does;
		// the second, or the time limit after the first, stops it at once.
		select {
		case <-sigs:
		case <-runDone:
			return
		}
		display.Send(progress.Event{Kind: progress.Notice, Time: time.Now(),
			Line: "cancelling: running steps are being stopped; always() and cancelled() steps and jobs still run (Ctrl-C again to stop at once)"})
		cancel(run.ErrCancelled)
		select {
		case <-sigs:
		case <-time.After(cancelLimit()):
		case <-runDone:
			return
		}
		display.Send(progress.Event{Kind: progress.Notice, Time: time.Now(), Line: "stopping at once"})
		stopHard(run.ErrInterrupted)
	}()
	// The display outlives the run's cancellation: it still has to draw
	// the cancelled jobs. Close stops it.
	displayDone := make(chan struct{})
	go func() {
		defer close(displayDone)
		_ = display.Run(context.WithoutCancel(ctx))
	}()
	rep := run.Run(ctx, p, run.Options{
		Root: g.root, Git: l.git, Event: l.ev, Jobs: f.parallel, Executors: executors, Hard: hard,
		NoNetwork: f.noNetwork || (l.cfg.Network != nil && !*l.cfg.Network),
		Env:       env, Secrets: l.opts.Secrets, Vars: l.opts.Vars, AllowDeploy: f.ef.allowDeploy,
		FromCommit: f.fromCommit, Run: rd, Sink: display, Masker: masker, Minute: testMinute(),
		Cache: store, Artifacts: artifact.NewStore(filepath.Join(rd.Dir, "artifacts")),
		Debug: stepDebug(env, l.opts.Secrets, l.opts.Vars),
	})
	display.Close()
	<-displayDone
	// A run keeps its logs, artifacts and report; the workspaces go, as a
	// GitHub runner is thrown away, and only the last runs are kept.
	if f.keepJobs {
		fmt.Fprintf(c.Stderr, "workspaces kept in %s\n", filepath.Join(rd.Dir, "jobs"))
	} else {
		if err := rd.RemoveJobs(); err != nil {
			fmt.Fprintf(c.Stderr, "warning: could not remove the job workspaces: %v\n", err)
		}
	}
	if err := rd.Prune(keptRuns, time.Hour); err != nil {
		fmt.Fprintf(c.Stderr, "warning: could not remove old runs: %v\n", err)
	}
	interrupted := errors.Is(context.Cause(ctx), run.ErrCancelled)
	if interrupted {
		how := "cancelled: running jobs were cancelled, their processes stopped and their always() steps run"
		if hard.Err() != nil {
			how = "interrupted: every job was stopped at once"
		}
		fmt.Fprintln(c.Stderr, "rehearse: "+how)
		// What was interrupted did not finish: the result is partial.
		rep.Conclusion, rep.Partial = report.Cancelled, true
	}
	if f.reportFile != "" {
		if err := writeReportFile(f.reportFile, rep); err != nil {
			fmt.Fprintf(c.Stderr, "rehearse: %v\n", err)
		}
	}
	if f.format == "json" {
		if err := report.WriteJSON(c.Stdout, rep); err != nil {
			return c.fail(err)
		}
	} else if err := report.WriteText(c.Stdout, rep, report.TextOptions{TailLines: 15, Color: isTerminal(c.Stdout)}); err != nil {
		return c.fail(err)
	}
	if interrupted {
		return ExitInterrupted
	}
	if invalid {
		return ExitInvalid
	}
	return report.ExitCode(rep)
}

func writeReportFile(path string, rep *report.Report) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("could not write the report %q: %w", path, err)
	}
	defer fh.Close()
	return report.WriteJSON(fh, rep)
}

// keptRuns is how many run directories (logs, artifacts) are kept.
const keptRuns = 20

// cancelLimit is how long a cancelled run may take to run its always()
// steps before it is stopped at once, as GitHub allows 5 minutes.
// REHEARSE_TEST_CANCEL_LIMIT shortens it in tests.
func cancelLimit() time.Duration {
	if v := os.Getenv("REHEARSE_TEST_CANCEL_LIMIT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return 5 * time.Minute
}

// testMinute is the internal test hook that shortens timeout-minutes.
func testMinute() time.Duration {
	if v := os.Getenv("REHEARSE_TEST_MINUTE"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return 0
}

// selectJobs narrows the plan to the -j jobs (with what they need, unless
// noDeps) and the matrix cells that --matrix KEY=VALUE keeps.
//
// Jobs are handled as the needs graph names them: by job id, and as
// "caller/callee" for the jobs of a called reusable workflow (the plan's
// keys). -j matches a job id or the id of a job calling a reusable
// workflow, which selects every job of the called workflow; a need naming
// such a caller keeps every called job, as the scheduler waits for them
// all.
//
// --matrix narrows only the cells that have its key, and with -j only the
// cells of the -j jobs: a job it needs keeps all its cells, and a job
// without the key is kept whole, since dropping either would leave its
// dependents skipped ("a job it needs did not succeed"). A filter that
// keeps no cell at all is a usage error naming the keys there are.
func selectJobs(p *plan.Plan, ids []string, cellFilter map[string]string, noDeps bool) error {
	if len(ids) == 0 && len(cellFilter) == 0 {
		return nil
	}
	// groupOf is the id other jobs name in needs: the job id, or
	// "caller/callee" for a called job. Lower-cased: ids are
	// case-insensitive.
	groupOf := func(j *plan.JobPlan) string {
		if i := strings.LastIndex(j.Key, "/"); i >= 0 && j.Caller != nil {
			return strings.ToLower(j.Key[:i+1] + j.ID)
		}
		return strings.ToLower(j.ID)
	}
	matched := map[string]bool{} // -j ids, lower-cased, that named a job
	keepOf := make([]map[string]bool, len(p.Workflows))
	var targets []*plan.JobPlan // the cells --matrix narrows
	isTarget := map[*plan.JobPlan]bool{}
	for wi, w := range p.Workflows {
		groups := map[string][]*plan.JobPlan{}
		for _, j := range w.Jobs {
			groups[groupOf(j)] = append(groups[groupOf(j)], j)
		}
		// needed is the groups a need waits for: the named job, or every
		// job of the reusable workflow a caller calls.
		needed := func(need string) []string {
			need = strings.ToLower(need)
			if _, ok := groups[need]; ok {
				return []string{need}
			}
			var out []string
			for g := range groups {
				if strings.HasPrefix(g, need+"/") {
					out = append(out, g)
				}
			}
			return out
		}
		keep := map[string]bool{}
		var add func(g string)
		add = func(g string) {
			if keep[g] {
				return
			}
			keep[g] = true
			if noDeps {
				return
			}
			for _, j := range groups[g] {
				for _, n := range j.Needs {
					for _, d := range needed(n) {
						add(d)
					}
				}
			}
		}
		target := map[string]bool{}
		if len(ids) == 0 {
			for g := range groups {
				keep[g], target[g] = true, true
			}
		}
		for _, id := range ids {
			for _, j := range w.Jobs {
				// The job id, the caller's id, or the caller/callee id that
				// `rehearse list` shows for a called workflow's job.
				if strings.EqualFold(j.ID, id) || (j.Caller != nil && (strings.EqualFold(j.Caller.ID, id) || strings.EqualFold(groupOf(j), id))) {
					matched[strings.ToLower(id)] = true
					target[groupOf(j)] = true
					add(groupOf(j))
				}
			}
		}
		keepOf[wi] = keep
		for _, j := range w.Jobs {
			if target[groupOf(j)] {
				targets, isTarget[j] = append(targets, j), true
			}
		}
	}
	var unknown []string
	for _, id := range ids {
		if !matched[strings.ToLower(id)] && !slices.Contains(unknown, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		// The job may exist in a workflow the event does not trigger: say so.
		for _, id := range unknown {
			for _, w := range p.Workflows {
				if w.Triggered || w.Workflow == nil {
					continue
				}
				for _, j := range w.Workflow.Jobs {
					if strings.EqualFold(j.ID, id) {
						return &usageError{fmt.Sprintf("job %q is in %s, which is not triggered: %s", id, w.File, w.Reason)}
					}
				}
			}
		}
		return &usageError{fmt.Sprintf("no job with id %q in the selected workflows; rehearse list shows the job ids", strings.Join(unknown, ", "))}
	}
	// Each KEY=VALUE must name a key and a value of the cells it narrows,
	// and together they must keep one of them: a mistyped key would
	// otherwise run everything (cells without it are kept), a mistyped
	// value nothing.
	if len(cellFilter) > 0 {
		scope := "the selected workflows"
		if len(ids) > 0 {
			scope = "the selected jobs"
		}
		var keys []string               // the cells' keys, in matrix order
		values := map[string][]string{} // lower-cased key: its values
		hint, kept := "", 0
		for _, j := range targets {
			if j.Status == plan.StatusDeferred {
				hint = fmt.Sprintf("; the matrix of %q is computed at run time and cannot be filtered", j.ID)
			}
			for _, k := range j.Cell.Keys() {
				lk := strings.ToLower(k)
				if _, ok := values[lk]; !ok {
					keys, values[lk] = append(keys, k), nil
				}
				v, _ := j.Cell.Get(k)
				if s := expr.ToString(v); !slices.Contains(values[lk], s) {
					values[lk] = append(values[lk], s)
				}
			}
			if filtered, ok := cellMatches(j.Cell, cellFilter); filtered && ok {
				kept++
			}
		}
		quoted := func(list []string) string {
			q := make([]string, len(list))
			for i, s := range list {
				q[i] = strconv.Quote(s)
			}
			return strings.Join(q, ", ")
		}
		var flags []string
		for _, k := range slices.Sorted(maps.Keys(cellFilter)) {
			want := cellFilter[k]
			flags = append(flags, fmt.Sprintf("--matrix %q", k+"="+want))
			vs, ok := values[strings.ToLower(k)]
			switch {
			case len(keys) == 0:
				return &usageError{fmt.Sprintf("--matrix %q: %s have no matrix%s", k+"="+want, scope, hint)}
			case !ok:
				return &usageError{fmt.Sprintf("--matrix %q: no matrix cell of %s has the key %q; available keys are %s%s", k+"="+want, scope, k, quoted(keys), hint)}
			case !slices.Contains(vs, want):
				return &usageError{fmt.Sprintf("--matrix %q: no matrix cell of %s has %s %q; available values are %s", k+"="+want, scope, k, want, quoted(vs))}
			}
		}
		if kept == 0 {
			return &usageError{fmt.Sprintf("%s: no matrix cell of %s has all of these values; available keys are %s", strings.Join(flags, " "), scope, quoted(keys))}
		}
	}

	for wi, w := range p.Workflows {
		keep := keepOf[wi]
		var jobs []*plan.JobPlan
		for _, j := range w.Jobs {
			if !keep[groupOf(j)] {
				continue
			}
			if len(cellFilter) > 0 && isTarget[j] {
				if _, ok := cellMatches(j.Cell, cellFilter); !ok {
					continue
				}
			}
			jobs = append(jobs, j)
		}
		if noDeps {
			// The jobs it needs do not run, so they are not waited for;
			// needs among the selected jobs (the jobs of a called
			// workflow) still order them.
			for _, j := range jobs {
				var needs []string
				for _, n := range j.Needs {
					ln := strings.ToLower(n)
					if keep[ln] || slices.ContainsFunc(jobs, func(d *plan.JobPlan) bool { return strings.HasPrefix(groupOf(d), ln+"/") }) {
						needs = append(needs, n)
					}
				}
				j.Needs = needs
			}
		}
		if len(jobs) == 0 && len(w.Jobs) > 0 {
			w.Triggered, w.Reason = false, "no selected job in this workflow"
		}
		w.Jobs = jobs
	}
	return nil
}

// cellMatches reports whether cell has any key of filter (filtered), and
// whether each key of filter it has has the wanted value (ok). Keys are
// case-insensitive, as in matrix.<key>; values compare as text.
func cellMatches(cell *expr.Object, filter map[string]string) (filtered, ok bool) {
	ok = true
	for k, want := range filter {
		v, has := cell.Get(k)
		if !has {
			continue
		}
		filtered = true
		if expr.ToString(v) != want {
			ok = false
		}
	}
	return filtered, ok
}

// isTerminal reports whether w is a terminal (colours in the summary).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

// stepDebug is GitHub's debug logging switch: ACTIONS_STEP_DEBUG set to
// true as a secret or variable (docs: "Enabling debug logging"), or
// RUNNER_DEBUG=1 / ACTIONS_STEP_DEBUG=true given with --env.
func stepDebug(env, secrets, vars map[string]string) bool {
	for _, m := range []map[string]string{env, secrets, vars} {
		if strings.EqualFold(m["ACTIONS_STEP_DEBUG"], "true") {
			return true
		}
	}
	return env["RUNNER_DEBUG"] == "1"
}

// otherEventHint suggests the event that would run something when the one
// given runs nothing, e.g. on a feature branch whose CI runs on pull requests.
func otherEventHint(p *plan.Plan, event string) string {
	for _, candidate := range []string{"pull_request", "push", "workflow_dispatch"} {
		if candidate == event {
			continue
		}
		for _, w := range p.Workflows {
			if w.Workflow == nil {
				continue
			}
			for _, t := range w.Workflow.Triggers {
				if t.Event == candidate {
					return fmt.Sprintf("hint: %s is triggered by %s: try `rehearse run %s`", w.File, candidate, candidate)
				}
			}
		}
	}
	return ""
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/artifact"
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
	executor   string
	env        []string
	envFiles   []string
	format     string
	reportFile string
	logDir     string
	noDeps     bool
	fromCommit bool
	progress   string
	keepJobs   bool
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
			fs.StringArrayVar(&f.matrix, "matrix", nil, "keep only matrix cells where `KEY=VALUE` (repeatable), e.g. --matrix python-version=3.11")
			fs.IntVar(&f.parallel, "jobs", runtime.NumCPU(), "job cells run at once")
			fs.StringVar(&f.executor, "executor", "host", "where steps run: host, container or auto")
			fs.StringArrayVar(&f.env, "env", nil, "variable `KEY=VALUE` for every step (repeatable), e.g. PIP_INDEX_URL for a mirror")
			fs.StringArrayVar(&f.envFiles, "env-file", nil, "dotenv `FILE` of variables for every step (repeatable)")
			fs.StringVar(&f.format, "format", "text", "report format on stdout: text or json")
			fs.StringVar(&f.reportFile, "report", "", "also write the JSON report to `FILE`")
			fs.StringVar(&f.logDir, "log-dir", "", "`DIR` for the job logs (default: the run directory under the state directory)")
			fs.BoolVar(&f.noDeps, "no-deps", false, "with -j: do not run the jobs it needs")
			fs.BoolVar(&f.fromCommit, "from-commit", false, "check out HEAD only, without uncommitted changes")
			fs.StringVar(&f.progress, "progress", "auto", "progress view: auto, tty, plain or quiet")
			fs.BoolVar(&f.keepJobs, "keep-workspaces", false, "keep the jobs' workspaces in the run directory (to look at what a job left)")
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
	switch f.executor {
	case "host", "auto":
	case "container":
		return c.fail(&usageError{"--executor container needs the BuildKit executor, which is not available in this version; use --executor host"})
	default:
		return c.fail(&usageError{fmt.Sprintf("--executor %q: expected host, container or auto", f.executor)})
	}
	mode, err := progress.ParseMode(f.progress)
	if err != nil {
		return c.fail(&usageError{"--progress: " + err.Error()})
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
	invalid := reportPlanErrors(c, p)
	if err := selectJobs(p, f.jobs, matrixFilter, f.noDeps); err != nil {
		return c.fail(err)
	}
	if invalid {
		fmt.Fprintln(c.Stderr, "rehearse: not running: fix the invalid workflow files above first")
		return ExitInvalid
	}
	triggered := 0
	for _, w := range p.Workflows {
		if w.Triggered {
			triggered++
		}
	}
	if triggered == 0 {
		fmt.Fprintf(c.Stderr, "rehearse: no workflow is triggered by %s", l.ev.Name)
		for _, w := range p.Workflows {
			fmt.Fprintf(c.Stderr, "\n  %s: %s", w.File, w.Reason)
		}
		fmt.Fprintln(c.Stderr)
		if f.format == "json" {
			// A tool reading stdout still gets a report: nothing ran.
			empty := &report.Report{Version: 1, Conclusion: report.Skipped, Event: l.ev.Name, Started: time.Now()}
			if err := report.WriteJSON(c.Stdout, empty); err != nil {
				return c.fail(err)
			}
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
	masker := mask.New()
	for _, s := range l.opts.Secrets {
		masker.Add(s)
	}
	display := progress.New(progress.Options{Mode: mode, Out: c.Stderr})

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case <-sigs:
			// Said after the live view is closed: a line written under it
			// now would leave the view's cursor arithmetic wrong.
			cancel(run.ErrInterrupted)
		case <-ctx.Done():
		}
	}()
	// The display outlives the run's cancellation: it still has to draw
	// the cancelled jobs. Close stops it.
	displayDone := make(chan struct{})
	go func() {
		defer close(displayDone)
		_ = display.Run(context.WithoutCancel(ctx))
	}()
	rep := run.Run(ctx, p, run.Options{
		Root: g.root, Git: l.git, Event: l.ev, Jobs: f.parallel, Executor: host.New(),
		Env: env, Secrets: l.opts.Secrets, Vars: l.opts.Vars, AllowDeploy: f.ef.allowDeploy,
		FromCommit: f.fromCommit, Run: rd, Sink: display, Masker: masker, Minute: testMinute(),
		Cache: store, PipCache: pipDir, Artifacts: artifact.NewStore(filepath.Join(rd.Dir, "artifacts")),
		Debug: stepDebug(env, l.opts.Secrets, l.opts.Vars),
	})
	display.Close()
	<-displayDone
	// A run keeps its logs, artifacts and report; the workspaces go, as a
	// GitHub runner is thrown away, and only the last runs are kept.
	if !f.keepJobs {
		if err := rd.RemoveJobs(); err != nil {
			fmt.Fprintf(c.Stderr, "warning: could not remove the job workspaces: %v\n", err)
		}
	}
	if err := rd.Prune(keptRuns, time.Hour); err != nil {
		fmt.Fprintf(c.Stderr, "warning: could not remove old runs: %v\n", err)
	}
	interrupted := context.Cause(ctx) == run.ErrInterrupted
	if interrupted {
		fmt.Fprintln(c.Stderr, "rehearse: interrupted: running jobs were cancelled and their processes stopped")
		rep.Conclusion = report.Cancelled
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

// testMinute is the internal test hook that shortens timeout-minutes.
func testMinute() time.Duration {
	if v := os.Getenv("REHEARSE_TEST_MINUTE"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return 0
}

// selectJobs narrows the plan to -j jobs (with what they need, unless
// noDeps) and to the matrix cells matching every --matrix KEY=VALUE.
func selectJobs(p *plan.Plan, ids []string, cellFilter map[string]string, noDeps bool) error {
	if len(ids) == 0 && len(cellFilter) == 0 {
		return nil
	}
	found := len(ids) == 0
	for _, w := range p.Workflows {
		keep := map[string]bool{}
		if len(ids) == 0 {
			for _, j := range w.Jobs {
				keep[strings.ToLower(j.ID)] = true
			}
		}
		var add func(id string)
		add = func(id string) {
			id = strings.ToLower(id)
			if keep[id] {
				return
			}
			keep[id] = true
			if noDeps {
				return
			}
			for _, j := range w.Jobs {
				if strings.EqualFold(j.ID, id) {
					for _, n := range j.Needs {
						add(n)
					}
				}
			}
		}
		for _, id := range ids {
			for _, j := range w.Jobs {
				if strings.EqualFold(j.ID, id) {
					found = true
					add(id)
				}
			}
		}
		var jobs []*plan.JobPlan
		for _, j := range w.Jobs {
			if !keep[strings.ToLower(j.ID)] {
				continue
			}
			if noDeps {
				j.Needs = nil
			}
			if len(cellFilter) > 0 && j.Cell != nil && !cellMatches(j.Cell, cellFilter) {
				continue
			}
			jobs = append(jobs, j)
		}
		if len(ids) > 0 && len(jobs) == 0 {
			w.Triggered, w.Reason = false, "no selected job in this workflow"
		}
		w.Jobs = jobs
	}
	if !found {
		return &usageError{fmt.Sprintf("no job with id %q in the selected workflows; rehearse list shows the job ids", strings.Join(ids, ", "))}
	}
	return nil
}

func cellMatches(cell *expr.Object, filter map[string]string) bool {
	for k, want := range filter {
		v, ok := cell.Get(k)
		if !ok || expr.ToString(v) != want {
			return false
		}
	}
	return true
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

package main

import (
	"context"
	"errors"
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
	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/artifact"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
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
	// Where astral-sh/setup-uv's uv comes from (either executor).
	uvDownloadURL string
	uvManifest    string
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
			fs.StringVar(&f.uvDownloadURL, "uv-download-url", "", "base `URL` of uv's release downloads for astral-sh/setup-uv, laid out as URL/VERSION/uv-TARGET.tar.gz (default: GitHub's releases; also $REHEARSE_UV_DOWNLOAD_URL)")
			fs.StringVar(&f.uvManifest, "uv-manifest", "", "`URL` of the uv versions manifest (astral-sh/versions' uv.ndjson) that setup-uv's latest and ranges are resolved with (default: astral's; also $REHEARSE_UV_MANIFEST)")
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
	var ctr closingExecutor
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
	if err := p.Select(f.jobs, matrixFilter, f.noDeps); err != nil {
		return c.fail(&usageError{err.Error()})
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
		UV:    uvSources(f, l),
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

// uvSources are where setup-uv's uv comes from: each setting from its
// flag, else its environment variable, else the configuration files.
func uvSources(f *runFlags, l *loaded) actions.UVSources {
	pick := func(flag, env, cfg string) string {
		if flag != "" {
			return flag
		}
		if v := os.Getenv(env); v != "" {
			return v
		}
		return cfg
	}
	return actions.UVSources{
		DownloadURL: pick(f.uvDownloadURL, "REHEARSE_UV_DOWNLOAD_URL", l.cfg.UV.DownloadURL),
		Manifest:    pick(f.uvManifest, "REHEARSE_UV_MANIFEST", l.cfg.UV.Manifest),
	}
}

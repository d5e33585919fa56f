package run_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/artifact"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/mask"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/progress"
	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/run"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
	"github.com/rehearse-dev/rehearse/fixtures"
)

// discard is a progress sink that drops events.
type discard struct{}

func (discard) Send(progress.Event) {}

// skipTimingIfShort skips, under -short (make test-short), a test that
// waits seconds on sleeps, cancellation or timeouts; make test runs it,
// and so does CI (CI=true), where it never skips. With -parallel at the
// core count, each such wait holds one of the few parallel slots.
func skipTimingIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("waits seconds on sleeps, cancellation or timeouts, skipped under -short: make test runs it")
	}
}

// runCase is one in-process run of a workflow.
type runCase struct {
	// fixture is the repository (fixtures/<fixture>); workflows are added
	// to it.
	fixture string
	// workflows maps file names below .github/workflows to their text.
	workflows map[string]string
	// files are extra repository files (path: content), committed.
	files map[string]string
	// env and secrets are --env and --secret.
	env, secrets map[string]string
	// keepWorkflows keeps the fixture's own workflows beside the case's.
	keepWorkflows bool
	// path is the workflow file or directory that runs (-W);
	// .github/workflows by default.
	path string
	// event is the triggering event (push by default, --input ...).
	event trigger.Options
	// jobs, matrix and noDeps select what runs, as -j, --matrix and
	// --no-deps do.
	jobs   []string
	matrix map[string]string
	noDeps bool
	// allowDeploy and debug are --allow-deploy and ACTIONS_STEP_DEBUG.
	allowDeploy, debug bool
	// minute is the length of a minute for timeout-minutes; a second by
	// default.
	minute time.Duration
	// cacheDir holds the actions/cache store, for runs that share it; a
	// new directory by default.
	cacheDir string
}

// runIn runs a case with ex as the executor of every cell and returns the
// report and the repository directory.
func runIn(t *testing.T, ex executor.Executor, c runCase) (*report.Report, string) {
	t.Helper()
	dir := repo(t, c)
	return runAt(t, ex, dir, c), dir
}

// repo materializes a case's repository: its fixture with the case's
// workflows and files.
func repo(t *testing.T, c runCase) string {
	t.Helper()
	fixture := c.fixture
	if fixture == "" {
		fixture = "hostrun"
	}
	dir := fixtures.Materialize(t, fixture)
	// Only the case's workflows run, unless it keeps the fixture's own.
	wfDir := filepath.Join(dir, ".github", "workflows")
	if !c.keepWorkflows {
		if err := os.RemoveAll(wfDir); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(wfDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range c.workflows {
		if err := os.WriteFile(filepath.Join(wfDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range c.files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runAt runs a case in the repository dir (see [repo]), which it only
// reads, so that cases may share one.
func runAt(t *testing.T, ex executor.Executor, dir string, c runCase) *report.Report {
	t.Helper()
	p, o := prepare(t, ex, dir, c)
	if err := p.Select(c.jobs, c.matrix, c.noDeps); err != nil {
		t.Fatal(err)
	}
	return run.Run(t.Context(), p, o)
}

// prepare plans a case as rehearse run does and returns the plan, not yet
// narrowed by the case's selection, and the run's options.
func prepare(t *testing.T, ex executor.Executor, dir string, c runCase) (*plan.Plan, run.Options) {
	t.Helper()
	ctx := t.Context()
	path := c.path
	if path == "" {
		path = ".github/workflows"
	}
	res, err := workflow.Load(workflow.Options{Root: dir, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Severity != workflow.SeverityWarning {
			t.Fatalf("invalid workflow: %s", f.String())
		}
	}
	g, err := trigger.ReadGit(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := trigger.NewEvent(ctx, g, c.event)
	if err != nil {
		t.Fatal(err)
	}
	runner := plan.RunnerHost
	if ex.Name() == "container" {
		runner = plan.RunnerContainer
	}
	images := map[string]string{}
	if img, ok := ex.(interface{ TestImage() string }); ok {
		for _, label := range []string{"ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "self-hosted", "linux"} {
			images[label] = img.TestImage()
		}
	}
	p := plan.Build(res, plan.Options{Root: dir, Git: g, Event: ev, Secrets: c.secrets, AllowDeploy: c.allowDeploy,
		Placing: plan.Placing{Executor: runner, DefaultImages: images}})
	state := t.TempDir()
	rd, err := workspace.NewRun(filepath.Join(state, "runs"), "")
	if err != nil {
		t.Fatal(err)
	}
	cacheDir := c.cacheDir
	if cacheDir == "" {
		cacheDir = filepath.Join(state, "cache")
	}
	store, err := cache.OpenStore(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	minute := c.minute
	if minute == 0 {
		minute = time.Second
	}
	return p, run.Options{
		Root: dir, Git: g, Event: ev, Jobs: 2, Executors: map[string]executor.Executor{runner: ex},
		Env: c.env, Secrets: c.secrets, AllowDeploy: c.allowDeploy, Debug: c.debug, Run: rd, Sink: discard{}, Masker: mask.New(),
		Minute: minute, Cache: store, Artifacts: artifact.NewStore(filepath.Join(rd.Dir, "artifacts")),
	}
}

// job finds a job result by key.
func job(t *testing.T, rep *report.Report, key string) *report.JobResult {
	t.Helper()
	for _, w := range rep.Workflows {
		for _, j := range w.Jobs {
			if j.Key == key {
				return j
			}
		}
	}
	t.Fatalf("no job %q in the report", key)
	return nil
}

// explain prints a job's steps and annotations for a failure message.
func explain(j *report.JobResult) string {
	var b strings.Builder
	b.WriteString(string(j.Conclusion) + " " + j.Reason + "\n")
	for _, s := range j.Steps {
		b.WriteString("  " + s.Name + ": " + string(s.Conclusion) + " " + s.Reason + "\n")
	}
	for _, a := range j.Annotations {
		b.WriteString("  " + a.Level + ": " + a.Message + "\n")
	}
	if data, err := os.ReadFile(j.LogFile); err == nil {
		b.WriteString("log:\n" + string(data))
	}
	return b.String()
}

var _ = context.Background

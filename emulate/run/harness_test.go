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
}

// runIn runs a case with ex as the executor of every cell and returns the
// report and the repository directory.
func runIn(t *testing.T, ex executor.Executor, c runCase) (*report.Report, string) {
	t.Helper()
	fixture := c.fixture
	if fixture == "" {
		fixture = "hostrun"
	}
	dir := fixtures.Materialize(t, fixture)
	// Only the case's workflows run: the fixture's own are removed.
	wfDir := filepath.Join(dir, ".github", "workflows")
	if err := os.RemoveAll(wfDir); err != nil {
		t.Fatal(err)
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
	ctx := t.Context()
	res, err := workflow.Load(workflow.Options{Root: dir, Path: ".github/workflows"})
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
	ev, err := trigger.NewEvent(ctx, g, trigger.Options{Event: "push"})
	if err != nil {
		t.Fatal(err)
	}
	runner := plan.RunnerHost
	if ex.Name() == "container" {
		runner = plan.RunnerContainer
	}
	images := map[string]string{}
	if img, ok := ex.(interface{ TestImage() string }); ok {
		images["ubuntu-latest"] = img.TestImage()
	}
	p := plan.Build(res, plan.Options{Root: dir, Git: g, Event: ev, Secrets: c.secrets,
		Placing: plan.Placing{Executor: runner, DefaultImages: images}})
	state := t.TempDir()
	rd, err := workspace.NewRun(filepath.Join(state, "runs"), "")
	if err != nil {
		t.Fatal(err)
	}
	store, err := cache.OpenStore(filepath.Join(state, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	rep := run.Run(ctx, p, run.Options{
		Root: dir, Git: g, Event: ev, Jobs: 2, Executors: map[string]executor.Executor{runner: ex},
		Env: c.env, Secrets: c.secrets, Run: rd, Sink: discard{}, Masker: mask.New(),
		Minute: time.Second, Cache: store, Artifacts: artifact.NewStore(filepath.Join(rd.Dir, "artifacts")),
	})
	return rep, dir
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

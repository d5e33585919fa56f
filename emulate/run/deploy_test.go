package run_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/executor/host"
	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunDeploySkipped: publishing steps and environment jobs are skipped
// with their reasons, and nothing is deployed: stand-ins for twine, git and
// docker first on the steps' PATH record every call. With --allow-deploy
// the same steps call them.
func TestRunDeploySkipped(t *testing.T) {
	t.Parallel()
	stubs := t.TempDir()
	calls := filepath.Join(stubs, "calls.log")
	for _, name := range []string{"twine", "git", "docker"} {
		script := fmt.Sprintf("#!/bin/sh\necho \"%s $*\" >> %q\n", name, calls)
		if err := os.WriteFile(filepath.Join(stubs, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The stand-ins are on this machine: the host executor runs the steps.
	c := runCase{fixture: "hostrun", keepWorkflows: true, path: ".github/workflows/deploy.yml",
		env: map[string]string{"PATH": stubs + string(os.PathListSeparator) + os.Getenv("PATH")}}
	dir := repo(t, c)

	rep := runAt(t, host.New(), dir, c)
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("exit status %d\n%s", got, explain(jobsOf(rep)["publish"]))
	}
	if d := cmp.Diff(map[string]string{"publish": "success", "production": "skipped", "ssh": "success"}, conclusions(rep)); d != "" {
		t.Errorf("job conclusions (-want +got):\n%s", d)
	}
	jobs := jobsOf(rep)
	var reasons []string
	for _, s := range append(jobs["publish"].Steps, jobs["ssh"].Steps...) {
		reasons = append(reasons, string(s.Conclusion)+": "+s.Reason)
	}
	skip := " (run with --allow-deploy to run it)"
	want := []string{
		"success: ",
		"skipped: deploy step skipped: uploads packages with twine" + skip,
		"skipped: deploy step skipped: pushes to a git remote" + skip,
		"skipped: deploy step skipped: pushes an image with docker push" + skip,
		"success: ",
		"skipped: deploy step skipped: runs commands on a remote host over ssh" + skip,
	}
	if d := cmp.Diff(want, reasons); d != "" {
		t.Errorf("step reasons (-want +got):\n%s", d)
	}
	if got := jobs["production"].Reason; got != `deploys to environment "production"`+skip {
		t.Errorf("production reason = %q", got)
	}
	if data, err := os.ReadFile(calls); err == nil {
		t.Errorf("deploy commands ran without --allow-deploy:\n%s", data)
	}

	c.allowDeploy, c.jobs = true, []string{"publish", "production"}
	rep = runAt(t, host.New(), dir, c)
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("--allow-deploy: exit status %d\n%s", got, explain(jobsOf(rep)["publish"]))
	}
	if d := cmp.Diff(map[string]string{"publish": "success", "production": "success"}, conclusions(rep)); d != "" {
		t.Errorf("--allow-deploy job conclusions (-want +got):\n%s", d)
	}
	data, err := os.ReadFile(calls)
	if err != nil {
		t.Fatalf("--allow-deploy ran no deploy command: %v", err)
	}
	if d := cmp.Diff("twine upload dist/*\ngit push origin main\ndocker push example/app:latest\n", string(data)); d != "" {
		t.Errorf("--allow-deploy calls (-want +got):\n%s", d)
	}
}

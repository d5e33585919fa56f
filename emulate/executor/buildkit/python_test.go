package buildkit_test

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
	"github.com/rehearse-dev/rehearse/fixtures/loopback"
)

// TestPythonToolCache: the Pythons a job asks for are installed into its
// tool cache from the manifest's builds, by their own setup.sh, before the
// first step; a version the manifest has no build of for the image's OS is
// explained, naming the version and the image's OS.
func TestPythonToolCache(t *testing.T) {
	builds := loopback.PythonBuilds(t)
	index := loopback.StableTutorialIndex(t)
	env := map[string]string{"PIP_CONFIG_FILE": "/dev/null"}
	for _, kv := range index.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	e := containertest.Executor(t, buildkit.Options{
		Python: buildkit.PythonSources{Manifest: builds.ManifestURL, DigestsFile: t.TempDir() + "/digests.json"},
		Env:    env,
	})
	j := startJob(t, e, executor.JobSpec{Tools: []executor.ToolRequest{
		{Name: "python", Spec: "3.11"}, {Name: "python", Spec: "3.12"}, {Name: "python", Spec: "3.13"},
	}})
	code, out := run(t, j, `set -e
ls /opt/hostedtoolcache/Python
for d in /opt/hostedtoolcache/Python/*/x64; do "$d/bin/python" -c 'import sys, ssl, sqlite3; print(sys.version.split()[0])'; "$d/bin/python" -m pip --version | cut -d' ' -f1-2; done
stat -c %U /opt/hostedtoolcache/Python/3.11.7/x64/bin/python3.11
test -f /opt/hostedtoolcache/Python/3.11.7/x64.complete`)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"3.11.7\n", "3.12.1\n", "pip 23.2.1", "runner\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	why := j.Info().ToolProblems[executor.ToolKey("python", "3.13")]
	if !strings.Contains(why, "no build of Python 3.13 for debian 12 (x64)") || !strings.Contains(why, "--python-source 3.13=IMAGE") {
		t.Errorf("problem for 3.13 = %q", why)
	}
	if len(j.Info().ToolProblems) != 1 {
		t.Errorf("problems = %v, want only 3.13's", j.Info().ToolProblems)
	}
}

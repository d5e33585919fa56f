package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// runReport is the JSON report of `rehearse run --format json`, decoded
// with its own types so that these tests also pin the field names.
type runReport struct {
	Conclusion string `json:"conclusion"`
	Event      string `json:"event"`
	Workflows  []struct {
		File       string    `json:"file"`
		Conclusion string    `json:"conclusion"`
		Jobs       []*runJob `json:"jobs"`
		Invalid    bool      `json:"invalid"`
		Errors     []string  `json:"errors"`
	} `json:"workflows"`
	Partial   bool `json:"partial"`
	Artifacts []struct {
		Name  string `json:"name"`
		Files int    `json:"files"`
	} `json:"artifacts"`
	RunDir     string `json:"run_dir"`
	LogDir     string `json:"log_dir"`
	DurationMS int64  `json:"duration_ms"`
}

type runJob struct {
	Key             string            `json:"key"`
	Name            string            `json:"name"`
	Matrix          map[string]any    `json:"matrix"`
	Conclusion      string            `json:"conclusion"`
	ContinueOnError bool              `json:"continue_on_error"`
	Reason          string            `json:"reason"`
	Outputs         map[string]string `json:"outputs"`
	Steps           []*runStep        `json:"steps"`
	Annotations     []runAnnotation   `json:"annotations"`
	Summary         string            `json:"summary"`
	FailedStep      string            `json:"failed_step"`
	LogTail         []string          `json:"log_tail"`
	LogFile         string            `json:"log_file"`
}

type runStep struct {
	Name       string            `json:"name"`
	ID         string            `json:"id"`
	Outcome    string            `json:"outcome"`
	Conclusion string            `json:"conclusion"`
	Outputs    map[string]string `json:"outputs"`
	Reason     string            `json:"reason"`
}

type runAnnotation struct {
	Level   string `json:"level"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// jobs returns the report's jobs by key; the tests run one workflow at a
// time, so keys are unique.
func (r *runReport) jobs() map[string]*runJob {
	m := map[string]*runJob{}
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			m[j.Key] = j
		}
	}
	return m
}

// conclusions is every job's key and conclusion, for one cmp.Diff.
func (r *runReport) conclusions() map[string]string {
	m := map[string]string{}
	for k, j := range r.jobs() {
		m[k] = j.Conclusion
	}
	return m
}

// stepResults is "outcome/conclusion" of each step of the job.
func (j *runJob) stepResults() []string {
	var out []string
	for _, s := range j.Steps {
		out = append(out, s.Outcome+"/"+s.Conclusion)
	}
	return out
}

// runJSON runs `rehearse run --format json --progress quiet` with an
// isolated cache directory and decodes the report.
func runJSON(t *testing.T, dir string, env []string, args ...string) (result, *runReport) {
	t.Helper()
	env = append([]string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, env...)
	r := runBin(t, dir, env, append(append([]string{"run"}, args...), "--format", "json", "--progress", "quiet")...)
	var rep runReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report (exit %d): %v\nstdout:\n%s\nstderr:\n%s", r.code, err, r.stdout, r.stderr)
	}
	return r, &rep
}

// addWorkflow writes a workflow the fixtures do not have into a
// materialized repository, uncommitted (a run sees the working tree).
func addWorkflow(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunNothingTriggered: an event no workflow listens to is not an error.
func TestRunNothingTriggered(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	r := runBin(t, dir, nil, "run", "pull_request", "--progress", "quiet")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\nstderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "no workflow is triggered by pull_request") {
		t.Errorf("stderr does not say that nothing was triggered:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "success") || strings.Contains(r.stderr, "job started") {
		t.Errorf("a job ran:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	// With --format json, stdout still holds a report, of nothing run.
	r, rep := runJSON(t, dir, nil, "pull_request")
	if r.code != 0 || rep.Conclusion != "skipped" || len(rep.Workflows) != 0 {
		t.Errorf("JSON report of an untriggered run: exit %d, %+v", r.code, rep)
	}
}

// TestRunUnknownJob: -j with an id no workflow has is a usage error.
func TestRunUnknownJob(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	r := runBin(t, dir, nil, "run", "-W", ".github/workflows/outputs.yml", "-j", "nope")
	if r.code != 2 || !strings.Contains(r.stderr, `no job with id "nope"`) {
		t.Errorf("exit %d, want 2 with a message about the job\nstderr:\n%s", r.code, r.stderr)
	}
}

// TestRunFailing runs the failing fixture: exit 1, and the text report
// names the failed job and step, with the tail of its log and the
// annotations with paths relative to the repository root (emulate/run's
// TestRunFailing checks the same run's report in detail).
func TestRunFailing(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	dir := fixtures.Materialize(t, "failing")
	text := runBin(t, dir, []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, "run", "--progress", "quiet")
	if text.code != 1 {
		t.Errorf("text run: exit %d, want 1\nstderr:\n%s", text.code, text.stderr)
	}
	for _, line := range []string{
		`✗ Failing CI / test: step "Run tests" failed`,
		"src/my_app/main.py:3:5: error: Bad: something is wrong",
		"tests/test_main.py:15: warning: expected value looks suspicious",
		"##[error]Process completed with exit code 1.",
	} {
		if !strings.Contains(text.stdout, line) {
			t.Errorf("text report lacks %q:\n%s", line, text.stdout)
		}
	}
	if strings.Contains(text.stdout, dir+"/src") {
		t.Errorf("text report has absolute annotation paths:\n%s", text.stdout)
	}
}

// TestRunSecretsMasked runs secrets.yml with secrets from --secret and
// --secret-file (a multi-line value and a JSON value) and a value the
// workflow masks with ::add-mask::; none may appear in stdout, stderr
// (plain progress shows every log line), the JSON report or the logs.
func TestRunSecretsMasked(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	tmp := t.TempDir()
	secretFile := filepath.Join(tmp, "secrets.env")
	if err := os.WriteFile(secretFile, []byte("MULTILINE=\"first-secret-line\nsecond-secret-line\"\nJSON_SECRET={\"user\":\"json-user-x1\",\"password\":\"pw-s3cr3t-json\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	logDir := filepath.Join(tmp, "logs")
	reportFile := filepath.Join(tmp, "report.json")
	r := runBin(t, dir, []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, "run", "-W", ".github/workflows/secrets.yml",
		"--secret", "SIMPLE=simple-s3cr3t-value", "--secret-file", secretFile,
		"--log-dir", logDir, "--report", reportFile, "--format", "json", "--progress", "plain")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	outputs := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	err := filepath.WalkDir(logDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		outputs[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	report, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	outputs["--report"] = string(report)
	if string(report) != r.stdout {
		t.Errorf("--report %s differs from the JSON report on stdout", reportFile)
	}
	if len(outputs) < 4 {
		t.Fatalf("no log files under --log-dir %s", logDir)
	}
	secrets := []string{
		"simple-s3cr3t-value", "first-secret-line", "second-secret-line",
		`{"user":"json-user-x1","password":"pw-s3cr3t-json"}`, "pw-s3cr3t-json", "json-user-x1",
	}
	generated := regexp.MustCompile(`generated-[0-9]+-token`)
	for name, text := range outputs {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows the secret %q", name, s)
			}
		}
		if m := generated.FindString(text); m != "" {
			t.Errorf("%s shows the ::add-mask:: value %q", name, m)
		}
	}
	// The masked lines are there, as ***: the steps did print them.
	for _, line := range []string{"simple: ***", "simple via env: ***", "json password: ***", "generated: ***"} {
		if !strings.Contains(r.stderr, line) {
			t.Errorf("progress output lacks %q", line)
		}
	}
}

// TestRunLeavesRepositoryUntouched runs workflows that check out, write
// into the workspace, cache and upload, in a repository with uncommitted
// and untracked changes: every file (path, mode, content) and git status
// are the same afterwards, and the job saw the uncommitted work.
func TestRunLeavesRepositoryUntouched(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	if err := os.WriteFile(filepath.Join(dir, "cache-key.txt"), []byte("changed, not committed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "untracked.txt"), []byte("new\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addWorkflow(t, dir, "sees-changes.yml", `name: Sees changes
on: push
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          test "$(cat cache-key.txt)" = "changed, not committed"
          test "$(cat untracked.txt)" = new
          git status --porcelain | grep -q cache-key.txt
          echo scribble > cache-key.txt
          rm untracked.txt
          mkdir -p made/here && touch made/here/file
`)
	before := fixtures.Snapshot(t, dir)
	for _, wf := range []string{"sees-changes.yml", "cache.yml", "artifacts.yml", "working-directory.yml"} {
		r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/"+wf)
		if r.code != 0 || rep.Conclusion != "success" {
			t.Errorf("%s: exit %d, conclusion %q\nstderr:\n%s", wf, r.code, rep.Conclusion, r.stderr)
		}
	}
	fixtures.CheckUntouched(t, before, fixtures.Snapshot(t, dir))
}

// TestRunInterrupt sends SIGINT to a run whose step has a child process:
// rehearse exits 130 within seconds, reports the job cancelled, and no
// process of the step survives. Every step process carries a marker in its
// environment, so a survivor is found even if it was reparented.
func TestRunInterrupt(t *testing.T) {
	skipIfShort(t)
	if runtime.GOOS != "linux" {
		t.Skip("scans /proc for left-over processes; Linux only")
	}
	t.Parallel()
	t.Run("host", func(t *testing.T) {
		t.Parallel()
		runInterrupt(t, []string{"--executor", "host"}, true)
	})
	t.Run("container", func(t *testing.T) {
		t.Parallel()
		if testing.Short() {
			t.Skip("slow: needs the test builder")
		}
		// A container's processes are this machine's too, so the /proc
		// scan finds them by the marker; the pids the step prints are the
		// container's own and mean nothing here.
		runInterrupt(t, []string{"--executor", "container", "--builder", buildkittest.Addr(t), "-P", "ubuntu-latest=" + containertest.Image(t)}, false)
	})
}

func runInterrupt(t *testing.T, executorArgs []string, hostPids bool) {
	dir := fixtures.Materialize(t, "hostrun")
	marker := fmt.Sprintf("REHEARSE_TEST_MARKER=interrupt-%d-%d", os.Getpid(), time.Now().UnixNano())
	r := startRun(t, dir, nil, append(append([]string{"run"}, executorArgs...), "-W", ".github/workflows/long-running.yml",
		"--progress", "plain", "--format", "json", "--env", marker)...)
	r.mustWaitLine(t, "] ready", 30*time.Second)
	// The scan must see the step's processes while they run, or its empty
	// result after the interrupt would prove nothing.
	// The background child may still be between fork and exec: wait a
	// little for both.
	running := survivors(marker, nil)
	for deadline := time.Now().Add(3 * time.Second); len(running) < 2 && time.Now().Before(deadline); running = survivors(marker, nil) {
		time.Sleep(20 * time.Millisecond)
	}
	if len(running) < 2 {
		t.Errorf("the /proc scan finds %v while the step runs, want its shell and sleep", running)
	}
	start := time.Now()
	r.interrupt(t)
	code := r.wait(t, 15*time.Second)
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("rehearse took %v to exit after SIGINT", d)
	}
	if code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, r.output())
	}
	var rep runReport
	if err := json.Unmarshal(r.stdout.Bytes(), &rep); err != nil {
		t.Fatalf("no JSON report after the interrupt: %v\n%s", err, r.stdout.String())
	}
	if rep.Conclusion != "cancelled" {
		t.Errorf("run conclusion = %q, want cancelled", rep.Conclusion)
	}
	if d := cmp.Diff(map[string]string{"wait": "cancelled"}, rep.conclusions()); d != "" {
		t.Errorf("job conclusions (-want +got):\n%s", d)
	}
	if j := rep.jobs()["wait"]; j != nil {
		if d := cmp.Diff([]string{"cancelled/cancelled"}, j.stepResults()); d != "" {
			t.Errorf("steps (-want +got):\n%s", d)
		}
	}
	var stepPids []int
	for _, m := range regexp.MustCompile(`(?m)(?:child|shell) pid ([0-9]+)$`).FindAllStringSubmatch(r.output(), -1) {
		n, _ := strconv.Atoi(m[1])
		stepPids = append(stepPids, n)
	}
	if len(stepPids) != 2 {
		t.Errorf("the step printed pids %v, want the shell's and the child's", stepPids)
	}
	if !hostPids {
		stepPids = nil
	}
	// Processes are reaped asynchronously; give them a moment.
	var left []string
	for deadline := time.Now().Add(3 * time.Second); ; {
		left = survivors(marker, stepPids)
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(left) > 0 {
		t.Errorf("processes of the step survived the interrupt: %v", left)
	}
}

// survivors lists live (not zombie) processes that have marker in their
// environment or one of pids.
func survivors(marker string, pids []int) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !alive(pid) {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err == nil && bytes.Contains(env, []byte(marker)) {
			cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			out = append(out, fmt.Sprintf("%d %s", pid, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
	}
	for _, pid := range pids {
		if alive(pid) {
			out = append(out, fmt.Sprintf("%d (printed by the step)", pid))
		}
	}
	sort.Strings(out)
	return out
}

func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesized command name.
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}

// TestRunDogfoodBuild runs the build job of this project's own CI with
// rehearse: checkout, setup-go from go.mod, go build and planning the
// tutorial fixture with the binary it built. Skipped inside a run (rehearse
// sets GITHUB_ACTIONS=true), so it never recurses.
func TestRunDogfoodBuild(t *testing.T) {
	skipIfShort(t)
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		t.Skip("inside GitHub Actions or a rehearse run: no recursion")
	}
	t.Parallel()
	root := filepath.Dir(fixtures.Dir())
	// The lint and build jobs; the test job would run this suite again.
	r, rep := runJSON(t, t.TempDir(), nil, "-C", root, "-W", ".github/workflows/ci.yml", "-j", "lint", "-j", "build")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if d := cmp.Diff(map[string]string{"lint": "success", "build": "success"}, rep.conclusions()); d != "" {
		t.Fatalf("job conclusions (-want +got):\n%s", d)
	}
	j := rep.jobs()["build"]
	var steps []string
	for _, s := range j.Steps {
		steps = append(steps, s.Name+": "+s.Conclusion)
	}
	want := []string{
		"Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683: success",
		"Run actions/setup-go@d35c59abb061a4a6fb18e82ac0862c26744d6ab5: success",
		"Build: success",
		"Plan the tutorial fixture: success",
	}
	if d := cmp.Diff(want, steps); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	if v := j.Steps[1].Outputs["go-version"]; v == "" {
		t.Errorf("setup-go set no go-version output")
	}
}

// TestRunSharedPipCache runs the pipcache fixture against a PEP 503 index
// on 127.0.0.1 that serves one small wheel built here: the second job's
// install comes from the pip cache the first filled (one download of the
// wheel, "Using cached" in its log), and that cache is under
// REHEARSE_CACHE_DIR.
func TestRunSharedPipCache(t *testing.T) {
	t.Parallel()
	t.Run("host", func(t *testing.T) {
		skipIfShort(t)
		if _, err := exec.LookPath("python3"); err != nil {
			t.Skip("python3 is not installed")
		}
		t.Parallel()
		runSharedPipCache(t, "host", nil)
	})
	t.Run("container", func(t *testing.T) {
		if testing.Short() {
			t.Skip("slow: needs the test builder")
		}
		t.Parallel()
		// The job's user (runner, uid 1001) owns the cache mount at
		// ~/.cache/pip, so pip uses it; PIP_CACHE_DIR is not set.
		runSharedPipCache(t, "container", []string{"--builder", buildkittest.Addr(t), "-P", "ubuntu-latest=" + containertest.Image(t)})
	})
}

func runSharedPipCache(t *testing.T, executor string, args []string) {
	const wheelName = "rehearse_tinypkg-0.1.0-py3-none-any.whl"
	wheel := buildWheel(t, "rehearse_tinypkg", "rehearse-tinypkg", "0.1.0", map[string]string{
		"rehearse_tinypkg/__init__.py": "GREETING = \"hello from tinypkg\"\n",
	})
	sum := sha256.Sum256(wheel)
	var downloads atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/simple/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/simple/":
			fmt.Fprint(w, `<!DOCTYPE html><html><body><a href="rehearse-tinypkg/">rehearse-tinypkg</a></body></html>`)
		case "/simple/rehearse-tinypkg/":
			fmt.Fprintf(w, `<!DOCTYPE html><html><body><a href="/files/%s#sha256=%x">%s</a></body></html>`, wheelName, sum, wheelName)
		default:
			http.NotFound(w, r)
		}
	})
	mux.HandleFunc("/files/"+wheelName, func(w http.ResponseWriter, r *http.Request) {
		downloads.Add(1)
		// As PyPI serves files: cacheable, so pip's HTTP cache keeps it.
		w.Header().Set("Cache-Control", "max-age=365000000, immutable, public")
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(wheel)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cacheDir := t.TempDir()
	dir := fixtures.Materialize(t, "pipcache")
	r, rep := runJSON(t, dir, []string{"REHEARSE_CACHE_DIR=" + cacheDir}, append(append([]string{"--executor", executor}, args...),
		"--env", "PIP_INDEX_URL="+srv.URL+"/simple/",
		// pip caches http:// responses only from trusted hosts (an https
		// mirror needs nothing).
		"--env", "PIP_TRUSTED_HOST=127.0.0.1",
		"--env", "PIP_DISABLE_PIP_VERSION_CHECK=1",
		"--env", "PIP_CONFIG_FILE="+os.DevNull,
		"--env", "PIP_NO_INPUT=1")...)
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if d := cmp.Diff(map[string]string{"first": "success", "second": "success"}, rep.conclusions()); d != "" {
		t.Fatalf("job conclusions (-want +got):\n%s", d)
	}
	if n := downloads.Load(); n != 1 {
		t.Errorf("the index served the wheel %d times, want 1 (the second job should use the shared pip cache)", n)
	}
	second, err := os.ReadFile(rep.jobs()["second"].LogFile)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Using cached \S*` + regexp.QuoteMeta(wheelName)).Match(second) {
		t.Errorf("the second job's log does not say it used the cache:\n%s", second)
	}
	if executor != "host" {
		// The container's pip cache is a BuildKit cache mount, owned by the
		// job's user (pip disables a cache it does not own).
		if !strings.Contains(string(second), "/home/runner/.cache/pip") {
			t.Errorf("pip's cache directory in the container is not ~/.cache/pip:\n%s", second)
		}
		return
	}
	files := 0
	_ = filepath.WalkDir(filepath.Join(cacheDir, "pip"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files == 0 {
		t.Errorf("the pip cache under REHEARSE_CACHE_DIR (%s) is empty", filepath.Join(cacheDir, "pip"))
	}
}

// buildWheel makes a pure-Python wheel: the files, and a dist-info with
// METADATA, WHEEL and a RECORD of their hashes (PEP 427).
func buildWheel(t *testing.T, module, dist, version string, files map[string]string) []byte {
	t.Helper()
	info := module + "-" + version + ".dist-info/"
	all := map[string]string{}
	for k, v := range files {
		all[k] = v
	}
	all[info+"METADATA"] = "Metadata-Version: 2.1\nName: " + dist + "\nVersion: " + version + "\n"
	all[info+"WHEEL"] = "Wheel-Version: 1.0\nGenerator: rehearse-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Strings(names)
	var record strings.Builder
	for _, n := range names {
		h := sha256.Sum256([]byte(all[n]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", n, base64.RawURLEncoding.EncodeToString(h[:]), len(all[n]))
	}
	record.WriteString(info + "RECORD,,\n")
	all[info+"RECORD"] = record.String()
	names = append(names, info+"RECORD")

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err == nil {
			_, err = io.WriteString(w, all[n])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

package workspace_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

func isDir(t *testing.T, p string) bool {
	t.Helper()
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// runID is NewRun's directory name: the start time, then MkdirTemp's
// random suffix so two runs in the same second do not share a directory.
var runID = regexp.MustCompile(`^\d{8}-\d{6}-\d+$`)

func TestNewRun(t *testing.T) {
	t.Parallel()
	base := filepath.Join(t.TempDir(), "runs")
	r, err := workspace.NewRun(base, "")
	if err != nil {
		t.Fatal(err)
	}
	if !runID.MatchString(r.ID) {
		t.Errorf("ID = %q, want it to match %s", r.ID, runID)
	}
	if want := filepath.Join(base, r.ID); r.Dir != want {
		t.Errorf("Dir = %q, want %q", r.Dir, want)
	}
	if want := filepath.Join(r.Dir, "logs"); r.LogDir != want {
		t.Errorf("LogDir = %q, want %q", r.LogDir, want)
	}
	if !isDir(t, r.LogDir) {
		t.Errorf("LogDir %q was not created", r.LogDir)
	}

	r2, err := workspace.NewRun(base, "")
	if err != nil {
		t.Fatal(err)
	}
	if r2.Dir == r.Dir {
		t.Errorf("two runs share the directory %q", r.Dir)
	}
}

func TestNewRunLogDir(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	logDir := filepath.Join(tmp, "my", "logs")
	r, err := workspace.NewRun(filepath.Join(tmp, "runs"), logDir)
	if err != nil {
		t.Fatal(err)
	}
	if r.LogDir != logDir {
		t.Errorf("LogDir = %q, want --log-dir %q", r.LogDir, logDir)
	}
	if !isDir(t, logDir) {
		t.Errorf("--log-dir %q was not created", logDir)
	}
	if isDir(t, filepath.Join(r.Dir, "logs")) {
		t.Errorf("run directory has a logs/ although the logs go to %q", logDir)
	}
	if want := filepath.Join(logDir, "ci.yml", "build.1.log"); r.LogFile(".github/workflows/ci.yml", "build.1") != want {
		t.Errorf("LogFile = %q, want %q", r.LogFile(".github/workflows/ci.yml", "build.1"), want)
	}
}

func TestNewRunUnwritableBase(t *testing.T) {
	t.Parallel()
	// A file where the base directory should be.
	base := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(base, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := workspace.NewRun(base, ""); err == nil {
		t.Error("NewRun under a regular file succeeded, want an error")
	}
}

func TestRunJob(t *testing.T) {
	t.Parallel()
	r, err := workspace.NewRun(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what string
		key  string
		name string
	}{
		{"plain job", "build", "ci.yml/build"},
		{"matrix cell", "test.3", "ci.yml/test.3"},
		{"called workflow's job", "call/inner.2", "ci.yml/call/inner.2"},
		{"job named like a called one", "call_inner.2", "ci.yml/call_inner.2"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			d, err := r.Job(".github/workflows/ci.yml", tc.key)
			if err != nil {
				t.Fatal(err)
			}
			root := filepath.Join(r.Dir, "jobs", filepath.FromSlash(tc.name))
			want := workspace.JobDirs{
				Root:      root,
				Workspace: filepath.Join(root, "workspace"),
				Temp:      filepath.Join(root, "temp"),
				ToolCache: filepath.Join(root, "tool-cache"),
			}
			if diff := cmp.Diff(want, d); diff != "" {
				t.Errorf("Job(%q) (-want +got):\n%s", tc.key, diff)
			}
			for _, p := range []string{d.Temp, d.ToolCache} {
				if !isDir(t, p) {
					t.Errorf("%q was not created", p)
				}
			}
			// The workspace is left for Checkout, which clones into a
			// directory that must not exist yet.
			if _, err := os.Stat(d.Workspace); !os.IsNotExist(err) {
				t.Errorf("workspace %q exists before Checkout (err %v)", d.Workspace, err)
			}
			if want := filepath.Join(r.LogDir, filepath.FromSlash(tc.name)+".log"); r.LogFile(".github/workflows/ci.yml", tc.key) != want {
				t.Errorf("LogFile(%q) = %q, want %q", tc.key, r.LogFile(".github/workflows/ci.yml", tc.key), want)
			}
		})
	}
	// Asking again for a job's directories is not an error.
	if _, err := r.Job(".github/workflows/ci.yml", "build"); err != nil {
		t.Errorf("second Job(build): %v", err)
	}
}

func TestSafeName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		key  string
		want string
	}{
		{"safe characters kept", "Build_1-a.2", "Build_1-a.2"},
		{"slash", "call/inner", "call_inner"},
		{"run of unsafe characters becomes one underscore", "a :/ b", "a_b"},
		{"display name characters", "test (3.12, ubuntu-latest)", "test_3.12_ubuntu-latest_"},
		{"non-ASCII", "ünï", "_n_"},
		{"shell metacharacters", "a$(rm -rf)`x`;b", "a_rm_-rf_x_b"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := workspace.SafeName(tc.key); got != tc.want {
				t.Errorf("SafeName(%q) = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

// TestStateDir cannot run in parallel: it sets environment variables.
func TestStateDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	tests := []struct {
		what     string
		stateDir string
		xdgState string
		want     string
	}{
		{"REHEARSE_STATE_DIR wins", "/tmp/r-state", "/tmp/xdg", "/tmp/r-state"},
		{"XDG_STATE_HOME", "", "/tmp/xdg", "/tmp/xdg/rehearse"},
		{"home directory", "", "", filepath.Join(home, ".local", "state", "rehearse")},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Setenv("REHEARSE_STATE_DIR", tc.stateDir)
			t.Setenv("XDG_STATE_HOME", tc.xdgState)
			got, err := workspace.StateDir()
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("StateDir() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestNewRunStateDir: without a base, runs go under $REHEARSE_STATE_DIR/runs.
// Not parallel: it sets an environment variable.
func TestNewRunStateDir(t *testing.T) {
	state := t.TempDir()
	t.Setenv("REHEARSE_STATE_DIR", state)
	r, err := workspace.NewRun("", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(state, "runs", r.ID); r.Dir != want {
		t.Errorf("Dir = %q, want %q", r.Dir, want)
	}
	if !isDir(t, r.LogDir) {
		t.Errorf("LogDir %q was not created", r.LogDir)
	}
}

// TestRemoveJobsAndPrune: a finished run keeps its logs but not its job
// directories, and only the newest runs are kept.
func TestRemoveJobsAndPrune(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	var runs []*workspace.Run
	for range 4 {
		r, err := workspace.NewRun(base, "")
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	last := runs[len(runs)-1]
	d, err := last.Job(".github/workflows/ci.yml", "build")
	if err != nil {
		t.Fatal(err)
	}
	log := last.LogFile(".github/workflows/ci.yml", "build")
	if err := os.WriteFile(log, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := last.RemoveJobs(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Root); !os.IsNotExist(err) {
		t.Errorf("job directory %s still exists", d.Root)
	}
	if _, err := os.Stat(log); err != nil {
		t.Errorf("the log was removed with the jobs: %v", err)
	}
	if err := last.Prune(2, time.Hour); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(base); len(entries) != 4 {
		t.Errorf("Prune removed runs younger than its minimum age: %d left", len(entries))
	}
	if err := last.Prune(2, 0); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(base)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	// Names are time-stamped to the second and may tie: keep the run itself
	// and exactly one other.
	if len(left) != 2 || !slices.Contains(left, last.ID) {
		t.Errorf("after Prune(2): %q, want 2 runs including %s", left, last.ID)
	}
}

//go:build linux

package host_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
)

// TestOrphansCleanedUp: what a job's steps leave running outside their
// process group (setsid, a double fork, nohup ... & disown) ends with the
// job, logged as the runner logs it, and a concurrent job's processes are
// left alone.
func TestOrphansCleanedUp(t *testing.T) {
	t.Parallel()
	e := host.New()
	e.SigtermAfter, e.SigkillAfter = 100*time.Millisecond, 100*time.Millisecond
	var mu sync.Mutex
	var log []string
	start := func(key string) executor.Job {
		j, err := e.StartJob(t.Context(), executor.JobSpec{Key: key, Log: func(l string) {
			mu.Lock()
			defer mu.Unlock()
			log = append(log, key+": "+l)
		}})
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	a, b := start("a"), start("b")
	defer b.Close(context.Background())
	dir := t.TempDir()
	// Each leftover writes its pid to a file, so the test can look for it.
	leave := func(j executor.Job, script string) string {
		t.Helper()
		env := os.Environ()
		for k, v := range j.Env() {
			env = append(env, k+"="+v)
		}
		var out bytes.Buffer
		code, err := j.Exec(t.Context(), executor.Process{Argv: []string{"bash", "-c", script}, Env: env, Dir: dir, Stdout: &out, Stderr: &out})
		if err != nil || code != 0 {
			t.Fatalf("%s: exit %d, %v\n%s", script, code, err, out.String())
		}
		return j.Env()[executor.TrackingVar]
	}
	tracking := leave(a, `setsid sh -c 'echo $$ > setsid.pid; exec sleep 300' & 
(sh -c 'echo $$ > double.pid; exec sleep 300' &) &
nohup sh -c 'echo $$ > nohup.pid; exec sleep 300' >/dev/null 2>&1 & disown
echo "RUNNER_TRACKING_ID=$RUNNER_TRACKING_ID"`)
	if !strings.HasPrefix(tracking, "github_") {
		t.Errorf("RUNNER_TRACKING_ID = %q, want github_<uuid>", tracking)
	}
	leave(b, `setsid sh -c 'echo $$ > other.pid; exec sleep 300' &`)
	pids := map[string]int{}
	for _, name := range []string{"setsid", "double", "nohup", "other"} {
		pids[name] = waitPid(t, filepath.Join(dir, name+".pid"))
		if !running(pids[name]) {
			t.Fatalf("%s: process %d is not running before the job ends", name, pids[name])
		}
	}
	if err := a.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"setsid", "double", "nohup"} {
		if waitGone(pids[name]) {
			continue
		}
		t.Errorf("%s: process %d outlived its job", name, pids[name])
	}
	if !running(pids["other"]) {
		t.Errorf("the other job's process %d was killed", pids["other"])
	}
	mu.Lock()
	joined := strings.Join(log, "\n")
	mu.Unlock()
	if !strings.Contains(joined, "a: Cleaning up orphan processes") || !strings.Contains(joined, "a: Terminate orphan process: pid (") {
		t.Errorf("the job log lacks the cleanup:\n%s", joined)
	}
	if strings.Contains(joined, "b: ") {
		t.Errorf("the other job logged a cleanup:\n%s", joined)
	}
	_ = b.Close(context.Background())
	if !waitGone(pids["other"]) {
		t.Errorf("the other job's process %d outlived its job", pids["other"])
	}
}

func waitPid(t *testing.T, path string) int {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		data, err := os.ReadFile(path)
		if err == nil && len(bytes.TrimSpace(data)) > 0 {
			if pid, err := strconv.Atoi(string(bytes.TrimSpace(data))); err == nil {
				return pid
			}
		}
	}
	t.Fatalf("no pid in %s", path)
	return 0
}

// running: the process exists and is not a zombie.
func running(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

func waitGone(pid int) bool {
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if !running(pid) {
			return true
		}
	}
	return false
}

package toolchain

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// probeTimeout bounds one run of an interpreter; a hung binary must not hang
// the plan.
const probeTimeout = 20 * time.Second

// probeKey identifies one question to one binary. Size and modification time
// are part of it so that a reinstalled interpreter is asked again.
type probeKey struct {
	path  string
	size  int64
	mtime int64
	args  string
}

// probes caches answers for the life of the process: every job of every run
// asks about the same interpreters.
var (
	probesMu sync.Mutex
	probes   = map[probeKey]string{}
)

// probe runs path with args once per (binary, args) and returns its stdout.
// It runs in the system temp directory so that no go.mod or .python-version
// around the caller changes the answer.
func probe(ctx context.Context, env Env, path string, args ...string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	key := probeKey{path: real, size: st.Size(), mtime: st.ModTime().UnixNano(), args: strings.Join(args, "\x00")}
	probesMu.Lock()
	out, ok := probes[key]
	probesMu.Unlock()
	if ok {
		return out, nil
	}

	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = env.environ()
	cmd.Dir = os.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200] + "..."
		}
		return "", fmt.Errorf("could not run %q: %w: %s", path, err, msg)
	}
	out = stdout.String()
	probesMu.Lock()
	probes[key] = out
	probesMu.Unlock()
	return out, nil
}

// isExecutable reports whether p is an executable regular file (after links).
func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}

// resolved returns p with symlinks evaluated, or p when that fails.
func resolved(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

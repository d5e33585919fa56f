//go:build linux

package agent

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor/treetar"
)

// outputGrace is how long the agent still copies a step's output after the
// step exits while processes it left in the background hold the pipes; the
// host executor waits as long.
const outputGrace = 500 * time.Millisecond

// execStep is `exec [--files] [--sigterm-after D] [--sigkill-after D]
// [--dir D] -- ARGV...`: it runs ARGV with the agent's environment in its
// own process group and writes its exit status to status. With --files it
// first extracts a tar of files from stdin (writes the executor queued);
// the step itself gets no stdin.
func execStep(args []string, status string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	files := fs.Bool("files", false, "")
	dir := fs.String("dir", "", "")
	sigtermAfter := durationFlag(fs, "sigterm-after", 7500*time.Millisecond)
	sigkillAfter := durationFlag(fs, "sigkill-after", 2500*time.Millisecond)
	if err := fs.Parse(args); err != nil {
		return err
	}
	argv := fs.Args()
	if len(argv) == 0 {
		return errors.New("exec: no command")
	}
	// Signals first: a cancel may come while files are still being written.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if *files {
		if err := treetar.Extract(context.Background(), stdin, "/", nil); err != nil {
			return writeStatus(status, -1, fmt.Sprintf("could not write the step's files: %v", err))
		}
	}
	code, msg := runChild(argv, *dir, stdout, stderr, sigs, *sigtermAfter, *sigkillAfter)
	return writeStatus(status, code, msg)
}

// writeStatus records the exit code (and, for a process that could not
// start, the reason on a second line) where the executor reads it.
func writeStatus(path string, code int, msg string) error {
	text := fmt.Sprintf("%d\n%s", code, msg)
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	// Shared by the job's users (root for setup, the runner for steps).
	_ = os.Chmod(filepath.Dir(path), 0o777|os.ModeSticky)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o666); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func runChild(argv []string, dir string, stdout, stderr io.Writer, sigs <-chan os.Signal, sigtermAfter, sigkillAfter time.Duration) (int, string) {
	prog := argv[0]
	if !strings.Contains(prog, "/") {
		p, err := exec.LookPath(prog)
		if err != nil {
			return -1, fmt.Sprintf("could not start %q: not found on the step's PATH", prog)
		}
		prog = p
	}
	return runProcess(argv, prog, nil, dir, nil, stdout, stderr, sigs, sigtermAfter, sigkillAfter)
}

// runProcess runs prog (argv[0] resolved) in its own process group, with
// env (nil: the agent's) in dir, as cred (nil: the agent's user), copying
// its output a line at a time, and stops it on a signal from stop as the
// runner stops a cancelled step. It returns the exit code (128+N when
// killed by signal N), or -1 and why it could not run.
func runProcess(argv []string, prog string, env []string, dir string, cred *syscall.Credential, stdout, stderr io.Writer, stop <-chan os.Signal, sigtermAfter, sigkillAfter time.Duration) (int, string) {
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return -1, fmt.Sprintf("An error occurred trying to start process '%s' with working directory '%s'. No such file or directory", argv[0], dir)
		}
	}
	cmd := exec.Command(prog, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred}
	outR, outW, err := os.Pipe()
	if err != nil {
		return -1, err.Error()
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return -1, err.Error()
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	if err := cmd.Start(); err != nil {
		outW.Close()
		errW.Close()
		outR.Close()
		errR.Close()
		return -1, fmt.Sprintf("could not start %q: %v", argv[0], err)
	}
	outW.Close()
	errW.Close()
	var copies sync.WaitGroup
	copies.Add(2)
	go copyLines(&copies, stdout, outR)
	go copyLines(&copies, stderr, errR)

	pgid := cmd.Process.Pid
	done := make(chan struct{})
	go stopOnSignal(pgid, stop, done, sigtermAfter, sigkillAfter)
	err = cmd.Wait()
	close(done)
	// Processes the step started in the background may hold the pipes:
	// give the output a moment, then let them be.
	finished := make(chan struct{})
	go func() { copies.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(outputGrace):
		outR.Close()
		errR.Close()
		<-finished
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), ""
		}
		return ee.ExitCode(), ""
	}
	if err != nil {
		return -1, err.Error()
	}
	return 0, ""
}

// copyLines copies a pipe to w a line at a time, so that a line is never
// cut by the other stream's output (the runner reads each stream by line).
func copyLines(wg *sync.WaitGroup, w io.Writer, r io.Reader) {
	defer wg.Done()
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			_, _ = w.Write(line)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return
		}
	}
}

// stopOnSignal stops the step's process group as the runner stops a
// cancelled step: SIGINT, then SIGTERM, then SIGKILL.
func stopOnSignal(pgid int, sigs <-chan os.Signal, done <-chan struct{}, sigtermAfter, sigkillAfter time.Duration) {
	select {
	case <-done:
		return
	case <-sigs:
	}
	_ = syscall.Kill(-pgid, syscall.SIGINT)
	select {
	case <-done:
		return
	case <-time.After(sigtermAfter):
	}
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-done:
		return
	case <-time.After(sigkillAfter):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

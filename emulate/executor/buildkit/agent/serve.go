//go:build linux

package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor/treetar"
)

// serve runs processes on request, for the life of the job: one long-lived
// process instead of one `runc exec` per step, which costs BuildKit about
// 0.1 s each. It reads requests from stdin and writes the processes' output
// and exits to stdout as frames (see frame.go); it ends, with exit code 0,
// when stdin closes. It runs as root and starts each process as the user
// the request names.
func serve(stdin io.Reader, stdout io.Writer) error {
	fw := &frameWriter{w: stdout}
	var mu sync.Mutex
	stops := map[uint32]chan os.Signal{}
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		typ, id, payload, err := ReadFrame(stdin)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch typ {
		case FrameExec:
			var req ExecRequest
			if err := json.Unmarshal(payload, &req); err != nil {
				sendExit(fw, id, -1, "bad request: "+err.Error())
				continue
			}
			stop := make(chan os.Signal, 1)
			mu.Lock()
			stops[id] = stop
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, msg := serveExec(fw, id, req, stop)
				mu.Lock()
				delete(stops, id)
				mu.Unlock()
				sendExit(fw, id, code, msg)
			}()
		case FrameSignal:
			mu.Lock()
			stop := stops[id]
			mu.Unlock()
			if stop != nil {
				select {
				case stop <- syscall.SIGINT:
				default:
				}
			}
		}
	}
}

func sendExit(fw *frameWriter, id uint32, code int, msg string) {
	data, _ := json.Marshal(ExitStatus{Code: code, Message: msg})
	_ = fw.write(FrameExit, id, data)
}

// serveExec writes the request's files, then runs its process as runChild
// does, as the request's user.
func serveExec(fw *frameWriter, id uint32, req ExecRequest, stop <-chan os.Signal) (int, string) {
	if len(req.Files) > 0 {
		owner := &treetar.Owner{UID: req.UID, GID: req.GID}
		if err := treetar.Extract(context.Background(), bytes.NewReader(req.Files), "/", owner); err != nil {
			return -1, "could not write the step's files: " + err.Error()
		}
	}
	if len(req.Argv) == 0 {
		return -1, "no command"
	}
	prog := req.Argv[0]
	if !strings.Contains(prog, "/") {
		p, ok := lookPathIn(prog, req.Env)
		if !ok {
			return -1, "could not start \"" + prog + "\": not found on the step's PATH"
		}
		prog = p
	}
	cred := &syscall.Credential{Uid: uint32(req.UID), Gid: uint32(req.GID), Groups: []uint32{}}
	return runProcess(req.Argv, prog, req.Env, req.Dir, cred,
		streamWriter{fw, FrameStdout, id}, streamWriter{fw, FrameStderr, id}, stop,
		time.Duration(req.SigtermAfter), time.Duration(req.SigkillAfter))
}

// lookPathIn finds prog on the PATH of env.
func lookPathIn(prog string, env []string) (string, bool) {
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, prog)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}

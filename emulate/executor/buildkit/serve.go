package buildkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	gwclient "github.com/moby/buildkit/frontend/gateway/client"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit/agent"
)

// server is the job's `agent serve` process, which starts the job's steps
// inside the container on request: a step then costs a message each way
// instead of a `runc exec` (about 0.1 s) and a status file read.
type server struct {
	in   *io.PipeWriter
	inMu sync.Mutex

	mu    sync.Mutex
	next  uint32
	procs map[uint32]*served
	dead  error // set once the serve process is gone
}

// served is one process running under the server.
type served struct {
	stdout, stderr io.Writer
	exit           chan agent.ExitStatus
}

// startServer starts the serve process as root (it runs each step as the
// job's user) and the goroutine that routes its frames.
func (j *job) startServer(ctx context.Context) (*server, error) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &server{in: inW, procs: map[uint32]*served{}}
	proc, err := j.ctr.Start(context.WithoutCancel(ctx), gwclient.StartRequest{
		Args: []string{agentPath, agent.Command, "serve"}, User: "0:0", Cwd: "/",
		Env: []string{"PATH=" + defaultPath}, Stdin: inR, Stdout: outW, Stderr: nopWriteCloser{io.Discard},
	})
	if err != nil {
		return nil, err
	}
	go func() {
		err := proc.Wait()
		if err == nil {
			err = errors.New("the step server ended")
		}
		outW.CloseWithError(err)
	}()
	go s.route(outR)
	return s, nil
}

// route hands each frame to its process until the stream ends.
func (s *server) route(r io.Reader) {
	for {
		typ, id, payload, err := agent.ReadFrame(r)
		if err != nil {
			s.fail(fmt.Errorf("the step server stopped: %w", err))
			return
		}
		s.mu.Lock()
		p := s.procs[id]
		if typ == agent.FrameExit {
			delete(s.procs, id)
		}
		s.mu.Unlock()
		if p == nil {
			continue
		}
		switch typ {
		case agent.FrameStdout:
			_, _ = p.stdout.Write(payload)
		case agent.FrameStderr:
			_, _ = p.stderr.Write(payload)
		case agent.FrameExit:
			var st agent.ExitStatus
			if err := json.Unmarshal(payload, &st); err != nil {
				st = agent.ExitStatus{Code: -1, Message: "bad exit frame: " + err.Error()}
			}
			p.exit <- st
		}
	}
}

// fail ends every waiting process with err and refuses new ones.
func (s *server) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead == nil {
		s.dead = err
	}
	for id, p := range s.procs {
		p.exit <- agent.ExitStatus{Code: -1, Message: err.Error()}
		delete(s.procs, id)
	}
}

func (s *server) send(typ byte, id uint32, payload []byte) error {
	s.inMu.Lock()
	defer s.inMu.Unlock()
	return agent.WriteFrame(s.in, typ, id, payload)
}

// exec runs one process and waits for it. Cancelling ctx asks the server
// to stop it as the runner stops a cancelled step.
func (s *server) exec(ctx context.Context, req agent.ExecRequest, stdout, stderr io.Writer, grace time.Duration) (agent.ExitStatus, error) {
	p := &served{stdout: orDiscard(stdout), stderr: orDiscard(stderr), exit: make(chan agent.ExitStatus, 1)}
	s.mu.Lock()
	if s.dead != nil {
		s.mu.Unlock()
		return agent.ExitStatus{}, s.dead
	}
	s.next++
	id := s.next
	s.procs[id] = p
	s.mu.Unlock()
	data, err := json.Marshal(req)
	if err != nil {
		return agent.ExitStatus{}, err
	}
	if err := s.send(agent.FrameExec, id, data); err != nil {
		return agent.ExitStatus{}, fmt.Errorf("could not reach the step server: %w", err)
	}
	select {
	case st := <-p.exit:
		return st, nil
	case <-ctx.Done():
	}
	_ = s.send(agent.FrameSignal, id, nil)
	select {
	case st := <-p.exit:
		return st, fmt.Errorf("stopped: %w", context.Cause(ctx))
	case <-time.After(grace):
		return agent.ExitStatus{}, fmt.Errorf("stopped: %w (the process did not end after SIGKILL)", context.Cause(ctx))
	}
}

// close ends the server: it exits when its stdin closes.
func (s *server) close() { _ = s.in.Close() }

// serveRequest is a Process as the server's request.
func (j *job) serveRequest(p executor.Process, dir string) agent.ExecRequest {
	uid, gid := j.uid, j.gid
	if p.User == "root" {
		uid, gid = 0, 0
	}
	return agent.ExecRequest{Argv: p.Argv, Env: p.Env, Dir: dir, UID: uid, GID: gid, Files: j.takePending(),
		SigtermAfter: int64(j.e.opts.SigtermAfter), SigkillAfter: int64(j.e.opts.SigkillAfter)}
}

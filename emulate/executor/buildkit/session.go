package buildkit

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/moby/buildkit/client"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"

	"github.com/rehearse-dev/rehearse/emulate/image"
)

// session is one client.Build whose gateway client serves the jobs. The
// build function only waits: jobs call the gateway client from their own
// goroutines until the session is closed.
type session struct {
	gw   gwclient.Client
	stop context.CancelFunc
	done chan struct{}
	err  error // why the build ended, once done is closed
	// progress is this session's solve status, for the job it serves:
	// a vertex two jobs share reaches each job once, through its own
	// session.
	progress progress
}

// sessions holds the executor's open sessions.
type sessions struct {
	mu   sync.Mutex
	list []*session
}

// session starts the gateway session of one job. Each job has its own:
// BuildKit's client carries every process of a session on one message
// stream, and a job whose processes are stopped or whose container is
// released while another job's process starts can stall or end that
// other process (seen with two jobs of one session: a process that never
// ran, reported as exited). One session per job keeps jobs apart, for
// about 0.2 s more per job start.
func (e *Executor) session(ctx context.Context, reqs image.Requirements) (*session, error) {
	all := image.Requirements{}
	all.Merge(reqs)
	all.Merge(e.agentRequirements())
	s, err := e.startSession(ctx, all)
	if err != nil {
		return nil, err
	}
	e.sessions.mu.Lock()
	e.sessions.list = append(e.sessions.list, s)
	e.sessions.mu.Unlock()
	return s, nil
}

// end stops one session and forgets it.
func (e *Executor) end(s *session) {
	s.stop()
	<-s.done
	e.sessions.mu.Lock()
	defer e.sessions.mu.Unlock()
	for i, x := range e.sessions.list {
		if x == s {
			e.sessions.list = append(e.sessions.list[:i], e.sessions.list[i+1:]...)
			break
		}
	}
}

// startSession starts a client.Build and waits until its gateway client is
// ready.
func (e *Executor) startSession(ctx context.Context, reqs image.Requirements) (*session, error) {
	bctx, stop := context.WithCancel(context.WithoutCancel(e.ctx))
	s := &session{stop: stop, done: make(chan struct{})}
	ready := make(chan struct{})
	opt := client.SolveOpt{
		// Internal keeps rehearse's sessions out of the daemon's build
		// history: a job's processes, their environment and output are
		// none of its business.
		Internal: true,
	}
	reqs.Apply(&opt)
	statusCh := make(chan *client.SolveStatus, 16)
	go s.progress.consume(statusCh)
	go func() {
		defer close(s.done)
		_, err := e.opts.Client.Build(bctx, opt, "rehearse", func(ctx context.Context, c gwclient.Client) (*gwclient.Result, error) {
			s.gw = c
			close(ready)
			<-ctx.Done()
			return gwclient.NewResult(), nil
		}, statusCh)
		if err != nil && !errors.Is(err, context.Canceled) {
			s.err = err
		}
	}()
	select {
	case <-ready:
		return s, nil
	case <-s.done:
		if s.err == nil {
			s.err = errors.New("the session ended before it started")
		}
		return nil, fmt.Errorf("could not open a BuildKit session on %s: %w", e.opts.Address, s.err)
	case <-ctx.Done():
		stop()
		return nil, context.Cause(ctx)
	}
}

// closeSessions ends every session and waits for their builds to return.
func (e *Executor) closeSessions() {
	e.sessions.mu.Lock()
	list := e.sessions.list
	e.sessions.list = nil
	e.sessions.mu.Unlock()
	for _, s := range list {
		s.stop()
	}
	for _, s := range list {
		<-s.done
	}
}

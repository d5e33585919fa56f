package buildkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	keys []string // the requirement keys (stores, local mounts) it serves
	stop context.CancelFunc
	done chan struct{}
	err  error // why the build ended, once done is closed
}

// requirementKeys are the names of what a solve needs from the session.
func requirementKeys(r image.Requirements) []string {
	var keys []string
	for k := range r.OCIStores {
		keys = append(keys, "oci:"+k)
	}
	for k := range r.LocalMounts {
		keys = append(keys, "local:"+k)
	}
	slices.Sort(keys)
	return keys
}

// covers reports whether the session serves every key.
func (s *session) covers(keys []string) bool {
	for _, k := range keys {
		if !slices.Contains(s.keys, k) {
			return false
		}
	}
	return true
}

// alive reports whether the session's build is still running.
func (s *session) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// sessions holds the executor's open sessions.
type sessions struct {
	mu   sync.Mutex
	list []*session
}

// get returns a running session that serves reqs, starting one when none
// does. Sessions are started with every requirement known so far, so that
// a run whose images are declared up front (Executor.Declare) uses one.
func (e *Executor) session(ctx context.Context, reqs image.Requirements) (*session, error) {
	e.sessions.mu.Lock()
	defer e.sessions.mu.Unlock()
	keys := requirementKeys(reqs)
	for _, s := range e.sessions.list {
		if s.alive() && s.covers(keys) {
			return s, nil
		}
	}
	all := e.declared
	all.Merge(reqs)
	all.Merge(e.agentRequirements())
	s, err := e.startSession(ctx, all)
	if err != nil {
		return nil, err
	}
	e.sessions.list = append(e.sessions.list, s)
	return s, nil
}

// startSession starts a client.Build and waits until its gateway client is
// ready.
func (e *Executor) startSession(ctx context.Context, reqs image.Requirements) (*session, error) {
	bctx, stop := context.WithCancel(context.WithoutCancel(e.ctx))
	s := &session{keys: requirementKeys(reqs), stop: stop, done: make(chan struct{})}
	ready := make(chan struct{})
	opt := client.SolveOpt{
		// Internal keeps rehearse's sessions out of the daemon's build
		// history: a job's processes, their environment and output are
		// none of its business.
		Internal: true,
	}
	reqs.Apply(&opt)
	statusCh := make(chan *client.SolveStatus, 16)
	go e.progress.consume(statusCh)
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

package run

import (
	"context"
	"slices"
	"sync"
	"time"
)

// settle is how long a free slot waits for other cells that became ready
// at the same moment (when a need they share finishes) before it is given
// out, so that cells start in the order GitHub creates them, not in the
// order their goroutines happened to wake up.
const settle = 3 * time.Millisecond

// slots is a counting semaphore that serves waiters by their order (the
// cell's position in the plan) rather than by arrival.
type slots struct {
	mu      sync.Mutex
	free    int
	waiters []*waiter // sorted by order
	timer   *time.Timer
}

type waiter struct {
	order int
	ready chan struct{}
}

func newSlots(n int) *slots { return &slots{free: n} }

// acquire waits for a slot. A nil *slots never blocks (no limit).
func (s *slots) acquire(ctx context.Context, order int) error {
	if s == nil {
		return nil
	}
	w := &waiter{order: order, ready: make(chan struct{})}
	s.mu.Lock()
	i, _ := slices.BinarySearchFunc(s.waiters, order, func(a *waiter, o int) int { return a.order - o })
	s.waiters = slices.Insert(s.waiters, i, w)
	if s.timer == nil {
		s.timer = time.AfterFunc(settle, s.dispatch)
	}
	s.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		if j := slices.Index(s.waiters, w); j >= 0 {
			s.waiters = slices.Delete(s.waiters, j, j+1)
			s.mu.Unlock()
			return context.Cause(ctx)
		}
		s.mu.Unlock()
		// Granted while being cancelled: give the slot back.
		s.release()
		return context.Cause(ctx)
	}
}

// release returns a slot and hands it to the first waiter in order.
func (s *slots) release() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.free++
	s.grantLocked()
	s.mu.Unlock()
}

func (s *slots) dispatch() {
	s.mu.Lock()
	s.timer = nil
	s.grantLocked()
	s.mu.Unlock()
}

func (s *slots) grantLocked() {
	for s.free > 0 && len(s.waiters) > 0 {
		w := s.waiters[0]
		s.waiters = s.waiters[1:]
		s.free--
		close(w.ready)
	}
}

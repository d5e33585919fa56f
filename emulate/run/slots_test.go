package run

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSlotsServeInOrder: waiters that arrive together, in any order, get
// slots in their plan order.
func TestSlotsServeInOrder(t *testing.T) {
	t.Parallel()
	s := newSlots(1)
	if err := s.acquire(t.Context(), 0); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for _, order := range []int{5, 3, 9, 1, 7} {
		wg.Go(func() {
			if err := s.acquire(t.Context(), order); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, order)
			mu.Unlock()
			s.release()
		})
	}
	time.Sleep(50 * time.Millisecond) // all five are queued
	s.release()
	wg.Wait()
	if d := cmp.Diff([]int{1, 3, 5, 7, 9}, got); d != "" {
		t.Errorf("grant order (-want +got):\n%s", d)
	}
}

// TestSlotsLimit: never more holders than slots.
func TestSlotsLimit(t *testing.T) {
	t.Parallel()
	s := newSlots(2)
	var mu sync.Mutex
	holding, most := 0, 0
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if err := s.acquire(t.Context(), i); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			holding++
			most = max(most, holding)
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			holding--
			mu.Unlock()
			s.release()
		})
	}
	wg.Wait()
	if most != 2 {
		t.Errorf("at most %d held at once, want 2", most)
	}
}

// TestSlotsCancel: a cancelled waiter leaves the queue with the cause and
// does not take a slot.
func TestSlotsCancel(t *testing.T) {
	t.Parallel()
	s := newSlots(1)
	if err := s.acquire(t.Context(), 0); err != nil {
		t.Fatal(err)
	}
	cause := errors.New("fail-fast")
	ctx, cancel := context.WithCancelCause(t.Context())
	done := make(chan error)
	go func() { done <- s.acquire(ctx, 1) }()
	time.Sleep(20 * time.Millisecond)
	cancel(cause)
	if err := <-done; !errors.Is(err, cause) {
		t.Errorf("acquire = %v, want the cause", err)
	}
	s.release()
	if err := s.acquire(t.Context(), 2); err != nil {
		t.Errorf("the slot was not free after the cancelled waiter left: %v", err)
	}
}

// TestSlotsNil: no limit.
func TestSlotsNil(t *testing.T) {
	t.Parallel()
	var s *slots
	if err := s.acquire(t.Context(), 0); err != nil {
		t.Error(err)
	}
	s.release()
}

package pool

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/containerd/platforms"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/placement"
)

// fakeBuilder is one builder of a test pool: an executor whose jobs run
// what the test tells them, and a probe the test can make fail.
type fakeBuilder struct {
	name string
	// down makes its probe fail, as a daemon that died.
	down atomic.Bool
	// startErr fails StartJob.
	startErr error
	mu       sync.Mutex
	jobs     []*fakeJob
}

func (b *fakeBuilder) Name() string { return "container" }

func (b *fakeBuilder) StartJob(ctx context.Context, spec executor.JobSpec) (executor.Job, error) {
	if b.startErr != nil {
		return nil, b.startErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	j := &fakeJob{b: b, key: spec.Key, exec: make(chan execResult, 1)}
	b.mu.Lock()
	b.jobs = append(b.jobs, j)
	b.mu.Unlock()
	return j, nil
}

func (b *fakeBuilder) probe(context.Context) error {
	if b.down.Load() {
		return errors.New("dial unix /run/b.sock: connect: connection refused")
	}
	return nil
}

// execResult is what a fake job's Exec returns when the test sends it.
type execResult struct {
	code int
	err  error
}

// fakeJob is a job on a fakeBuilder. Its Exec waits for the test to send
// its result (or for ctx); the methods the pool does not wrap in any
// special way come from the embedded nil Job and are not called here.
type fakeJob struct {
	executor.Job
	b      *fakeBuilder
	key    string
	exec   chan execResult
	closed atomic.Bool
}

func (j *fakeJob) Info() executor.Info { return executor.Info{Executor: "container", Image: "img"} }

func (j *fakeJob) Exec(ctx context.Context, _ executor.Process) (int, error) {
	select {
	case r := <-j.exec:
		return r.code, r.err
	case <-ctx.Done():
		return -1, context.Cause(ctx)
	}
}

func (j *fakeJob) ReadFile(context.Context, string) ([]byte, error) {
	return nil, fmt.Errorf("open /x: %w", fs.ErrNotExist)
}

func (j *fakeJob) Close(context.Context) error {
	j.closed.Store(true)
	return nil
}

// testPool is a pool over builders of jobs=1 each, running linux/amd64,
// and the lines it notices.
type testPool struct {
	*Pool
	builders map[string]*fakeBuilder
	noticeMu sync.Mutex
	notices  []string
}

func newTestPool(t *testing.T, names ...string) *testPool {
	t.Helper()
	tp := &testPool{builders: map[string]*fakeBuilder{}}
	var fleet []placement.Builder
	var members []Member
	for _, n := range names {
		b := &fakeBuilder{name: n}
		tp.builders[n] = b
		fleet = append(fleet, placement.Builder{Name: n, Reachable: true, Jobs: 1, Platforms: []platforms.Platform{platforms.MustParse("linux/amd64")}})
		members = append(members, Member{Name: n, Exec: b, Probe: b.probe})
	}
	pl, err := placement.New(fleet, placement.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tp.Pool = New(Options{
		Placer:  pl,
		Members: members,
		Cell: func(spec executor.JobSpec) placement.Cell {
			plat := platforms.MustParse("linux/amd64")
			if len(spec.Labels) > 0 && spec.Labels[0] == "ubuntu-24.04-arm64" {
				plat = platforms.MustParse("linux/arm64")
			}
			return placement.Cell{Key: spec.Key, Platform: plat}
		},
		Notice: func(line string) {
			tp.noticeMu.Lock()
			defer tp.noticeMu.Unlock()
			tp.notices = append(tp.notices, line)
		},
		ProbeTimeout: time.Second,
	})
	t.Cleanup(tp.Stop)
	return tp
}

// start starts cell key and fails unless it runs on builder.
func (tp *testPool) start(t *testing.T, key, builder string) executor.Job {
	t.Helper()
	j, err := tp.StartJob(t.Context(), executor.JobSpec{Key: key})
	if err != nil {
		t.Fatalf("StartJob(%s): %v", key, err)
	}
	if got := j.Info().Builder; got != builder {
		t.Fatalf("%s started on %s, want %s", key, got, builder)
	}
	return j
}

// inner is the fake job under the pool's job.
func inner(j executor.Job) *fakeJob { return j.(*job).Job.(*fakeJob) }

// TestPoolPlacesAndWaits: cells go where the placer says, with the
// reason in their Info; a cell that finds every builder full waits in
// StartJob, saying so in its log, and starts when a job closes, with its
// queue time; a cancelled wait returns the cause.
func TestPoolPlacesAndWaits(t *testing.T) {
	t.Parallel()
	tp := newTestPool(t, "b1", "b2")
	c1 := tp.start(t, "c1", "b1")
	tp.start(t, "c2", "b2")
	if i := c1.Info(); i.Placement != "least loaded (0 of 1 slots busy)" || i.Image != "img" || i.Queued > time.Second {
		t.Errorf("c1's info: %+v", i)
	}

	waiting := make(chan string, 1)
	type started struct {
		j   executor.Job
		err error
	}
	done := make(chan started, 1)
	go func() {
		j, err := tp.StartJob(t.Context(), executor.JobSpec{Key: "c3", Log: func(line string) {
			if strings.HasPrefix(line, "Waiting for a builder: ") {
				waiting <- line
			}
		}})
		done <- started{j, err}
	}()
	select {
	case line := <-waiting:
		if want := "Waiting for a builder: all 2 builders with linux/amd64 are busy (2 of 2 slots)"; line != want {
			t.Errorf("log line %q, want %q", line, want)
		}
	case s := <-done:
		t.Fatalf("c3 did not wait for a slot: %+v", s)
	}
	time.Sleep(20 * time.Millisecond) // some queue time to see
	if err := c1.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !inner(c1).closed.Load() {
		t.Error("closing c1 did not close its job on b1")
	}
	s := <-done
	if s.err != nil {
		t.Fatal(s.err)
	}
	if i := s.j.Info(); i.Builder != "b1" || i.Queued < 20*time.Millisecond {
		t.Errorf("c3 after the wait: %+v, want it on b1 with a queue time", i)
	}

	// A wait cancelled returns the cause; the pool is left as it was.
	ctx, cancel := context.WithCancelCause(t.Context())
	cause := errors.New("the run was cancelled")
	go func() {
		_, err := tp.StartJob(ctx, executor.JobSpec{Key: "c4", Log: func(line string) {
			if strings.HasPrefix(line, "Waiting") {
				cancel(cause)
			}
		}})
		done <- started{err: err}
	}()
	if s := <-done; !errors.Is(s.err, cause) {
		t.Errorf("cancelled wait: %v, want the cause", s.err)
	}
	if err := s.j.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	tp.start(t, "c5", "b1")
}

// TestPoolBuilderLost: a job whose call fails on a builder that no longer
// answers gets the loss from then on, and starts again once on another
// builder; a call that fails on a builder that answers is the job's own
// error; a cell lost twice fails because of the builder.
func TestPoolBuilderLost(t *testing.T) {
	t.Parallel()

	t.Run("a failed call on a builder that no longer answers", func(t *testing.T) {
		t.Parallel()
		tp := newTestPool(t, "b1", "b2")
		j := tp.start(t, "c1", "b1")
		tp.builders["b1"].down.Store(true)
		inner(j).exec <- execResult{code: -1, err: errors.New("rpc error: code = Unavailable desc = connection reset")}
		code, err := j.Exec(t.Context(), executor.Process{})
		var lost *executor.BuilderLostError
		if !errors.As(err, &lost) || lost.Builder != "b1" || code != -1 {
			t.Fatalf("Exec = %d, %v; want the loss of b1", code, err)
		}
		if want := "dial unix /run/b.sock: connect: connection refused; the job saw: connection reset"; lost.Reason != want {
			t.Errorf("reason %q, want %q", lost.Reason, want)
		}
		if executor.LostCause(j) == nil {
			t.Error("LostCause is nil after the loss")
		}
		if _, err := j.ReadFile(t.Context(), "/x"); !errors.As(err, &lost) {
			t.Errorf("ReadFile after the loss: %v, want the loss", err)
		}
		if err := j.Close(t.Context()); err != nil {
			t.Errorf("Close of a lost job: %v", err)
		}
		tp.noticeMu.Lock()
		notices := strings.Join(tp.notices, "\n")
		tp.noticeMu.Unlock()
		if !strings.Contains(notices, "builder b1 was lost") || !strings.Contains(notices, "its 1 running job cell(s) start again on another builder") {
			t.Errorf("notices: %q", notices)
		}
		again := tp.start(t, "c1", "b2")
		if p := again.Info().Placement; !strings.HasPrefix(p, "retried on b2 after b1 was lost: ") {
			t.Errorf("retry's placement %q", p)
		}
		// Lost on b2 too: the next start fails because of the builder.
		tp.builders["b2"].down.Store(true)
		inner(again).exec <- execResult{err: errors.New("EOF")}
		if _, err := again.Exec(t.Context(), executor.Process{}); !errors.As(err, &lost) || lost.Builder != "b2" {
			t.Fatalf("second Exec: %v, want the loss of b2", err)
		}
		_ = again.Close(t.Context())
		_, err = tp.StartJob(t.Context(), executor.JobSpec{Key: "c1"})
		var failed *executor.BuilderFailedError
		if !errors.As(err, &failed) || !strings.Contains(failed.Reason, "lost twice to a builder: b1 was lost") {
			t.Errorf("third start: %v, want a failure because of the builder", err)
		}
	})

	t.Run("a failed call on a builder that answers", func(t *testing.T) {
		t.Parallel()
		tp := newTestPool(t, "b1", "b2")
		j := tp.start(t, "c1", "b1")
		stepErr := errors.New("could not start process: no such file")
		inner(j).exec <- execResult{code: -1, err: stepErr}
		if _, err := j.Exec(t.Context(), executor.Process{}); !errors.Is(err, stepErr) {
			t.Errorf("Exec: %v, want the job's own error", err)
		}
		if _, err := j.ReadFile(t.Context(), "/x"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile of a missing file: %v", err)
		}
		if executor.LostCause(j) != nil {
			t.Errorf("the job is lost: %v", executor.LostCause(j))
		}
		inner(j).exec <- execResult{code: 3}
		if code, err := j.Exec(t.Context(), executor.Process{}); code != 3 || err != nil {
			t.Errorf("Exec = %d, %v; want 3", code, err)
		}
	})

	t.Run("a call that hangs while the probes fail", func(t *testing.T) {
		t.Parallel()
		// A daemon that dies does not always end its processes' streams:
		// the watch loses it after two failed probes, a second apart.
		tp := newTestPool(t, "b1", "b2")
		j := tp.start(t, "c1", "b1")
		tp.builders["b1"].down.Store(true)
		start := time.Now()
		_, err := j.Exec(t.Context(), executor.Process{})
		var lost *executor.BuilderLostError
		if !errors.As(err, &lost) || lost.Builder != "b1" {
			t.Fatalf("Exec: %v, want the loss of b1", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the loss took %v", d)
		}
	})

	t.Run("a start that fails on a builder that no longer answers", func(t *testing.T) {
		t.Parallel()
		tp := newTestPool(t, "b1", "b2")
		tp.builders["b1"].startErr = errors.New("EOF")
		tp.builders["b1"].down.Store(true)
		j := tp.start(t, "c1", "b2")
		if p := j.Info().Placement; !strings.HasPrefix(p, "retried on b2 after b1 was lost: ") {
			t.Errorf("placement %q", p)
		}
	})

	t.Run("a start that fails on a builder that answers", func(t *testing.T) {
		t.Parallel()
		tp := newTestPool(t, "b1", "b2")
		tp.builders["b1"].startErr = errors.New("could not pull the image")
		if _, err := tp.StartJob(t.Context(), executor.JobSpec{Key: "c1"}); err == nil || err.Error() != "could not pull the image" {
			t.Fatalf("StartJob: %v, want the builder's error", err)
		}
		// Its slot is free again and b1 is not lost.
		tp.builders["b1"].startErr = nil
		tp.start(t, "c2", "b1")
	})
}

// TestPoolNoBuilder: a cell of a platform no builder runs is not started,
// and the error says why.
func TestPoolNoBuilder(t *testing.T) {
	t.Parallel()
	tp := newTestPool(t, "b1")
	_, err := tp.StartJob(t.Context(), executor.JobSpec{Key: "arm", Labels: []string{"ubuntu-24.04-arm64"}})
	if err == nil || err.Error() != "no builder can run linux/arm64: the reachable builders run linux/amd64" {
		t.Errorf("StartJob: %v", err)
	}
}

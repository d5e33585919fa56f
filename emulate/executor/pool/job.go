package pool

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"sync"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
)

// job is a job on one builder of the pool. Its methods pass through; an
// error from one makes the pool ask the builder whether it still answers,
// and once the builder is lost every method returns the loss.
type job struct {
	executor.Job
	p         *Pool
	m         *Member
	key       string
	placement string
	queued    time.Duration

	lostMu sync.Mutex
	lost   error
	// gone is closed once the builder is lost: a call waiting on the
	// builder returns then (a dead daemon does not always end the
	// streams of the processes it ran).
	gone chan struct{}
}

func (j *job) setLost(err error) {
	j.lostMu.Lock()
	defer j.lostMu.Unlock()
	if j.lost == nil {
		j.lost = err
		close(j.gone)
	}
}

// wait runs call, or returns the loss as soon as the builder is lost
// (call is left to end on its own).
func (j *job) wait(ctx context.Context, call func() error) error {
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return j.check(ctx, err)
	case <-j.gone:
		return j.Lost()
	}
}

// Lost implements executor.Losable.
func (j *job) Lost() error {
	j.lostMu.Lock()
	defer j.lostMu.Unlock()
	return j.lost
}

// Info adds the placement to the builder's job info.
func (j *job) Info() executor.Info {
	i := j.Job.Info()
	i.Builder, i.Placement, i.Queued = j.m.Name, j.placement, j.queued
	return i
}

// check turns err into the loss when the builder no longer answers. A
// cancelled context is the caller's doing, not the builder's.
func (j *job) check(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if l := j.Lost(); l != nil {
		return l
	}
	if ctx.Err() != nil {
		return err
	}
	if j.p.lostAfter(j.m, err) {
		if l := j.Lost(); l != nil {
			return l
		}
	}
	return err
}

func (j *job) LookPath(ctx context.Context, prog string, env []string) (string, error) {
	if l := j.Lost(); l != nil {
		return "", l
	}
	p, err := j.Job.LookPath(ctx, prog, env)
	return p, j.check(ctx, err)
}

func (j *job) Exec(ctx context.Context, p executor.Process) (int, error) {
	if l := j.Lost(); l != nil {
		return -1, l
	}
	var code int
	err := j.wait(ctx, func() error {
		var err error
		code, err = j.Job.Exec(ctx, p)
		return err
	})
	if err != nil && j.Lost() != nil {
		return -1, err
	}
	return code, err
}

func (j *job) ReadFile(ctx context.Context, path string) ([]byte, error) {
	if l := j.Lost(); l != nil {
		return nil, l
	}
	data, err := j.Job.ReadFile(ctx, path)
	if isNotExist(err) {
		return data, err
	}
	return data, j.check(ctx, err)
}

func (j *job) WriteFile(ctx context.Context, path string, data []byte, perm fs.FileMode) error {
	if l := j.Lost(); l != nil {
		return l
	}
	return j.check(ctx, j.Job.WriteFile(ctx, path, data, perm))
}

func (j *job) ReadDir(ctx context.Context, path string) ([]fs.FileInfo, error) {
	if l := j.Lost(); l != nil {
		return nil, l
	}
	list, err := j.Job.ReadDir(ctx, path)
	if isNotExist(err) {
		return list, err
	}
	return list, j.check(ctx, err)
}

func (j *job) Export(ctx context.Context, w io.Writer, paths []string) error {
	if l := j.Lost(); l != nil {
		return l
	}
	return j.check(ctx, j.Job.Export(ctx, w, paths))
}

func (j *job) Import(ctx context.Context, r io.Reader, dir string) error {
	if l := j.Lost(); l != nil {
		return l
	}
	return j.check(ctx, j.Job.Import(ctx, r, dir))
}

func (j *job) RemoveAll(ctx context.Context, path string) error {
	if l := j.Lost(); l != nil {
		return l
	}
	return j.check(ctx, j.Job.RemoveAll(ctx, path))
}

func (j *job) HashFiles(ctx context.Context, patterns []string) (string, error) {
	if l := j.Lost(); l != nil {
		return "", l
	}
	h, err := j.Job.HashFiles(ctx, patterns)
	return h, j.check(ctx, err)
}

// Close releases the job's container (a lost builder's is gone already)
// and frees its slot.
func (j *job) Close(ctx context.Context) error {
	if j.Lost() != nil {
		// What is left to release is on a builder that does not answer:
		// do not wait for it long.
		done := make(chan struct{})
		go func() {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_ = j.Job.Close(cctx)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
		j.p.finish(j)
		return nil
	}
	err := j.Job.Close(ctx)
	j.p.finish(j)
	return err
}

func isNotExist(err error) bool {
	return err != nil && errors.Is(err, fs.ErrNotExist)
}

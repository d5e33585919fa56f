package pool

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/placement"
)

// Member is one reachable builder of the pool.
type Member struct {
	// Name is the builder's name in the placer's fleet.
	Name string
	// Exec starts jobs on it.
	Exec executor.Executor
	// Probe asks the builder whether it still answers; nil says yes.
	Probe func(ctx context.Context) error
}

// Options configure a [Pool].
type Options struct {
	Placer  *placement.Placer
	Members []Member
	// Cell is the placement cell of a job.
	Cell func(spec executor.JobSpec) placement.Cell
	// Notice receives a line for the user when a builder is lost.
	Notice func(line string)
	// ProbeTimeout bounds a probe; 0 is 5 s.
	ProbeTimeout time.Duration
}

// Pool is an executor over several builders.
type Pool struct {
	o       Options
	members map[string]*Member

	mu sync.Mutex
	// changed is closed and replaced whenever a slot frees or a builder
	// is lost: waiting cells try again.
	changed chan struct{}
	// jobs are the running jobs by cell key, to tell them of a loss.
	jobs map[string]*job
	// lost are the builders lost so far.
	lost map[string]bool

	stop     chan struct{}
	stopOnce sync.Once
}

// New makes a pool.
func New(o Options) *Pool {
	if o.ProbeTimeout == 0 {
		o.ProbeTimeout = 5 * time.Second
	}
	if o.Notice == nil {
		o.Notice = func(string) {}
	}
	p := &Pool{o: o, members: map[string]*Member{}, changed: make(chan struct{}), jobs: map[string]*job{}, lost: map[string]bool{},
		stop: make(chan struct{})}
	for i := range o.Members {
		p.members[o.Members[i].Name] = &o.Members[i]
	}
	go p.watch()
	return p
}

// Stop ends the pool's watch of its builders.
func (p *Pool) Stop() { p.stopOnce.Do(func() { close(p.stop) }) }

// watch probes, every second, each builder that runs cells of the run: a
// daemon that dies does not always end its processes' streams, so a step
// could wait on it for ever. Two failed probes in a row lose the builder.
func (p *Pool) watch() {
	failed := map[string]int{}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		p.mu.Lock()
		busy := map[string]bool{}
		for _, j := range p.jobs {
			busy[j.m.Name] = !p.lost[j.m.Name]
		}
		p.mu.Unlock()
		for name, ok := range busy {
			m := p.members[name]
			if !ok || m.Probe == nil {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), p.o.ProbeTimeout)
			err := m.Probe(ctx)
			cancel()
			if err == nil {
				failed[name] = 0
				continue
			}
			if failed[name]++; failed[name] >= 2 {
				p.lose(m, builder.Reason(err))
			}
		}
	}
}

// Name implements executor.Executor.
func (p *Pool) Name() string { return "container" }

// signal wakes the cells waiting for a builder.
func (p *Pool) signal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.changed)
	p.changed = make(chan struct{})
}

// StartJob implements executor.Executor: it places the cell, waits while
// every builder that can run it is full, and starts it on its builder. A
// builder that fails to start it and no longer answers is lost, and the
// cell is placed again.
func (p *Pool) StartJob(ctx context.Context, spec executor.JobSpec) (executor.Job, error) {
	logf := func(format string, args ...any) {
		if spec.Log != nil {
			spec.Log(fmt.Sprintf(format, args...))
		}
	}
	cell := p.o.Cell(spec)
	t0 := time.Now()
	waited := false
	for {
		// The channel is taken before placing, so a slot freed between
		// the decision and the wait is not missed.
		p.mu.Lock()
		changed := p.changed
		p.mu.Unlock()
		d := p.o.Placer.Place(cell)
		switch d.Action {
		case placement.Wait:
			if !waited {
				logf("Waiting for a builder: %s", d.Reason)
				waited = true
			}
			select {
			case <-ctx.Done():
				return nil, context.Cause(ctx)
			case <-changed:
			}
			continue
		case placement.NoBuilder:
			return nil, fmt.Errorf("%s", d.Reason)
		case placement.Fail:
			return nil, &executor.BuilderFailedError{Reason: d.Reason}
		}
		m := p.members[d.Builder]
		if m == nil {
			// A builder of the fleet that was unreachable at the start
			// is never chosen; this is a rehearse bug.
			p.o.Placer.Finish(cell.Key, "")
			return nil, fmt.Errorf("builder %s was placed but has no executor (rehearse error)", d.Builder)
		}
		queued := time.Since(t0)
		logf("Builder: %s (%s)", d.Builder, d.Reason)
		j, err := m.Exec.StartJob(ctx, spec)
		if err != nil {
			if ctx.Err() == nil && p.lostAfter(m, err) {
				// Lost returned this cell too: place it again.
				continue
			}
			p.o.Placer.Finish(cell.Key, "")
			p.signal()
			return nil, err
		}
		pj := &job{Job: j, p: p, m: m, key: cell.Key, placement: d.Reason, queued: queued, gone: make(chan struct{})}
		p.mu.Lock()
		p.jobs[cell.Key] = pj
		p.mu.Unlock()
		return pj, nil
	}
}

// lostAfter asks m whether it still answers after err; when it does not,
// m is lost: the placer frees its slots and the jobs on it learn why. It
// reports whether m is lost.
func (p *Pool) lostAfter(m *Member, err error) bool {
	if m.Probe == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.o.ProbeTimeout)
	defer cancel()
	perr := m.Probe(ctx)
	if perr == nil {
		return false
	}
	p.lose(m, reason(perr, err))
	return true
}

// lose marks m lost once and tells its running jobs.
func (p *Pool) lose(m *Member, why string) {
	p.mu.Lock()
	if p.lost[m.Name] {
		p.mu.Unlock()
		return
	}
	p.lost[m.Name] = true
	p.mu.Unlock()
	keys := p.o.Placer.Lost(m.Name, why)
	p.mu.Lock()
	lost := &executor.BuilderLostError{Builder: m.Name, Reason: why}
	for _, k := range keys {
		if j := p.jobs[k]; j != nil {
			j.setLost(lost)
			delete(p.jobs, k)
		}
	}
	p.mu.Unlock()
	p.o.Notice(fmt.Sprintf("builder %s was lost (%s): its %d running job cell(s) start again on another builder", m.Name, why, len(keys)))
	p.signal()
}

// finish frees the slot of a job that ended on its builder.
func (p *Pool) finish(j *job) {
	p.mu.Lock()
	if p.jobs[j.key] == j {
		delete(p.jobs, j.key)
	}
	p.mu.Unlock()
	if j.Lost() == nil {
		p.o.Placer.Finish(j.key, "")
	}
	p.signal()
}

// reason is the loss in a few words: the probe's error, which says the
// builder is gone, with the job's when they differ.
func reason(probe, job error) string {
	p, j := builder.Reason(probe), builder.Reason(job)
	if j == "" || j == p {
		return p
	}
	return p + "; the job saw: " + j
}

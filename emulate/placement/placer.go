package placement

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/containerd/platforms"
	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Options configure a [Placer].
type Options struct {
	// Record is the affinity record (see [LoadRecord]); nil places without
	// one, on load alone, and remembers the run's own placements only.
	Record *Record
	// Now is the clock of record entries; nil is [time.Now]. The
	// simulation gives its own.
	Now func() time.Time
}

// Placer decides where each cell of a run goes and keeps the fleet's state
// while the run goes on: slots taken and freed, what each builder holds
// once a cell has run there, builders lost. Its methods are safe from
// several goroutines; [Placer.Place] takes the slot it returns in the same
// step, so two goroutines never get the last slot of a builder.
type Placer struct {
	mu       sync.Mutex
	builders []*builderState // in the order given: it breaks ties
	byName   map[string]*builderState
	record   *Record
	now      func() time.Time
	running  map[string]*placed // by cell key
	losses   map[string][]loss  // by cell key: the builders it was lost on
	seq      uint64             // start order, for Lost's answer and forecasts
}

// builderState is a builder and what the run has done to it.
type builderState struct {
	Builder
	match   []platforms.Matcher // of Platforms
	busy    int                 // Running plus this run's cells on it
	lost    bool
	lostWhy string
}

// runs reports whether one of the builder's workers runs platform p.
func (b *builderState) runs(p specs.Platform) bool {
	for _, m := range b.match {
		if m.Match(p) {
			return true
		}
	}
	return false
}

// placed is a cell running on a builder.
type placed struct {
	cell Cell
	b    *builderState
	seq  uint64
}

// loss is a builder a cell was lost on, and why.
type loss struct{ builder, why string }

// New makes a placer for fleet, in the order given (the user's order of
// --builder flags and configured builders), which breaks ties. Names must
// be unique and not empty.
func New(fleet []Builder, opts Options) (*Placer, error) {
	p := &Placer{
		byName:  make(map[string]*builderState, len(fleet)),
		record:  opts.Record,
		now:     opts.Now,
		running: make(map[string]*placed),
		losses:  make(map[string][]loss),
	}
	if p.record == nil {
		p.record = &Record{}
		p.record.reset()
	}
	if p.now == nil {
		p.now = time.Now
	}
	for _, b := range fleet {
		if b.Name == "" {
			return nil, errors.New("a builder has no name: give each --builder an address")
		}
		if p.byName[b.Name] != nil {
			return nil, fmt.Errorf("builder %q is given twice: give each builder once", b.Name)
		}
		s := &builderState{Builder: b, busy: max(b.Running, 0)}
		// The placer adds what cells leave behind; the caller's map stays
		// as the builder reported it.
		s.Images = maps.Clone(b.Images)
		if s.Images == nil {
			s.Images = make(map[digest.Digest]bool)
		}
		s.Platforms = slices.Clone(b.Platforms)
		s.match = matchers(s.Platforms)
		p.builders = append(p.builders, s)
		p.byName[b.Name] = s
	}
	return p, nil
}

// Place decides where c goes. On [Run] the builder's slot is taken until
// [Placer.Finish] or [Placer.Lost]; on [Wait] nothing changes and the
// caller places c again when a slot frees. A cell that [Placer.Lost]
// returned is placed again with Place: the decision is then a retry that
// excludes the lost builder, or [Fail] when the cell was lost twice.
// Placing a cell that is running returns its builder again.
func (p *Placer) Place(c Cell) Decision {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.running[c.Key]; ok {
		return Decision{Action: Run, Builder: r.b.Name, Reason: "already running on " + r.b.Name, Retry: len(p.losses[c.Key]) > 0}
	}
	d, b := p.decide(c)
	if d.Action == Run {
		b.busy++
		p.seq++
		p.running[c.Key] = &placed{cell: c, b: b, seq: p.seq}
	}
	return d
}

// Finish frees the slot of cell key and remembers what it left on its
// builder: the image (at imageDigest, the digest the builder ran it at;
// "" for the cell's own) and its dependency key's packages in the pip
// cache, in the builder's state and in the record. A cell that failed
// still installed its dependencies as far as it got, so it counts. Finish
// of a cell that is not running (lost with its builder, or never placed)
// does nothing.
func (p *Placer) Finish(key string, imageDigest digest.Digest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.running[key]
	if !ok {
		return
	}
	delete(p.running, key)
	b := r.b
	b.busy--
	if imageDigest == "" {
		imageDigest = r.cell.ImageDigest
	}
	now := p.now()
	if imageDigest != "" {
		b.Images[imageDigest] = true
	}
	if r.cell.DepKey != "" && !b.PipCache.Present {
		// The cell made the mount: the builder would now report it.
		b.PipCache = Mount{Present: true, Created: now}
	}
	if imageDigest != "" || r.cell.DepKey != "" {
		p.record.add(Entry{Builder: b.Name, Image: r.cell.Image, Digest: imageDigest, DepKey: r.cell.DepKey, At: now})
	}
}

// Lost marks builder name lost (unreachable, or its daemon died) for the
// rest of the run, frees its slots, and returns the keys of the cells that
// were running on it, in the order they started: the caller places each
// again, once, elsewhere. why is the error that showed the loss; it goes
// into the retried cells' reasons.
func (p *Placer) Lost(name, why string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.byName[name]
	if b == nil || b.lost {
		return nil
	}
	b.lost, b.lostWhy = true, why
	var gone []*placed
	for _, r := range p.running {
		if r.b == b {
			gone = append(gone, r)
		}
	}
	slices.SortFunc(gone, func(x, y *placed) int { return cmp.Compare(x.seq, y.seq) })
	keys := make([]string, 0, len(gone))
	for _, r := range gone {
		delete(p.running, r.cell.Key)
		b.busy--
		p.losses[r.cell.Key] = append(p.losses[r.cell.Key], loss{builder: name, why: why})
		keys = append(keys, r.cell.Key)
	}
	return keys
}

// clone is a copy of the placer's state that shares nothing with it, for
// a forecast. p.mu is held.
func (p *Placer) clone() *Placer {
	c := &Placer{
		byName:  make(map[string]*builderState, len(p.builders)),
		record:  p.record.clone(),
		now:     p.now,
		running: make(map[string]*placed, len(p.running)),
		losses:  make(map[string][]loss, len(p.losses)),
		seq:     p.seq,
	}
	for _, b := range p.builders {
		s := *b
		s.Images = maps.Clone(b.Images)
		c.builders = append(c.builders, &s)
		c.byName[s.Name] = &s
	}
	for k, r := range p.running {
		c.running[k] = &placed{cell: r.cell, b: c.byName[r.b.Name], seq: r.seq}
	}
	for k, l := range p.losses {
		c.losses[k] = slices.Clone(l)
	}
	return c
}

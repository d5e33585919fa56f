package buildkit

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	digest "github.com/opencontainers/go-digest"
)

// quiet is how long a vertex may take without a line in the job's log.
const quiet = 500 * time.Millisecond

// progress hands BuildKit's solve status to the jobs that are setting up:
// each job hears about the vertices of its own definitions (its image, its
// Pythons), as lines for its log and its live-view line.
type progress struct {
	mu   sync.Mutex
	next int
	subs map[int]*subscriber
}

type subscriber struct {
	vertices map[digest.Digest]bool
	log      func(string)
	// lastPull throttles pull and unpack progress lines per status ID.
	lastPull map[string]time.Time
	started  map[digest.Digest]time.Time
	// pulled is set once an image layer was downloaded or unpacked.
	pulled bool
}

// subscribe makes log hear about the vertices of defs until the returned
// function is called.
func (p *progress) subscribe(log func(string), defs ...*llb.Definition) func() {
	unsubscribe, _ := p.watch(log, defs...)
	return unsubscribe
}

// watch is subscribe that also tells, once unsubscribed, whether an image
// was pulled or unpacked meanwhile (else it came from BuildKit's cache).
func (p *progress) watch(log func(string), defs ...*llb.Definition) (func(), func() bool) {
	s := &subscriber{vertices: map[digest.Digest]bool{}, log: log, lastPull: map[string]time.Time{}, started: map[digest.Digest]time.Time{}}
	for _, d := range defs {
		if d == nil {
			continue
		}
		for dgst := range d.Metadata {
			s.vertices[dgst] = true
		}
	}
	p.mu.Lock()
	if p.subs == nil {
		p.subs = map[int]*subscriber{}
	}
	id := p.next
	p.next++
	p.subs[id] = s
	p.mu.Unlock()
	return func() {
			p.mu.Lock()
			delete(p.subs, id)
			p.mu.Unlock()
		}, func() bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			return s.pulled
		}
}

// consume reads one session's status channel until it is closed.
func (p *progress) consume(ch <-chan *client.SolveStatus) {
	for st := range ch {
		p.mu.Lock()
		for _, s := range p.subs {
			s.handle(st)
		}
		p.mu.Unlock()
	}
}

func (s *subscriber) handle(st *client.SolveStatus) {
	for _, v := range st.Vertexes {
		if !s.vertices[v.Digest] || v.Name == "" {
			continue
		}
		switch {
		case v.Cached && v.Completed != nil:
			s.log(v.Name + ": cached")
		case v.Error != "":
			s.log(v.Name + ": " + v.Error)
		case v.Completed != nil:
			// Quick steps (a cache lookup, a small transfer) are not news.
			d := time.Duration(0)
			if v.Started != nil {
				d = v.Completed.Sub(*v.Started)
			}
			if d >= quiet {
				s.log(fmt.Sprintf("%s: done in %.1fs", v.Name, d.Seconds()))
			}
		case v.Started != nil:
			if _, seen := s.started[v.Digest]; !seen {
				s.started[v.Digest] = *v.Started
			}
		}
	}
	for _, vs := range st.Statuses {
		if !s.vertices[vs.Vertex] {
			continue
		}
		if vs.Total > 0 || strings.HasPrefix(vs.ID, "extracting") || strings.HasPrefix(vs.ID, "sha256:") {
			s.pulled = true
		}
		now := time.Now()
		if vs.Completed == nil && now.Sub(s.lastPull[vs.ID]) < time.Second {
			continue
		}
		if vs.Total == 0 && vs.Current == 0 {
			continue
		}
		first := s.lastPull[vs.ID].IsZero()
		s.lastPull[vs.ID] = now
		switch {
		case vs.Completed != nil:
			if !first {
				s.log(fmt.Sprintf("  %s: done", vs.ID))
			}
		case vs.Total > 0:
			s.log(fmt.Sprintf("  %s: %s / %s", vs.ID, size(vs.Current), size(vs.Total)))
		default:
			s.log(fmt.Sprintf("  %s: %s", vs.ID, size(vs.Current)))
		}
	}
	for _, l := range st.Logs {
		if s.vertices[l.Vertex] {
			s.log("  " + string(trimNewline(l.Data)))
		}
	}
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// size is a byte count for progress lines.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

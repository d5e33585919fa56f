package placement

// A discrete-event simulation of a fleet running a day's worth of pushes,
// to compare placement strategies at a scale no test machine has: the
// issue's "placement at scale, by simulation" (50 builders, 1,000 cells,
// builder losses, cache warmth). The model is in simModel; the Placer and
// two baselines (least loaded, random) run the same workload, and
// bench_test.go reports what each achieves.

import (
	"cmp"
	"container/heap"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/containerd/platforms"
	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// simModel is the modelled fleet and workload. Times are seconds.
type simModel struct {
	seed         uint64
	builders     int     // builders, the last armBuilders of them linux/arm64
	armBuilders  int     //
	cells        int     // cells in all
	projects     int     // repositories pushing, by Zipf popularity
	runGap       float64 // mean seconds between pushes (exponential)
	imagePull    float64 // cold image: pull and unpack
	pipCold      float64 // cold pip cache: download and build the wheels
	pipWarm      float64 // warm pip cache: install from it
	warmKeys     int     // dependency keys each builder holds at the start
	lossTimes    []float64
	lossBuilders []int
}

// defaultModel is the benchmark's: 50 builders (40 amd64, 10 arm64) of 2,
// 4, 4 or 8 slots (225 in all); 1,000 cells from about 100 pushes of 60
// projects (4 Python versions by 1-4 shards each); a test run of 1-4
// minutes, a cold pip install of 150 s against 15 s warm and an image
// pull of 40 s; five builders whose pip cache was pruned since the record
// was written and five with no pip cache left (stale record entries); three
// builders lost mid-run, two of them 20 s apart.
func defaultModel() simModel {
	return simModel{
		seed:         9,
		builders:     50,
		armBuilders:  10,
		cells:        1000,
		projects:     60,
		runGap:       13,
		imagePull:    40,
		pipCold:      150,
		pipWarm:      15,
		warmKeys:     6,
		lossTimes:    []float64{300, 320, 800},
		lossBuilders: []int{5, 6, 41},
	}
}

// simCell is a cell of the workload and its work.
type simCell struct {
	Cell
	arrive float64
	work   float64 // the tests themselves, warm or cold
	digest digest.Digest
}

// workload is a model made concrete: the fleet and record as a run finds
// them, the truth the fleet's reports may differ from, and the cells.
type workload struct {
	model  simModel
	fleet  []Builder
	record []Entry
	// images and pip are what each builder really holds: the record can be
	// stale, the simulation cannot.
	images []map[digest.Digest]bool
	pip    []map[string]bool
	cells  []simCell
}

func (m simModel) workload() workload {
	rng := rand.New(rand.NewPCG(m.seed, 0x9e3779b97f4a7c15))
	w := workload{model: m}
	arch := func(p int) specs.Platform {
		if p%5 == 4 {
			return arm64
		}
		return amd64
	}
	imageOf := func(p int) (string, digest.Digest) {
		k := p % 4
		plat := arch(p)
		return fmt.Sprintf("docker-image://ci-image-%d", k), digest.Digest(fmt.Sprintf("sha256:%062x%02d", k, len(plat.Architecture)))
	}
	pys := []string{"3.9", "3.10", "3.11", "3.12"}
	depKey := func(p int, py string) string { return fmt.Sprintf("project-%d/py%s", p, py) }

	// The fleet, and what each builder holds.
	for i := range m.builders {
		plat := amd64
		if i >= m.builders-m.armBuilders {
			plat = arm64
		}
		b := Builder{Name: fmt.Sprintf("b%02d", i), Reachable: true, Jobs: []int{2, 4, 4, 8}[i%4], Platforms: []specs.Platform{plat}}
		imgs := map[digest.Digest]bool{}
		pip := map[string]bool{}
		// Projects of the builder's platform: its images and caches.
		var mine []int
		for p := range m.projects {
			if arch(p).Architecture == plat.Architecture {
				mine = append(mine, p)
			}
		}
		for range 2 {
			_, d := imageOf(mine[rng.IntN(len(mine))])
			imgs[d] = true
		}
		for range m.warmKeys {
			p := mine[rng.IntN(len(mine))]
			img, d := imageOf(p)
			k := depKey(p, pys[rng.IntN(len(pys))])
			at := t0.Add(-time.Duration(1+rng.IntN(48)) * time.Hour)
			w.record = append(w.record, Entry{Builder: b.Name, Image: img, Digest: d, DepKey: k, At: at})
			pip[k] = true
		}
		b.PipCache = Mount{Present: true, Created: t0.Add(-72 * time.Hour)}
		switch i % 10 {
		case 3: // pruned half an hour ago: a new, empty mount, and no images
			b.PipCache.Created = t0.Add(-30 * time.Minute)
			pip, imgs = map[string]bool{}, map[digest.Digest]bool{}
		case 7: // pruned and not used since: no mount at all
			b.PipCache = Mount{}
			pip = map[string]bool{}
		}
		b.Images = imgs
		w.fleet = append(w.fleet, b)
		w.images = append(w.images, clonedSet(imgs))
		w.pip = append(w.pip, clonedSet(pip))
	}

	// Pushes: a project by Zipf popularity, its matrix of Python versions
	// by shards, all cells arriving together.
	weights := make([]float64, m.projects)
	total := 0.0
	for p := range weights {
		weights[p] = 1 / float64(p+1)
		total += weights[p]
	}
	baseWork := make([]float64, m.projects)
	for p := range baseWork {
		baseWork[p] = 60 + 180*rng.Float64()
	}
	now := 0.0
	for run := 0; len(w.cells) < m.cells; run++ {
		x := rng.Float64() * total
		p := 0
		for ; p < m.projects-1 && x > weights[p]; p++ {
			x -= weights[p]
		}
		img, d := imageOf(p)
		known := d
		if p%2 == 0 { // a reference the run does not resolve before placing
			known = ""
		}
		shards := 1 + rng.IntN(4)
		for _, py := range pys {
			for s := range shards {
				if len(w.cells) == m.cells {
					break
				}
				w.cells = append(w.cells, simCell{
					Cell: Cell{
						Key:         fmt.Sprintf("run%d/test (%s, %d)", run, py, s),
						Platform:    arch(p),
						Image:       img,
						ImageDigest: known,
						DepKey:      depKey(p, py),
					},
					arrive: now,
					work:   baseWork[p] * (0.8 + 0.4*rng.Float64()),
					digest: d,
				})
			}
		}
		now += rng.ExpFloat64() * m.runGap
	}
	return w
}

func clonedSet[K comparable](m map[K]bool) map[K]bool {
	c := make(map[K]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// strategy is what the simulation asks of a placement strategy: the
// Placer's methods.
type strategy interface {
	Place(Cell) Decision
	Finish(key string, imageDigest digest.Digest)
	Lost(builder, why string) []string
}

// simResult is what one strategy achieved on a workload.
type simResult struct {
	queue     []float64 // per cell, seconds waited in all (retries included)
	starts    int
	pipHits   int // starts on a builder whose pip cache held the cell's key
	imageHits int // starts on a builder that held the cell's image
	makespan  float64
	retried   int // cells retried after a loss
	failed    int // cells failed because of a builder (lost twice, or no builder left)
	places    int // Place calls
}

func (r simResult) meanQueue() float64 {
	s := 0.0
	for _, q := range r.queue {
		s += q
	}
	return s / float64(len(r.queue))
}

func (r simResult) p95Queue() float64 {
	q := slices.Clone(r.queue)
	slices.Sort(q)
	return q[(len(q)*95+99)/100-1]
}

func (r simResult) pipHitRate() float64   { return float64(r.pipHits) / float64(r.starts) }
func (r simResult) imageHitRate() float64 { return float64(r.imageHits) / float64(r.starts) }

// event kinds, in the order they are handled at one instant: a loss
// first (cells cannot finish on a dead builder), then finishes (to free
// slots), then arrivals.
const (
	evLoss = iota
	evFinish
	evArrive
)

type event struct {
	at      float64
	kind    int
	cell    int
	builder int
	attempt int
	seq     int
}

type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	return cmp.Or(cmp.Compare(q[i].at, q[j].at), cmp.Compare(q[i].kind, q[j].kind), cmp.Compare(q[i].seq, q[j].seq)) < 0
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simulate runs w through the strategy mk makes, on the simulation's
// clock.
func simulate(w workload, mk func(clock func() time.Time) strategy) simResult {
	m := w.model
	now := 0.0
	s := mk(func() time.Time { return t0.Add(time.Duration(now * float64(time.Second))) })
	res := simResult{queue: make([]float64, len(w.cells))}
	images := make([]map[digest.Digest]bool, len(w.images))
	pip := make([]map[string]bool, len(w.pip))
	for i := range images {
		images[i], pip[i] = clonedSet(w.images[i]), clonedSet(w.pip[i])
	}
	index := make(map[string]int, len(w.fleet))
	for i, b := range w.fleet {
		index[b.Name] = i
	}
	byKey := make(map[string]int, len(w.cells))
	for i, c := range w.cells {
		byKey[c.Key] = i
	}

	var q eventQueue
	seq := 0
	push := func(e event) { seq++; e.seq = seq; heap.Push(&q, e) }
	for i, c := range w.cells {
		push(event{at: c.arrive, kind: evArrive, cell: i})
	}
	for i, at := range m.lossTimes {
		push(event{at: at, kind: evLoss, builder: m.lossBuilders[i]})
	}

	attempt := make([]int, len(w.cells))
	waitSince := make([]float64, len(w.cells))
	retried := make([]bool, len(w.cells))
	var waiting []int

	start := func(i, b int) {
		c := w.cells[i]
		res.queue[i] += now - waitSince[i]
		res.starts++
		d := c.work
		if images[b][c.digest] {
			res.imageHits++
		} else {
			d += m.imagePull
		}
		if pip[b][c.DepKey] {
			res.pipHits++
			d += m.pipWarm
		} else {
			d += m.pipCold
		}
		push(event{at: now + d, kind: evFinish, cell: i, builder: b, attempt: attempt[i]})
	}
	// drain places the waiting cells in order. Wait depends only on the
	// platform (every strategy waits only when no builder of it has a free
	// slot), so once one cell of a platform waits the others of it are
	// not asked again until something changes.
	drain := func() {
		full := map[string]bool{}
		kept := waiting[:0]
		for _, i := range waiting {
			c := w.cells[i]
			plat := c.Platform.Architecture // the model's cells differ by it alone
			if full[plat] {
				kept = append(kept, i)
				continue
			}
			d := s.Place(c.Cell)
			res.places++
			switch d.Action {
			case Run:
				start(i, index[d.Builder])
			case Wait:
				full[plat] = true
				kept = append(kept, i)
			default:
				res.queue[i] += now - waitSince[i]
				res.failed++
			}
		}
		waiting = kept
	}

	for q.Len() > 0 {
		e := heap.Pop(&q).(event)
		now = e.at
		switch e.kind {
		case evArrive:
			waitSince[e.cell] = now
			waiting = append(waiting, e.cell)
		case evFinish:
			if e.attempt != attempt[e.cell] {
				continue // its builder was lost under it
			}
			c := w.cells[e.cell]
			s.Finish(c.Key, c.digest)
			images[e.builder][c.digest] = true
			pip[e.builder][c.DepKey] = true
			res.makespan = max(res.makespan, now)
		case evLoss:
			name := w.fleet[e.builder].Name
			// The lost cells go first: they have waited longest.
			var again []int
			for _, k := range s.Lost(name, fmt.Sprintf("connection to %s reset", name)) {
				i := byKey[k]
				attempt[i]++
				waitSince[i] = now
				if !retried[i] {
					retried[i] = true
					res.retried++
				}
				again = append(again, i)
			}
			waiting = append(again, waiting...)
		}
		drain()
	}
	return res
}

// baseline is a strategy that knows only platforms and slots: least
// loaded, or random among the builders with a free slot. It follows the
// Placer's rules for losses (retried once elsewhere, failed when lost
// twice) so that only the choice differs.
type baseline struct {
	fleet   []Builder
	match   [][]platforms.Matcher
	busy    []int
	lost    []bool
	running map[string][2]int // builder, start order
	seq     int
	losses  map[string]int
	rng     *rand.Rand // nil: least loaded
}

func newBaseline(fleet []Builder, rng *rand.Rand) *baseline {
	match := make([][]platforms.Matcher, len(fleet))
	for i, b := range fleet {
		match[i] = matchers(b.Platforms)
	}
	return &baseline{fleet: fleet, match: match, busy: make([]int, len(fleet)), lost: make([]bool, len(fleet)),
		running: map[string][2]int{}, losses: map[string]int{}, rng: rng}
}

func (s *baseline) Place(c Cell) Decision {
	if s.losses[c.Key] >= 2 {
		return Decision{Action: Fail, Retry: true}
	}
	var up, free []int
	for i, b := range s.fleet {
		runs := slices.ContainsFunc(s.match[i], func(m platforms.Matcher) bool { return m.Match(c.Platform) })
		if runs && b.Reachable && !s.lost[i] {
			up = append(up, i)
			if s.busy[i] < b.Capacity() {
				free = append(free, i)
			}
		}
	}
	switch {
	case len(up) == 0 && s.losses[c.Key] > 0:
		return Decision{Action: Fail, Retry: true}
	case len(up) == 0:
		return Decision{Action: NoBuilder}
	case len(free) == 0:
		return Decision{Action: Wait}
	}
	pick := free[0]
	if s.rng != nil {
		pick = free[s.rng.IntN(len(free))]
	} else {
		for _, i := range free[1:] {
			if s.busy[i]*s.fleet[pick].Capacity() < s.busy[pick]*s.fleet[i].Capacity() {
				pick = i
			}
		}
	}
	s.busy[pick]++
	s.seq++
	s.running[c.Key] = [2]int{pick, s.seq}
	return Decision{Action: Run, Builder: s.fleet[pick].Name, Retry: s.losses[c.Key] > 0}
}

func (s *baseline) Finish(key string, _ digest.Digest) {
	if r, ok := s.running[key]; ok {
		s.busy[r[0]]--
		delete(s.running, key)
	}
}

func (s *baseline) Lost(name, _ string) []string {
	var keys []string
	for i, b := range s.fleet {
		if b.Name != name || s.lost[i] {
			continue
		}
		s.lost[i] = true
		for k, r := range s.running {
			if r[0] == i {
				keys = append(keys, k)
				s.busy[i]--
				s.losses[k]++
			}
		}
	}
	// In start order, as the Placer answers.
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(s.running[a][1], s.running[b][1]) })
	for _, k := range keys {
		delete(s.running, k)
	}
	return keys
}

// strategies are the three compared, each made fresh for a run of w.
func strategies(tb testing.TB, w workload) []struct {
	name string
	make func(clock func() time.Time) strategy
} {
	return []struct {
		name string
		make func(clock func() time.Time) strategy
	}{
		{"placer", func(clock func() time.Time) strategy {
			p, err := New(w.fleet, Options{Record: recordOf(w.record...), Now: clock})
			if err != nil {
				tb.Fatal(err)
			}
			return p
		}},
		{"least-loaded", func(func() time.Time) strategy { return newBaseline(w.fleet, nil) }},
		{"random", func(func() time.Time) strategy { return newBaseline(w.fleet, rand.New(rand.NewPCG(w.model.seed, 1))) }},
	}
}

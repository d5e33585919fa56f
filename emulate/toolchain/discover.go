package toolchain

import (
	"context"
	"slices"

	"golang.org/x/sync/errgroup"
)

// candidates collects the binaries worth asking, in discovery order. A
// binary reached by several paths (links, or a directory on PATH twice) is
// kept once, under the first path found.
type candidates struct {
	paths []string
	seen  map[string]bool // resolved paths already kept
}

// add keeps p when it is an executable file not seen before.
func (c *candidates) add(p string) {
	if !isExecutable(p) {
		return
	}
	r := resolved(p)
	if c.seen[r] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[r] = true
	c.paths = append(c.paths, p)
}

// probeAll asks every candidate once with args (four at a time) and keeps
// those whose output parse accepts. A binary that does not run is left out;
// only the end of ctx is an error. The result is sorted by version, highest
// first, keeping discovery order among equals.
func probeAll[T any](ctx context.Context, env Env, paths []string, args []string, parse func(path, out string) (T, bool), version func(T) string) ([]T, error) {
	found := make([]*T, len(paths)) // one slot per goroutine
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, p := range paths {
		g.Go(func() error {
			out, err := probe(gctx, env, p, args...)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return nil // not a working binary; leave it out
			}
			if t, ok := parse(p, out); ok {
				found[i] = &t
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var list []T
	for _, f := range found {
		if f != nil {
			list = append(list, *f)
		}
	}
	slices.SortStableFunc(list, func(a, b T) int {
		va, _ := parseSemver(version(a), false)
		vb, _ := parseSemver(version(b), false)
		return vb.compare(va)
	})
	return list, nil
}

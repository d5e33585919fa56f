package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/containerd/platforms"
	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/emulate/executor/pool"
	"github.com/rehearse-dev/rehearse/emulate/placement"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// poolExecutor surveys the configured builders and returns the pool over
// the reachable ones. A builder that is down is reported on one line and
// left out; with none reachable the run goes to the host (--executor
// auto) or cannot start (--executor container).
func (c *Command) poolExecutor(ctx context.Context, f *runFlags, l *loaded, opts buildkit.Options, policy builder.Policy) (closingExecutor, error) {
	x := &f.ef.exec
	fl, err := openFleet(ctx, x.specs)
	if err != nil {
		return nil, err
	}
	for _, s := range fl.surveys {
		if s.Client == nil {
			fmt.Fprintf(c.Stderr, "rehearse: builder %s is unreachable and left out of this run: %s\n", s.Spec.Name(), fleetReason(s))
		}
	}
	if fl.recordErr != nil {
		fmt.Fprintf(c.Stderr, "warning: %v\n", fl.recordErr)
	}
	var members []pool.Member
	capacity := 0
	for i, s := range fl.surveys {
		if s.Client == nil {
			continue
		}
		o := opts
		o.Client, o.Address = s.Client, s.Spec.Name()
		e, err := buildkit.New(context.WithoutCancel(ctx), o)
		if err != nil {
			fl.close(members)
			return nil, err
		}
		cl := s.Client
		members = append(members, pool.Member{Name: s.Spec.Name(), Exec: e,
			Probe: func(ctx context.Context) error { _, err := cl.Info(ctx); return err }})
		capacity += fl.fleet[i].Capacity()
	}
	if len(members) == 0 {
		why := "none of the builders answers"
		if policy == builder.Require {
			return nil, &usageError{"--executor container: " + why + " (see `rehearse builder ls`)"}
		}
		fmt.Fprintf(c.Stderr, "rehearse: jobs run on this machine (host executor): %s\n", why)
		return nil, nil
	}
	// The run's --jobs would otherwise cap the fleet at this machine's
	// CPUs: with several builders the default is their capacity.
	if !x.fs.Changed("jobs") && capacity > f.parallel {
		f.parallel = capacity
	}
	deps := &depKeys{root: l.opts.Root, keys: map[string]string{}}
	p := pool.New(pool.Options{
		Placer:  fl.placer,
		Members: members,
		Cell:    deps.cell,
		Notice:  func(line string) { fmt.Fprintf(c.Stderr, "rehearse: %s\n", line) },
	})
	return &poolCloser{Pool: p, fl: fl, members: members}, nil
}

// fleet is the builders of a run as surveyed, their placement view and
// the placer over them.
type fleet struct {
	surveys   []*builder.Survey
	fleet     []placement.Builder
	record    *placement.Record
	recordErr error
	placer    *placement.Placer
}

// openFleet surveys the builders, keeping the clients of those that
// answer, and makes the placer with the record of past placements.
func openFleet(ctx context.Context, sp []builder.Spec) (*fleet, error) {
	fl := &fleet{surveys: builder.SurveyAll(ctx, sp, true)}
	for _, s := range fl.surveys {
		fl.fleet = append(fl.fleet, placementBuilder(s))
	}
	state, err := workspace.StateDir()
	if err != nil {
		fl.close(nil)
		return nil, err
	}
	fl.record, fl.recordErr = placement.LoadRecord(state)
	fl.placer, err = placement.New(fl.fleet, placement.Options{Record: fl.record})
	if err != nil {
		fl.close(nil)
		return nil, &usageError{err.Error()}
	}
	return fl, nil
}

// close closes the executors of members and every client, and saves the
// record.
func (fl *fleet) close(members []pool.Member) error {
	var wg sync.WaitGroup
	errs := make([]error, len(members))
	for i, m := range members {
		wg.Go(func() {
			// Each goroutine writes its own slot.
			if e, ok := m.Exec.(interface{ Close() error }); ok {
				errs[i] = e.Close()
			}
		})
	}
	wg.Wait()
	for _, s := range fl.surveys {
		if s.Client != nil {
			s.Client.Close()
		}
	}
	if fl.record != nil && members != nil {
		if err := fl.record.Save(); err != nil {
			errs = append(errs, err)
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// poolCloser closes the pool's builders when the run ends.
type poolCloser struct {
	*pool.Pool
	fl      *fleet
	members []pool.Member
}

func (p *poolCloser) Close() error {
	p.Stop()
	return p.fl.close(p.members)
}

// fleetReason is why a builder is left out, in a few words.
func fleetReason(s *builder.Survey) string {
	if s.Status.Err != nil {
		if s.Status.Answers {
			return s.Status.Err.Error()
		}
		return builder.Reason(s.Status.Err)
	}
	return "it did not answer"
}

// placementBuilder is what placement needs of a surveyed builder.
func placementBuilder(s *builder.Survey) placement.Builder {
	b := placement.Builder{Name: s.Spec.Name(), Jobs: s.Spec.Jobs, CPUs: s.CPUs, Workers: len(s.Status.Workers),
		Reachable: s.Status.Answers && s.Status.Err == nil, Images: map[digest.Digest]bool{}}
	if !b.Reachable {
		b.Why = fleetReason(s)
	}
	for _, w := range s.Status.Workers {
		for _, p := range w.Platforms {
			if pl, err := platforms.Parse(p); err == nil {
				b.Platforms = append(b.Platforms, pl)
			}
		}
	}
	for _, i := range s.Images {
		b.Images[i.Digest] = true
	}
	if m, ok := s.Cache(cache.PipMountID); ok {
		b.PipCache = placement.Mount{Present: true, Created: m.Created}
	}
	return b
}

// depKeys computes the dependency keys of cells, once per Python version
// and platform.
type depKeys struct {
	root string
	mu   sync.Mutex
	keys map[string]string
}

// cell is the placement cell of a job: its platform from its runs-on
// labels (an arm64 label runs on linux/arm64, any other on linux/amd64,
// as GitHub's hosted runners do), its image, and the dependency key of
// the checkout with the Python it sets up.
func (d *depKeys) cell(spec executor.JobSpec) placement.Cell {
	ref := spec.Image
	if spec.Container != nil {
		ref = spec.Container.Image
	}
	c := placement.Cell{Key: spec.Key, Image: ref, Platform: labelPlatform(spec.Labels)}
	if _, dg, ok := strings.Cut(ref, "@"); ok {
		if parsed, err := digest.Parse(dg); err == nil {
			c.ImageDigest = parsed
		}
	}
	python := ""
	for _, t := range spec.Tools {
		if t.Name == "python" {
			python = t.Spec
		}
	}
	extra := python + "|" + platforms.Format(c.Platform)
	d.mu.Lock()
	defer d.mu.Unlock()
	key, ok := d.keys[extra]
	if !ok {
		// A checkout that cannot be read has no key: placement then goes
		// by load and image alone.
		key, _ = placement.DependencyKey(os.DirFS(d.root), python, platforms.Format(c.Platform))
		d.keys[extra] = key
	}
	c.DepKey = key
	return c
}

func labelPlatform(labels []string) specs.Platform {
	for _, l := range labels {
		l = strings.ToLower(l)
		if strings.Contains(l, "arm64") || strings.HasSuffix(l, "-arm") || l == "arm" {
			return specs.Platform{OS: "linux", Architecture: "arm64"}
		}
	}
	return specs.Platform{OS: "linux", Architecture: "amd64"}
}

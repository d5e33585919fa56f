package placement

import (
	"slices"
	"strings"
	"time"

	"github.com/containerd/platforms"
	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Builder is one BuildKit builder of the fleet as it was found when the run
// began: what it can run, how much at once, and what it already holds.
type Builder struct {
	// Name identifies the builder in decisions, reasons and the record:
	// the address as the user gave it (or the name the configuration gives
	// it). Names are unique in a fleet.
	Name string
	// Reachable is false when the builder did not answer; Why says why
	// (the connection error), for the reasons of cells it cannot take.
	Reachable bool
	Why       string
	// Platforms are the platforms its workers run, as BuildKit's
	// ListWorkers reports them (emulated ones included: BuildKit lists a
	// platform only when the worker can run it).
	Platforms []specs.Platform
	// Jobs is the user's jobs=N for this builder; 0 takes the default,
	// CPUs when known, else one per worker (see [Builder.Capacity]).
	Jobs    int
	CPUs    int
	Workers int
	// Running is the number of cells it was running already when the fleet
	// was read (another run's): they take slots this run cannot have.
	Running int
	// Images are the image digests its disk usage records name.
	Images map[digest.Digest]bool
	// PipCache is its pip cache mount, as its disk usage reports it.
	PipCache Mount
}

// Mount is what a builder reports of a cache mount.
type Mount struct {
	// Present is false when the builder has no such mount (never made, or
	// pruned).
	Present bool
	// Created is when the builder made the mount: a record entry older
	// than that speaks of a mount that has been pruned since, so it is not
	// trusted. The time is the builder's clock; a skew of a few seconds only
	// matters for a mount made in the seconds before the entry.
	Created time.Time
}

// Capacity is how many cells the builder runs at once: jobs=N, else its
// CPUs, else one per worker, and at least one.
func (b Builder) Capacity() int {
	switch {
	case b.Jobs > 0:
		return b.Jobs
	case b.CPUs > 0:
		return b.CPUs
	case b.Workers > 0:
		return b.Workers
	}
	return 1
}

// matchers match a cell's platform against each of ps. A matcher
// normalizes its platform once (arm64/v8 is arm64), which is most of the
// cost of a match, so the placer makes them once per builder.
func matchers(ps []specs.Platform) []platforms.Matcher {
	ms := make([]platforms.Matcher, len(ps))
	for i, p := range ps {
		ms[i] = platforms.NewMatcher(p)
	}
	return ms
}

// formatPlatform is p as a user writes it (linux/arm64).
func formatPlatform(p specs.Platform) string {
	if p.OS == "" && p.Architecture == "" {
		return "no platform"
	}
	return platforms.Format(platforms.Normalize(p))
}

// platformList is the distinct platforms of builders, in the order given,
// for the reason of a cell no builder can run.
func platformList(bs []*builderState) string {
	var seen []string
	for _, b := range bs {
		for _, p := range b.Platforms {
			if s := formatPlatform(p); !slices.Contains(seen, s) {
				seen = append(seen, s)
			}
		}
	}
	if len(seen) == 0 {
		return "none"
	}
	return strings.Join(seen, ", ")
}

package builder

import (
	"context"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

// Survey is one builder of a fleet as `rehearse builder ls`,
// `plan --builders` and a run over several builders see it: its status,
// and what its disk usage says it holds.
type Survey struct {
	Spec   Spec
	Status *Status
	// CPUs is the builder's CPU count when rehearse can know it (a unix://
	// builder runs on this machine); 0 when it cannot: BuildKit does not
	// report its host's CPUs.
	CPUs int
	// Images are the images its disk usage records were pulled from (or
	// read from an OCI layout), by digest.
	Images []HeldImage
	// Caches are its cache mounts (the pip, uv and Go caches of jobs).
	Caches []CacheMount
	// Client is open when the survey was asked to keep it and the builder
	// answered; the caller closes it.
	Client *client.Client
}

// HeldImage is an image a builder holds.
type HeldImage struct {
	// Ref is the reference it was pulled by, with its digest.
	Ref    string
	Digest digest.Digest
	// Size is the size of its records.
	Size int64
}

// CacheMount is one cache mount of a builder.
type CacheMount struct {
	// ID is the mount's cache ID ("rehearse-pip-cache").
	ID string
	// Path is where the job that made it mounted it.
	Path    string
	Size    int64
	Created time.Time
	InUse   bool
}

// Cache returns the cache mount with id, or false.
func (s *Survey) Cache(id string) (CacheMount, bool) {
	for _, c := range s.Caches {
		if c.ID == id {
			return c, true
		}
	}
	return CacheMount{}, false
}

// SurveyAll surveys every builder at once (a builder that does not answer
// costs up to [ConnectTimeout], not that times the fleet), in the order
// given. With keep, the clients of the builders that answered stay open.
func SurveyAll(ctx context.Context, specs []Spec, keep bool) []*Survey {
	out := make([]*Survey, len(specs))
	var wg sync.WaitGroup
	for i, sp := range specs {
		wg.Go(func() {
			// Each goroutine writes its own slot.
			out[i] = SurveyOf(ctx, sp, keep)
		})
	}
	wg.Wait()
	return out
}

// SurveyOf surveys one builder.
func SurveyOf(ctx context.Context, sp Spec, keep bool) *Survey {
	st, c, du := inspect(ctx, sp.Address)
	s := &Survey{Spec: sp, Status: st}
	if strings.HasPrefix(sp.Address.Addr, "unix://") {
		s.CPUs = runtime.NumCPU()
	}
	s.Images, s.Caches = held(du)
	if c != nil {
		if keep && st.Err == nil {
			s.Client = c
		} else {
			c.Close()
		}
	}
	return s
}

var (
	// pulledFrom is how BuildKit describes an image's records: "pulled
	// from docker.io/library/ubuntu@sha256:...".
	pulledFrom = regexp.MustCompile(`^pulled from (\S+@(sha256:[0-9a-f]{64}))$`)
	// cachedMount is how it describes a cache mount: `cached mount
	// /home/runner/.cache/pip from exec ... with id "rehearse-pip-cache"`.
	cachedMount = regexp.MustCompile(`^cached mount (\S+) from .* with id "([^"]+)"$`)
)

// held reads the images and cache mounts from disk usage records.
func held(du []*client.UsageInfo) ([]HeldImage, []CacheMount) {
	var images []HeldImage
	var caches []CacheMount
	for _, r := range du {
		if m := pulledFrom.FindStringSubmatch(r.Description); m != nil {
			d := digest.Digest(m[2])
			i := slices.IndexFunc(images, func(h HeldImage) bool { return h.Digest == d })
			if i < 0 {
				images = append(images, HeldImage{Ref: m[1], Digest: d})
				i = len(images) - 1
			}
			images[i].Size += max(r.Size, 0)
			continue
		}
		if r.RecordType != client.UsageRecordTypeCacheMount {
			continue
		}
		m := cachedMount.FindStringSubmatch(r.Description)
		if m == nil {
			continue
		}
		// One ID can have several records (a mount made again after a
		// prune raced a job): the oldest live one is the cache.
		i := slices.IndexFunc(caches, func(c CacheMount) bool { return c.ID == m[2] })
		if i < 0 {
			caches = append(caches, CacheMount{ID: m[2], Path: m[1], Created: r.CreatedAt})
			i = len(caches) - 1
		}
		c := &caches[i]
		c.Size += max(r.Size, 0)
		c.InUse = c.InUse || r.InUse
		if r.CreatedAt.Before(c.Created) {
			c.Created = r.CreatedAt
		}
	}
	slices.SortFunc(images, func(a, b HeldImage) int { return strings.Compare(a.Ref, b.Ref) })
	slices.SortFunc(caches, func(a, b CacheMount) int { return strings.Compare(a.ID, b.ID) })
	return images, caches
}

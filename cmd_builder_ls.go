package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/config"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/emulate/placement"
	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
)

// builderList is `rehearse builder ls`: every configured builder (the
// --builder flags, else the configuration's builders, else the one a run
// would use), reachable or not. A builder that does not answer is a line
// of the listing, not a failure of the command.
func (c *Command) builderList(ctx context.Context, g *globals, x *builderFlags, format string) int {
	if format != "text" && format != "json" {
		return c.fail(&usageError{fmt.Sprintf("--format %q: expected text or json", format)})
	}
	if err := c.loadBuilderConfig(ctx, g, x); err != nil {
		return c.fail(err)
	}
	specs := x.specs
	if len(specs) == 0 {
		sp, err := defaultSpec(ctx, x)
		if err != nil {
			return c.fail(err)
		}
		specs = []builder.Spec{sp}
	}
	surveys := builder.SurveyAll(ctx, specs, false)
	if ctx.Err() != nil {
		return ExitInterrupted
	}
	list := make([]builderEntry, len(surveys))
	for i, s := range surveys {
		list[i] = entryOf(s)
	}
	if format == "json" {
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			return c.fail(err)
		}
		return ExitSuccess
	}
	for i, e := range list {
		if i > 0 {
			fmt.Fprintln(c.Stdout)
		}
		e.print(c.Stdout)
	}
	return ExitSuccess
}

// loadBuilderConfig takes the configuration's builders when no --builder
// names one, then checks them.
func (c *Command) loadBuilderConfig(ctx context.Context, g *globals, x *builderFlags) error {
	if err := x.check(); err != nil {
		return err
	}
	root := g.dir
	if root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("could not find the current directory: %w", err)
		}
		root = wd
		if gi, err := trigger.ReadGit(ctx, wd); err == nil && gi.Available {
			root = gi.Root
		}
	}
	cfg, err := config.Load(root)
	if err != nil {
		return &usageError{err.Error()}
	}
	x.applyConfig(cfg)
	return x.check()
}

// defaultSpec is the builder a run uses when none is configured:
// $BUILDKIT_HOST, else rehearse's own.
func defaultSpec(ctx context.Context, x *builderFlags) (builder.Spec, error) {
	a, _ := builder.Given(x.address(), nil)
	if a.Addr != "" {
		if err := a.Validate(); err != nil {
			return builder.Spec{}, &usageError{fmt.Sprintf("%v (from $%s)", err, builder.EnvHost)}
		}
		return builder.Spec{Address: a}, nil
	}
	st, err := builder.PrivateStatus(ctx, builder.Options{})
	if err != nil {
		return builder.Spec{}, err
	}
	return builder.Spec{Address: st.Address}, nil
}

// builderEntry is one builder of `builder ls`, also its JSON form.
type builderEntry struct {
	Name      string `json:"name"`
	Reachable bool   `json:"reachable"`
	// Reason says why it is not reachable, or what failed after it
	// answered.
	Reason    string   `json:"reason,omitempty"`
	Version   string   `json:"version,omitempty"`
	Platforms []string `json:"platforms"`
	Workers   int      `json:"workers"`
	// Capacity is how many job cells rehearse runs on it at once, and
	// CapacityFrom why: jobs=N, this machine's CPUs, one per worker.
	Capacity     int    `json:"capacity"`
	CapacityFrom string `json:"capacity_from"`
	// RunningJobs is null: BuildKit does not say how many jobs other
	// clients (other rehearse runs) run on it.
	RunningJobs *int        `json:"running_jobs"`
	Disk        builderDisk `json:"disk"`
	Caches      []lsCache   `json:"caches"`
	Images      []lsImage   `json:"images"`
}

type builderDisk struct {
	Total       int64 `json:"total"`
	Reclaimable int64 `json:"reclaimable"`
	Records     int   `json:"records"`
}

type lsCache struct {
	ID      string    `json:"id"`
	Path    string    `json:"path"`
	Size    int64     `json:"size"`
	Created time.Time `json:"created"`
}

type lsImage struct {
	Ref    string `json:"ref"`
	Digest string `json:"digest"`
	Size   int64  `json:"size"`
}

func entryOf(s *builder.Survey) builderEntry {
	e := builderEntry{Name: s.Spec.Name(), Reachable: s.Status.Answers, Platforms: []string{}, Caches: []lsCache{}, Images: []lsImage{}}
	if s.Status.Err != nil {
		e.Reason = builder.Reason(s.Status.Err)
		if s.Status.Answers {
			e.Reason = s.Status.Err.Error()
		}
	}
	if !e.Reachable {
		return e
	}
	e.Version = s.Status.Version.Version
	for _, w := range s.Status.Workers {
		for _, p := range w.Platforms {
			if !slices.Contains(e.Platforms, p) {
				e.Platforms = append(e.Platforms, p)
			}
		}
	}
	e.Workers = len(s.Status.Workers)
	pb := placement.Builder{Jobs: s.Spec.Jobs, CPUs: s.CPUs, Workers: e.Workers}
	e.Capacity = pb.Capacity()
	switch {
	case s.Spec.Jobs > 0:
		e.CapacityFrom = fmt.Sprintf("jobs=%d", s.Spec.Jobs)
	case s.CPUs > 0:
		e.CapacityFrom = "this machine's CPUs"
	default:
		e.CapacityFrom = "one per worker (BuildKit does not report its CPUs; set jobs=N)"
	}
	e.Disk = builderDisk{Total: s.Status.Disk.Total, Reclaimable: s.Status.Disk.Reclaimable, Records: s.Status.Disk.Records}
	for _, m := range s.Caches {
		e.Caches = append(e.Caches, lsCache{ID: m.ID, Path: m.Path, Size: m.Size, Created: m.Created})
	}
	for _, i := range s.Images {
		e.Images = append(e.Images, lsImage{Ref: i.Ref, Digest: i.Digest.String(), Size: i.Size})
	}
	return e
}

// cacheNames are the cache mounts of jobs, by the names users know.
var cacheNames = map[string]string{
	cache.PipMountID:        "pip",
	buildkit.UVCacheID:      "uv",
	buildkit.GoModCacheID:   "go modules",
	buildkit.GoBuildCacheID: "go build",
}

func (e builderEntry) print(w io.Writer) {
	line := func(k, format string, args ...any) {
		fmt.Fprintf(w, "  %-10s %s\n", k+":", fmt.Sprintf(format, args...))
	}
	if !e.Reachable {
		fmt.Fprintf(w, "%s: unreachable: %s\n", e.Name, e.Reason)
		return
	}
	fmt.Fprintf(w, "%s: reachable\n", e.Name)
	v := e.Version
	if v == "" {
		v = "unknown (older than v0.11)"
	}
	line("buildkit", "%s", v)
	line("platforms", "%s", strings.Join(e.Platforms, ", "))
	line("capacity", "%d job cell%s at once (%s)", e.Capacity, plural(e.Capacity), e.CapacityFrom)
	line("running", "unknown (BuildKit does not report the jobs of other clients)")
	if e.Reason != "" {
		line("problem", "%s", e.Reason)
		return
	}
	line("disk use", "%s in %d cache records, %s reclaimable", humanSize(e.Disk.Total), e.Disk.Records, humanSize(e.Disk.Reclaimable))
	if len(e.Caches) == 0 {
		line("caches", "none")
	}
	for _, m := range e.Caches {
		name := cacheNames[m.ID]
		if name == "" {
			name = m.ID
		}
		line("cache", "%s %s (%s, made %s)", name, humanSize(m.Size), m.Path, m.Created.Local().Format(time.DateTime))
	}
	if len(e.Images) == 0 {
		line("images", "none")
	}
	for _, i := range e.Images {
		line("image", "%s (%s)", i.Ref, humanSize(i.Size))
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// humanSize is a byte count as the report prints one.
func humanSize(n int64) string { return report.FormatSize(n) }

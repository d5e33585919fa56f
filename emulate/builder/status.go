package builder

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/containerd/platforms"
	"github.com/moby/buildkit/client"
)

// Status is what a builder says about itself, or why it does not answer.
type Status struct {
	// Address is the builder asked; Source where the address came from.
	Address Address
	Source  Source
	// Answers is true when the daemon answered; Err says why not, or what
	// failed after it answered (workers, disk use).
	Answers bool
	Err     error
	// Version is BuildKit's version, as the daemon reports it.
	Version client.BuildkitVersion
	// Workers are the daemon's workers (one for the private daemon).
	Workers []Worker
	// Disk is the daemon's cache.
	Disk DiskUse
	// Private is set for rehearse's own daemon.
	Private *PrivateInfo
}

// Worker is one BuildKit worker.
type Worker struct {
	ID string
	// Executor ("oci", "containerd"), Snapshotter ("overlayfs",
	// "native", ...) and Network ("host", "cni") are from its labels.
	Executor, Snapshotter, Network string
	// Platforms it runs, such as "linux/amd64".
	Platforms []string
}

// DiskUse sums the daemon's cache records.
type DiskUse struct {
	Records            int
	Total, Reclaimable int64
}

// PrivateInfo is what rehearse knows of its own daemon.
type PrivateInfo struct {
	// Kind is how it runs, or would run when started here; empty when it
	// cannot run here (CannotStart says why).
	Kind Kind
	// Dir is its directory; Log its log file (native kinds).
	Dir, Log string
	// PID is its process when it runs (native kinds).
	PID int
	// Container is its container (container kinds).
	Container string
	// CannotStart says why [Start] could not start one here.
	CannotStart error
}

// StatusOf asks the daemon at a for its version, workers and disk use,
// within [ConnectTimeout] for the first answer.
func StatusOf(ctx context.Context, a Address) *Status {
	s, c, _ := inspect(ctx, a)
	if c != nil {
		c.Close()
	}
	return s
}

// inspect is StatusOf that also returns the open client (nil when the
// daemon did not answer; the caller closes it) and the disk usage records.
func inspect(ctx context.Context, a Address) (*Status, *client.Client, []*client.UsageInfo) {
	s := &Status{Address: a}
	c, info, err := connect(ctx, a, ConnectTimeout)
	if err != nil {
		s.Err = err
		return s, nil, nil
	}
	s.Answers, s.Version = true, info.BuildkitVersion
	qctx, cancel := context.WithTimeoutCause(ctx, time.Minute, fmt.Errorf("the builder did not list its workers and disk use within a minute"))
	defer cancel()
	ws, err := c.ListWorkers(qctx)
	if err != nil {
		s.Err = fmt.Errorf("could not list the workers of %s: %w", a.Addr, err)
		return s, c, nil
	}
	for _, w := range ws {
		wk := Worker{ID: w.ID,
			Executor:    w.Labels["org.mobyproject.buildkit.worker.executor"],
			Snapshotter: w.Labels["org.mobyproject.buildkit.worker.snapshotter"],
			Network:     w.Labels["org.mobyproject.buildkit.worker.network"],
		}
		for _, p := range w.Platforms {
			wk.Platforms = append(wk.Platforms, platforms.Format(p))
		}
		s.Workers = append(s.Workers, wk)
	}
	du, err := c.DiskUsage(qctx)
	if err != nil {
		s.Err = fmt.Errorf("could not read the disk use of %s: %w", a.Addr, err)
		return s, c, nil
	}
	for _, r := range du {
		s.Disk.Records++
		if r.Size > 0 {
			s.Disk.Total += r.Size
			if !r.InUse {
				s.Disk.Reclaimable += r.Size
			}
		}
	}
	return s, c, du
}

// PrivateStatus is [StatusOf] the private daemon: the one Start recorded,
// else where Start would put one on this machine. The error is for bad
// options only; a daemon that does not answer is in the Status.
func PrivateStatus(ctx context.Context, opts Options) (*Status, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	pi := &PrivateInfo{Dir: o.Dir}
	rec, err := o.l.readRecord()
	if err != nil {
		return nil, err
	}
	var addr Address
	if rec != nil {
		addr, pi.Kind, pi.Container = Address{Addr: rec.Address}, rec.Kind, rec.Name
	} else {
		p, perr := makePlan(o)
		addr = p.address(o)
		pi.Kind, pi.CannotStart = p.kind, perr
		if p.kind == KindDocker || p.kind == KindPodman {
			pi.Container = o.Container
		}
	}
	if pi.Kind == KindNative || pi.Kind == KindRootless || pi.Kind == "" {
		pi.Log = o.l.log()
	}
	s := StatusOf(ctx, addr)
	s.Source, s.Private = SourcePrivate, pi
	if s.Answers && (pi.Kind == KindNative || pi.Kind == KindRootless || pi.Kind == "") {
		pi.PID, _ = readPID(o.l.pidFile())
	}
	if _, err := os.Stat(pi.Log); pi.Log != "" && err != nil {
		pi.Log = ""
	}
	return s, nil
}

// Print writes s for a person, one "name: value" line per fact.
func (s *Status) Print(w io.Writer) {
	line := func(k, format string, args ...any) {
		fmt.Fprintf(w, "%-10s %s\n", k+":", fmt.Sprintf(format, args...))
	}
	where := string(s.Source)
	if p := s.Private; p != nil {
		var parts []string
		if p.Kind != "" {
			parts = append(parts, string(p.Kind))
		}
		if p.PID > 0 {
			parts = append(parts, fmt.Sprintf("pid %d", p.PID))
		}
		if p.Container != "" {
			parts = append(parts, p.Container)
		}
		if len(parts) > 0 {
			where += ": " + strings.Join(parts, ", ")
		}
	}
	if where != "" {
		line("builder", "%s (%s)", s.Address.Addr, where)
	} else {
		line("builder", "%s", s.Address.Addr)
	}
	if !s.Answers {
		if p := s.Private; p != nil && p.CannotStart != nil {
			line("status", "not running, and cannot start here: %v", p.CannotStart)
		} else if p != nil {
			line("status", "not running (%s); start it with `rehearse builder start`", shortReason(s.Err))
		} else {
			line("status", "not answering: %v", s.Err)
		}
		if p := s.Private; p != nil {
			line("state", "%s", p.Dir)
		}
		return
	}
	v := s.Version.Version
	if v == "" {
		v = "unknown (older than v0.11)"
	}
	if s.Version.Revision != "" {
		v += " (revision " + s.Version.Revision + ")"
	}
	line("status", "answers")
	line("buildkit", "%s", v)
	for _, wk := range s.Workers {
		var facts []string
		for _, f := range []struct{ k, v string }{{"executor", wk.Executor}, {"snapshotter", wk.Snapshotter}, {"network", wk.Network}} {
			if f.v != "" {
				facts = append(facts, f.k+" "+f.v)
			}
		}
		line("worker", "%s: %s", wk.ID, strings.Join(facts, ", "))
		line("platforms", "%s", strings.Join(slices.Compact(slices.Clone(wk.Platforms)), ", "))
	}
	if s.Err == nil {
		line("disk use", "%s in %d cache records, %s reclaimable", humanBytes(s.Disk.Total), s.Disk.Records, humanBytes(s.Disk.Reclaimable))
	} else {
		line("problem", "%v", s.Err)
	}
	if p := s.Private; p != nil {
		line("state", "%s", p.Dir)
		if p.Log != "" {
			line("log", "%s", p.Log)
		} else if p.Container != "" {
			line("log", "`%s logs %s`", p.Kind.engine(), p.Container)
		}
	}
}

// humanBytes formats a size with binary units, as `du -h` does.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

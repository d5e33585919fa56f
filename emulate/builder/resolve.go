package builder

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/moby/buildkit/client"
)

// Policy is how much a run insists on a builder.
type Policy int

const (
	// Auto (--executor auto) uses a builder that answers, or starts the
	// private daemon where this machine runs buildkitd; otherwise it
	// reports why not, and the caller runs jobs on the host. It never
	// starts a container engine's BuildKit on its own: that is an image
	// pull and a privileged container, which `rehearse builder start`
	// does when asked.
	Auto Policy = iota
	// Require (--executor container) needs a builder: it also starts
	// BuildKit in docker or podman where buildkitd cannot run, and nothing
	// reachable is an error saying how to get one.
	Require
)

// Request is what [Resolve] chooses from.
type Request struct {
	// Address is --builder with its TLS flags; with no Addr,
	// $BUILDKIT_HOST is read (through Private.Host's Getenv).
	Address Address
	// Policy says whether a missing builder is an error.
	Policy Policy
	// Private configures the private daemon.
	Private Options
}

// Resolution is the builder a run uses, or why there is none.
type Resolution struct {
	// Client is connected to the builder; nil when there is none (Auto
	// only). The caller closes it.
	Client *client.Client
	// Address and Source say which builder; Version is its BuildKit
	// version.
	Address Address
	Source  Source
	Version string
	// Started is the private daemon when this call started it.
	Started *Daemon
	// Private is the private daemon when it was used (started or not).
	Private *Daemon
	// Passed are builders that were tried and did not answer, each with
	// why, for warnings: a --builder or $BUILDKIT_HOST that is down.
	Passed []string
	// Reason says, in one line, why there is no builder (Client nil).
	Reason string
}

// NoBuilderError is [Require]'s answer when no builder can be had.
type NoBuilderError struct {
	// Reasons are why each candidate failed.
	Reasons []string
}

func (e *NoBuilderError) Error() string {
	return "no BuildKit builder for the container executor: " + strings.Join(e.Reasons, "; ") +
		"; start one with `rehearse builder start`, point to one with --builder ADDR (or BUILDKIT_HOST), or run jobs on this machine with --executor host"
}

// Resolve chooses the builder, in this order: the given address (--builder,
// else $BUILDKIT_HOST) when it answers; else the private daemon when it
// answers; else the private daemon started now, where the policy allows;
// else none, with the reason (Auto) or a [*NoBuilderError] (Require). A
// malformed given address is an [*AddressError] under either policy: it is
// a mistake to fix, not a daemon that is down.
func Resolve(ctx context.Context, req Request) (*Resolution, error) {
	o, err := req.Private.resolve()
	if err != nil {
		return nil, err
	}
	res := &Resolution{}
	var reasons []string
	given, src := Given(req.Address, o.host.Getenv)
	if given.Addr != "" {
		if err := given.Validate(); err != nil {
			if src == SourceEnv {
				return nil, fmt.Errorf("%w (from $%s)", err, EnvHost)
			}
			return nil, err
		}
		c, info, err := connect(ctx, given, ConnectTimeout)
		if err == nil {
			res.Client, res.Address, res.Source, res.Version = c, given, src, info.BuildkitVersion.Version
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		why := fmt.Sprintf("%s %s did not answer (%s)", src, given.Addr, shortReason(err))
		res.Passed = append(res.Passed, why)
		reasons = append(reasons, why)
	}

	// The private daemon: running already, or started now.
	p, planErr := makePlan(o)
	startable := planErr == nil && (req.Policy == Require || p.kind == KindNative || p.kind == KindRootless)
	if !startable {
		// Only reuse what runs; say why none is started.
		d, err := reuseOnly(ctx, o)
		if err != nil {
			return nil, err
		}
		if d != nil {
			return res.use(ctx, d, false)
		}
		switch {
		case planErr != nil:
			reasons = append(reasons, cannotStartReason(planErr))
		default:
			reasons = append(reasons, fmt.Sprintf("buildkitd cannot run natively here (%s), and --executor auto does not start BuildKit in %s on its own: run `rehearse builder start` once, or use --executor container",
				strings.Join(p.notNative, "; "), p.kind.engine()))
		}
		return res.none(req.Policy, reasons)
	}
	d, err := Start(ctx, req.Private)
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		reasons = append(reasons, cannotStartReason(err))
		return res.none(req.Policy, reasons)
	}
	return res.use(ctx, d, !d.Reused)
}

// use connects to the private daemon d.
func (r *Resolution) use(ctx context.Context, d *Daemon, started bool) (*Resolution, error) {
	c, err := Connect(ctx, d.Address)
	if err != nil {
		return nil, err
	}
	r.Client, r.Address, r.Source, r.Version, r.Private = c, d.Address, SourcePrivate, d.Version, d
	if started {
		r.Started = d
	}
	return r, nil
}

// none is the answer without a builder.
func (r *Resolution) none(p Policy, reasons []string) (*Resolution, error) {
	if p == Require {
		return nil, &NoBuilderError{Reasons: reasons}
	}
	r.Reason = "no BuildKit builder (" + strings.Join(reasons, "; ") + ")"
	return r, nil
}

// reuseOnly returns the private daemon when the record names one that
// answers, without starting or cleaning anything.
func reuseOnly(ctx context.Context, o resolved) (*Daemon, error) {
	rec, err := o.l.readRecord()
	if err != nil || rec == nil {
		return nil, err
	}
	c, info, err := connect(ctx, Address{Addr: rec.Address}, 5*time.Second)
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, nil
	}
	c.Close()
	return &Daemon{Kind: rec.Kind, Address: Address{Addr: rec.Address}, Version: info.BuildkitVersion.Version,
		PID: rec.PID, Container: rec.Name, Dir: o.Dir, Reused: true}, nil
}

// cannotStartReason says why the private daemon could not start, without
// the advice that the caller's own message gives.
func cannotStartReason(err error) string {
	var ce *CannotStartError
	if errors.As(err, &ce) {
		return "cannot start one here: " + strings.Join(ce.Reasons, "; ")
	}
	return "the private builder did not start: " + err.Error()
}

// shortReason is the cause of an unreachable daemon, without the hint.
func shortReason(err error) string {
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return ue.Cause
	}
	return err.Error()
}

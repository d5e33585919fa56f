package run

import (
	"context"
	"time"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/artifact"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/mask"
	"github.com/rehearse-dev/rehearse/emulate/progress"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// Options configure a run.
type Options struct {
	// Root is the user's repository; it is only read.
	Root string
	Git  *trigger.Git
	// Event is the triggering event.
	Event *trigger.Event
	// Jobs is how many job cells run at once (--jobs).
	Jobs int
	// Executors run the jobs, by the plan's runner name ("host",
	// "container"): each cell goes to the executor its plan names.
	Executors map[string]executor.Executor
	// NoNetwork cuts the network of container jobs (--no-network).
	NoNetwork bool
	// Env is injected into every step (--env, --env-file) and is the bottom
	// layer of every job's env context, below workflow, job and step env.
	Env map[string]string
	// Secrets and Vars are the secrets and vars contexts.
	Secrets, Vars map[string]string
	// AllowDeploy runs deploy steps.
	AllowDeploy bool
	// FromCommit checks out HEAD only.
	FromCommit bool
	// Run is the run directory.
	Run *workspace.Run
	// Hard, once done, stops everything at once (a second Ctrl-C, or the
	// time limit after the first): running steps are stopped and no step
	// or job starts, not even always() ones. Cancelling the run's context
	// instead cancels the run as GitHub does (see [ErrCancelled]). When
	// Hard is nil, cancelling the run's context with [ErrInterrupted] is
	// the hard stop.
	Hard context.Context
	// Sink receives progress events.
	Sink Sink
	// Masker hides secrets in every output; Run adds the secrets to it.
	Masker *mask.Masker
	// Minute is the length of a minute for timeout-minutes (a test hook:
	// tests set it to a second). Zero means time.Minute.
	Minute time.Duration
	// Cache is the actions/cache store.
	Cache *cache.Store
	// Artifacts is the run's artifact store.
	Artifacts *artifact.Store
	// UV says where astral-sh/setup-uv's uv comes from (--uv-download-url,
	// --uv-manifest).
	UV actions.UVSources
	// Debug is ACTIONS_STEP_DEBUG / RUNNER_DEBUG.
	Debug bool
}

// Sink receives progress events; progress.Display implements it.
type Sink interface {
	Send(e progress.Event)
}

func (o *Options) minute() time.Duration {
	if o.Minute > 0 {
		return o.Minute
	}
	return time.Minute
}

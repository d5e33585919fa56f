// Package executor defines where a job's processes run. The scheduler and
// the step semantics are written against these interfaces only, so the host
// executor (processes on this machine, like a self-hosted runner) and the
// BuildKit container executor are interchangeable.
package executor

import (
	"context"
	"io"
)

// JobSpec is what an executor needs to set up one job cell.
type JobSpec struct {
	// Key names the job in the run (used for directory names).
	Key string
	// Workspace is the prepared copy of the repository on this machine.
	Workspace string
	// Temp and ToolCache are per-job directories on this machine.
	Temp, ToolCache string
	// Image is the container image (container executor only).
	Image string
}

// Process is one process to run inside a job.
type Process struct {
	Argv []string
	// Env is the whole environment, KEY=VALUE; nothing is inherited.
	Env []string
	Dir string
	// Stdout and Stderr receive the output; they may be the same writer.
	Stdout, Stderr io.Writer
}

// Executor starts jobs.
type Executor interface {
	// Name is "host" or "container".
	Name() string
	StartJob(ctx context.Context, spec JobSpec) (Job, error)
}

// Job is one running job environment.
type Job interface {
	// Path maps a path on this machine (in the workspace or temp dir) to
	// the path processes of the job see.
	Path(hostPath string) string
	// Exec runs p to completion and returns its exit code. Cancelling ctx
	// stops the process and everything it started; the error then wraps
	// context.Cause(ctx). A process that cannot start is an error, not an
	// exit code.
	Exec(ctx context.Context, p Process) (exitCode int, err error)
	// Close releases the job's resources.
	Close(ctx context.Context) error
}

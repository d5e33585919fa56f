// Package executor defines where a job's processes run. The scheduler, the
// step semantics and the built-in actions are written against these
// interfaces only, so the host executor (processes on this machine, like a
// self-hosted runner) and the BuildKit container executor are
// interchangeable: everything a step needs from "the machine" (its OS, its
// paths, its base environment, tool lookup, files and processes) comes from
// the [Job].
package executor

import (
	"context"
	"io"
	"io/fs"
	"time"
)

// JobSpec is what an executor needs to set up one job cell.
type JobSpec struct {
	// Key names the job in the run (used for directory and container names).
	Key string
	// Repository is "owner/name"; container jobs use its name in their
	// workspace path (/home/runner/work/NAME/NAME), as GitHub's runner does.
	Repository string
	// HostDirs are the job's directories prepared on this machine. The host
	// executor runs in them; the container executor ignores them.
	HostDirs Dirs
	// Labels are the cell's runs-on labels, after -P mapping was decided.
	Labels []string
	// Image is the image the job runs in (container executor only): the
	// reference form the executor's image sources accept.
	Image string
	// Container is set for a `container:` job (container executor only).
	Container *ContainerSpec
	// Tools are the tools the job's setup actions will ask for, decided
	// before the job starts where their inputs allow it. An executor that
	// provides tools itself (the container executor installs Pythons into
	// the tool cache from their builds) prepares them; the host executor
	// ignores them.
	Tools []ToolRequest
	// NoNetwork cuts the job's network (container executor only).
	NoNetwork bool
	// Log receives lines about setting the job up (image pulls, tool
	// installs) for the job's log; nil discards them.
	Log func(line string)
}

// Dirs are a job's directories on this machine.
type Dirs struct {
	Workspace, Temp, ToolCache string
}

// ContainerSpec is a job's `container:` (image, env, options).
type ContainerSpec struct {
	Image string
	Env   map[string]string
	// User is from `options: --user`; empty means the image's user.
	User string
	// Hostname is from `options: --hostname`.
	Hostname string
	// NoNetwork is from `options: --network none`.
	NoNetwork bool
	// Credentials for the image's registry; never logged.
	Username, Password string
}

// ToolRequest is one tool a setup action will ask for, e.g.
// {Name: "python", Spec: "3.11", Arch: "x64"}.
type ToolRequest struct {
	Name, Spec, Arch string
	// AllowPrereleases and Freethreaded are setup-python's inputs.
	AllowPrereleases, Freethreaded bool
}

// Platform is a job's OS and architecture in the runner's words
// (runner.os, runner.arch): "Linux", "X64".
type Platform struct {
	OS, Arch string
}

// Paths are the paths a job's processes see.
type Paths struct {
	// Workspace is GITHUB_WORKSPACE.
	Workspace string
	// Temp is RUNNER_TEMP.
	Temp string
	// ToolCache is RUNNER_TOOL_CACHE.
	ToolCache string
	// Home is HOME of the job's user.
	Home string
}

// Info describes a started job.
type Info struct {
	// Executor is "host" or "container".
	Executor string
	// Builder is the BuildKit address that runs the job (container only).
	Builder string
	// Placement says why the job went to Builder, and Queued how long it
	// waited for a free one, in a run spread over several builders.
	Placement string
	Queued    time.Duration
	// Image is the image the job runs in (container only).
	Image string
	// Environment is runner.environment: "self-hosted" on this machine's
	// host, "github-hosted" in a container made like GitHub's runner.
	Environment string
	// ImageOS is the ImageOS variable GitHub's images set (ubuntu24), or "".
	ImageOS string
	// HostTools is true when the job's processes see this machine's
	// installed tools (the host executor), so setup actions may use them.
	HostTools bool
	// ToolProblems explains tools of JobSpec.Tools that could not be
	// provided, keyed by ToolKey; a setup action that asks for one fails
	// with the explanation.
	ToolProblems map[string]string
}

// ToolKey is the key of a tool request in Info.ToolProblems.
func ToolKey(name, spec string) string { return name + "@" + spec }

// Process is one process to run inside a job.
type Process struct {
	Argv []string
	// Env is the whole environment, KEY=VALUE; nothing is inherited.
	Env []string
	// Dir is the working directory (a job path); empty means Workspace.
	Dir string
	// Stdin is the process's standard input; nil means none.
	Stdin io.Reader
	// Stdout and Stderr receive the output; they may be the same writer.
	Stdout, Stderr io.Writer
	// User runs the process as another user of the job (container only;
	// "root" for setup work). Empty is the job's user.
	User string
}

// Executor starts jobs.
type Executor interface {
	// Name is "host" or "container".
	Name() string
	StartJob(ctx context.Context, spec JobSpec) (Job, error)
}

// Job is one running job environment. Paths passed to its methods are
// paths as the job's processes see them.
type Job interface {
	Platform() Platform
	Paths() Paths
	// Env is the base environment of every process: on the host the user's
	// environment, in a container the image's with the runner's HOME.
	Env() map[string]string
	Info() Info
	// LookPath finds prog on the PATH of env, as the job sees it.
	LookPath(ctx context.Context, prog string, env []string) (string, error)
	// Exec runs p to completion and returns its exit code. Cancelling ctx
	// stops the process as the runner stops a cancelled step (SIGINT, then
	// SIGTERM after [SigtermAfter], then SIGKILL of its whole tree after
	// [SigkillAfter] more); the error then wraps context.Cause(ctx). A
	// process that cannot start is an error, not an exit code.
	Exec(ctx context.Context, p Process) (exitCode int, err error)
	// ReadFile reads a file of the job.
	ReadFile(ctx context.Context, path string) ([]byte, error)
	// WriteFile writes a file of the job, creating its directory, owned by
	// the job's user.
	WriteFile(ctx context.Context, path string, data []byte, perm fs.FileMode) error
	// ReadDir lists a directory of the job; a missing directory is an error
	// that satisfies errors.Is(err, fs.ErrNotExist).
	ReadDir(ctx context.Context, path string) ([]fs.FileInfo, error)
	// HostPath returns the path on this machine of a job path, when the
	// job's files are this machine's (the host executor); ok is false when
	// they are not, and Export/Import must move them.
	HostPath(path string) (hostPath string, ok bool)
	// Export writes a tar stream of the job's paths (files, directories
	// recursively, symbolic links) to w; entry names are the absolute paths
	// without their leading "/". Missing paths are left out.
	Export(ctx context.Context, w io.Writer, paths []string) error
	// Import extracts a tar stream into the job under dir, owned by the
	// job's user.
	Import(ctx context.Context, r io.Reader, dir string) error
	// RemoveAll removes a path of the job and everything below it.
	RemoveAll(ctx context.Context, path string) error
	// HashFiles is hashFiles() over the job's workspace.
	HashFiles(ctx context.Context, patterns []string) (string, error)
	// Close ends everything the job left running and releases it.
	Close(ctx context.Context) error
}

// The runner's escalation when it cancels a step: SIGINT, SIGTERM after
// 7.5 s, then the process tree is killed 2.5 s later (actions/runner
// ProcessInvoker: sigintTimeout 7.5 s, sigtermTimeout 2.5 s).
const (
	SigtermAfter = 7500 * time.Millisecond
	SigkillAfter = 2500 * time.Millisecond
)

// NoWorkingDirError is a step whose working-directory does not exist. Its
// text is the runner's, so the log reads as it would on GitHub.
type NoWorkingDirError struct{ Prog, Dir string }

func (e *NoWorkingDirError) Error() string {
	return "An error occurred trying to start process '" + e.Prog + "' with working directory '" + e.Dir + "'. No such file or directory"
}

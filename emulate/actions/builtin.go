package actions

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/artifact"
	"github.com/rehearse-dev/rehearse/emulate/executor"
)

// Host is what an emulated action may do to its job: the same effects a
// real action has through the runner (outputs, exported variables, PATH
// entries, post steps, log lines, annotations), and the job itself, whose
// files and processes it reaches only through the executor.
type Host interface {
	// Job is the job the action runs in: its paths, files and processes.
	Job() executor.Job
	// ProcessEnv is the step's environment, KEY=VALUE, for processes the
	// action runs in the job.
	ProcessEnv() []string
	// Getenv reads the step's environment (HOME, PATH, ...).
	Getenv(key string) string
	Log(line string)
	Warning(msg string)
	Notice(msg string)
	SetOutput(name, value string)
	ExportVariable(name, value string)
	AddPath(dir string)
	// AddPost registers a post step that runs at the end of a job that
	// succeeded (actions/cache save).
	AddPost(name string, run func(ctx context.Context) error)
}

// Services are the local stand-ins for GitHub's services.
type Services struct {
	// Checkout copies the repository into dir (actions/checkout);
	// standalone makes its git objects its own (for a copy that goes into a
	// container) rather than shared with the user's repository.
	Checkout func(ctx context.Context, dir string, standalone bool) error
	Cache    *cache.Store
	// CacheScopes are the branch scopes restores may read, in order;
	// CacheScope is the one saves write.
	CacheScopes []string
	CacheScope  string
	Artifacts   *artifact.Store
	// JobKey names the uploading job in the artifact list.
	JobKey string
	// UV says where astral-sh/setup-uv's uv comes from.
	UV UVSources
}

// builtin is an action emulated here.
type builtin struct {
	// run emulates the action.
	run func(ctx context.Context, in Inputs, h Host, svc Services) error
	// uses says what the emulation uses instead of GitHub's services, for
	// the plan and the report ([Classification].Why).
	uses string
}

// builtins are the actions emulated here, by owner/repo[/path]: what
// [Classify] calls built-in and [RunBuiltin] runs.
var builtins = map[string]builtin{
	"actions/checkout":          {checkout, "copy of the job's workspace"},
	"actions/setup-python":      {setupPython, "Python from the job's tool cache (containers: GitHub's builds; host: installed interpreters)"},
	"actions/setup-go":          {setupGo, "installed Go toolchain"},
	"actions/setup-node":        {setupNode, "installed Node.js"},
	"astral-sh/setup-uv":        {setupUV, "uv's release (GitHub's, or --uv-download-url), downloaded once into rehearse's cache"},
	"actions/cache":             {cacheAction, "local cache store"},
	"actions/cache/restore":     {cacheRestore, "local cache store"},
	"actions/cache/save":        {cacheSave, "local cache store"},
	"actions/upload-artifact":   {uploadArtifact, "local artifact store"},
	"actions/download-artifact": {downloadArtifact, "local artifact store"},
}

// Inputs are a step's with: values, keys lowercased.
type Inputs map[string]string

// Get returns an input; GitHub trims action inputs' whitespace.
func (in Inputs) Get(name string) string { return strings.TrimSpace(in[strings.ToLower(name)]) }

// checkSupported reports inputs the emulation does not implement, so a
// user is told rather than silently ignored.
func checkSupported(h Host, action string, in Inputs, supported ...string) {
	ok := map[string]bool{}
	for _, s := range supported {
		ok[s] = true
	}
	var unknown []string
	for k, v := range in {
		if !ok[k] && strings.TrimSpace(v) != "" {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		h.Warning(fmt.Sprintf("%s: input %q is not supported by rehearse's emulation and is ignored", action, k))
	}
}

// RunBuiltin runs the emulation of a built-in action.
func RunBuiltin(ctx context.Context, ref Ref, in map[string]string, h Host, svc Services) error {
	b, ok := builtins[ref.Name()]
	if !ok {
		return fmt.Errorf("action %s is not emulated", ref.Raw)
	}
	return b.run(ctx, Inputs(in), h, svc)
}

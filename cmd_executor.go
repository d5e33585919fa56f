package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/config"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/emulate/image"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// executorFlags choose where jobs run; plan, list and run share them, so
// that plan classifies cells as run would place them.
type executorFlags struct {
	builderFlags
	executor string
}

// builderFlags name a BuildKit builder and its TLS files.
type builderFlags struct {
	fs      *pflag.FlagSet
	builder string
	tlsCA   string
	tlsCert string
	tlsKey  string
}

func (x *executorFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&x.executor, "executor", "auto", "where jobs run: host (processes on this machine), container (BuildKit containers) or auto (containers when a BuildKit builder is reachable or can be started here, else the host)")
	x.builderFlags.add(fs)
}

func (x *builderFlags) add(fs *pflag.FlagSet) {
	x.fs = fs
	fs.StringVar(&x.builder, "builder", "", "BuildKit `ADDR`: unix://, tcp://, docker-container://, podman-container://, kube-pod://, ssh:// (default: $BUILDKIT_HOST, else rehearse's own builder)")
	fs.StringVar(&x.tlsCA, "builder-tls-ca", "", "CA certificate `FILE` for a tcp:// builder")
	fs.StringVar(&x.tlsCert, "builder-tls-cert", "", "client certificate `FILE` for a tcp:// builder")
	fs.StringVar(&x.tlsKey, "builder-tls-key", "", "client key `FILE` for a tcp:// builder")
}

// applyConfig takes the executor and builder of the configuration files
// where no flag gave them.
func (x *executorFlags) applyConfig(cfg *config.Config) {
	if cfg.Executor != "" && !x.fs.Changed("executor") {
		x.executor = cfg.Executor
	}
	if cfg.Builder != "" && !x.fs.Changed("builder") {
		x.builder = cfg.Builder
	}
}

// address is the --builder address with its TLS files.
func (x *builderFlags) address() builder.Address {
	return builder.Address{Addr: x.builder, CA: x.tlsCA, Cert: x.tlsCert, Key: x.tlsKey}
}

// check validates the flags themselves.
func (x *executorFlags) check() error {
	switch x.executor {
	case "host", "container", "auto":
	default:
		return &usageError{fmt.Sprintf("--executor %q: expected host, container or auto", x.executor)}
	}
	return nil
}

// planExecutor is where plan and list place cells, decided without
// contacting a builder: auto means containers when a builder is named or
// this machine could start one (Linux, runc and buildkitd installed).
func (x *executorFlags) planExecutor() string {
	switch x.executor {
	case "host":
		return plan.RunnerHost
	case "container":
		return plan.RunnerContainer
	}
	if x.builder != "" || os.Getenv("BUILDKIT_HOST") != "" {
		return plan.RunnerContainer
	}
	if canStartBuilder() {
		return plan.RunnerContainer
	}
	return plan.RunnerHost
}

// canStartBuilder reports whether this machine could run a private
// buildkitd, looking only at what is installed.
func canStartBuilder() bool {
	if runtime.GOOS != "linux" {
		return false
	}
	if _, err := exec.LookPath("runc"); err != nil {
		return false
	}
	return findBuildkitd() != ""
}

// findBuildkitd is the buildkitd this machine would start ("" if none).
func findBuildkitd() string {
	p, err := builder.FindBuildkitd(builder.ThisHost())
	if err != nil {
		return ""
	}
	return p
}

// normalizeImage checks an image target of -P and writes it in full.
func normalizeImage(ref string) (string, error) {
	r, err := image.ParseRef(ref)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}

// defaultImages are the container executor's images for GitHub's labels.
func defaultImages() map[string]string {
	m := map[string]string{}
	for _, l := range image.DefaultLabels() {
		if d, ok := image.DefaultFor(l); ok {
			m[l] = d.Ref
		}
	}
	return m
}

// usesContainers reports whether any triggered cell is placed in a
// container.
func usesContainers(p *plan.Plan) bool {
	for _, w := range p.Workflows {
		if !w.Triggered {
			continue
		}
		for _, j := range w.Jobs {
			if j.Runner == plan.RunnerContainer || (j.Status == plan.StatusDeferred && p.Rules.Executor == plan.RunnerContainer) {
				return true
			}
		}
	}
	return false
}

// containerExecutor finds or starts the builder and returns the container
// executor on it. With --executor auto and no builder it says why on one
// line and returns nil: the run's jobs go to the host.
func (c *Command) containerExecutor(ctx context.Context, f *runFlags, l *loaded, env map[string]string) (*buildkit.Executor, error) {
	x := &f.ef.exec
	policy := builder.Auto
	if x.executor == "container" {
		policy = builder.Require
	}
	res, err := builder.Resolve(ctx, builder.Request{Address: x.address(), Policy: policy})
	if err != nil {
		// No builder for --executor container, or a malformed address:
		// the run cannot start as asked (exit 2).
		return nil, &usageError{err.Error()}
	}
	for _, p := range res.Passed {
		fmt.Fprintf(c.Stderr, "warning: %s\n", p)
	}
	if res.Client == nil {
		fmt.Fprintf(c.Stderr, "rehearse: jobs run on this machine (host executor): %s\n", res.Reason)
		return nil, nil
	}
	if res.Started != nil {
		fmt.Fprintf(c.Stderr, "rehearse: started BuildKit builder %s\n", res.Address.Addr)
	}
	sources := map[string]string{}
	for k, v := range l.cfg.Python.Sources {
		sources[k] = v
	}
	kv, err := keyValues("--python-source", f.pythonSources)
	if err != nil {
		return nil, err
	}
	for k, v := range kv {
		sources[k] = v
	}
	manifest := f.pythonManifest
	if manifest == "" {
		manifest = os.Getenv("REHEARSE_PYTHON_MANIFEST")
	}
	if manifest == "" {
		manifest = l.cfg.Python.Manifest
	}
	state, err := workspace.StateDir()
	if err != nil {
		return nil, err
	}
	// Tool installs (setup.sh's pip upgrade) see the --env values that
	// configure pip and proxies; they become part of LLB definitions, so
	// nothing else is passed.
	toolEnv := map[string]string{}
	for k, v := range env {
		if strings.HasPrefix(k, "PIP_") || strings.HasSuffix(strings.ToUpper(k), "_PROXY") {
			toolEnv[k] = v
		}
	}
	return buildkit.New(context.WithoutCancel(ctx), buildkit.Options{
		Client: res.Client, Address: res.Address.Addr, AgentBinary: agentBinary(),
		Python: buildkit.PythonSources{Manifest: manifest, Images: sources, DigestsFile: filepath.Join(state, "python-builds.json")},
		Env:    toolEnv,
	})
}

// agentBinary is the binary mounted into containers as the agent:
// rehearse itself, or $REHEARSE_AGENT (a static build of rehearse, for a
// rehearse built with cgo or the race detector, which needs the C library
// and cannot run in an empty container or a musl image).
func agentBinary() string {
	if p := os.Getenv("REHEARSE_AGENT"); p != "" {
		return p
	}
	exe, _ := os.Executable()
	return exe
}

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
	"github.com/rehearse-dev/rehearse/emulate/executor"
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

// builderFlags name the BuildKit builders and the TLS files of one.
type builderFlags struct {
	fs *pflag.FlagSet
	// builders are the --builder values, each ADDR[,jobs=N][,ca=F]...;
	// from the configuration when no flag gives one (configFile says
	// which file).
	builders   []string
	configFile string
	tlsCA      string
	tlsCert    string
	tlsKey     string
	// specs are builders parsed, once check has run.
	specs []builder.Spec
}

func (x *executorFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&x.executor, "executor", "auto", "where jobs run: host (processes on this machine), container (BuildKit containers) or auto (containers when a BuildKit builder is reachable or can be started here, else the host)")
	x.builderFlags.add(fs)
}

func (x *builderFlags) add(fs *pflag.FlagSet) {
	x.fs = fs
	fs.StringArrayVar(&x.builders, "builder", nil, "BuildKit builder `ADDR[,jobs=N][,ca=F][,cert=F][,key=F]`: unix://, tcp://, docker-container://, podman-container://, kube-pod://, ssh:// (default: $BUILDKIT_HOST, else rehearse's own builder); repeat it to spread a run's job cells over several builders")
	fs.StringVar(&x.tlsCA, "builder-tls-ca", "", "CA certificate `FILE` for a tcp:// builder")
	fs.StringVar(&x.tlsCert, "builder-tls-cert", "", "client certificate `FILE` for a tcp:// builder")
	fs.StringVar(&x.tlsKey, "builder-tls-key", "", "client key `FILE` for a tcp:// builder")
}

// applyConfig takes the executor and builders of the configuration files
// where no flag gave them.
func (x *executorFlags) applyConfig(cfg *config.Config) {
	if cfg.Executor != "" && !x.fs.Changed("executor") {
		x.executor = cfg.Executor
	}
	x.builderFlags.applyConfig(cfg)
}

func (x *builderFlags) applyConfig(cfg *config.Config) {
	if x.fs.Changed("builder") {
		return
	}
	switch {
	case len(cfg.Builders) > 0:
		x.builders, x.configFile = cfg.Builders, cfg.BuildersFile
	case cfg.Builder != "":
		x.builders, x.configFile = []string{cfg.Builder}, cfg.BuildersFile
	}
}

// address is the first builder's address with its TLS files (the
// --builder-tls-* flags apply to a single builder); the zero Address when
// no builder is named. A malformed value is left to Validate, which
// Connect calls.
func (x *builderFlags) address() builder.Address {
	if len(x.specs) > 0 {
		return x.specs[0].Address
	}
	if len(x.builders) == 0 {
		return builder.Address{CA: x.tlsCA, Cert: x.tlsCert, Key: x.tlsKey}
	}
	sp, err := builder.ParseSpec(x.builders[0])
	if err != nil {
		addr, _, _ := strings.Cut(x.builders[0], ",")
		return builder.Address{Addr: strings.TrimSpace(addr), CA: x.tlsCA, Cert: x.tlsCert, Key: x.tlsKey}
	}
	return x.withTLSFlags(sp).Address
}

// withTLSFlags adds the --builder-tls-* files to a builder that gives
// none of its own.
func (x *builderFlags) withTLSFlags(sp builder.Spec) builder.Spec {
	a := &sp.Address
	if a.CA == "" && a.Cert == "" && a.Key == "" {
		a.CA, a.Cert, a.Key = x.tlsCA, x.tlsCert, x.tlsKey
	}
	return sp
}

// check parses the builders; a bad one is a usage error naming the flag
// or the configuration file it came from.
func (x *builderFlags) check() error {
	x.specs = nil
	from := "--builder"
	if x.configFile != "" {
		from = x.configFile + ": builders"
	}
	tlsFlags := x.tlsCA != "" || x.tlsCert != "" || x.tlsKey != ""
	if tlsFlags && len(x.builders) > 1 {
		return &usageError{"--builder-tls-ca, --builder-tls-cert and --builder-tls-key apply to a single builder; with several, give each its own files: --builder tcp://HOST:PORT,ca=FILE,cert=FILE,key=FILE"}
	}
	for _, raw := range x.builders {
		sp, err := builder.ParseSpec(raw)
		if err == nil && tlsFlags {
			if sp.Address.CA != "" || sp.Address.Cert != "" || sp.Address.Key != "" {
				return &usageError{fmt.Sprintf("%s %q: TLS files are given both in it and with --builder-tls-*: give them once", from, raw)}
			}
			sp = x.withTLSFlags(sp)
			err = sp.Address.Validate()
		}
		if err != nil {
			return &usageError{fmt.Sprintf("%s: %v", from, err)}
		}
		x.specs = append(x.specs, sp)
	}
	if err := builder.CheckSpecs(x.specs); err != nil {
		return &usageError{fmt.Sprintf("%s: %v", from, err)}
	}
	return nil
}

// check validates the flags themselves.
func (x *executorFlags) check() error {
	switch x.executor {
	case "host", "container", "auto":
	default:
		return &usageError{fmt.Sprintf("--executor %q: expected host, container or auto", x.executor)}
	}
	return x.builderFlags.check()
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
	if len(x.builders) > 0 || os.Getenv("BUILDKIT_HOST") != "" {
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
// executor on it; with several builders, the pool over them. With
// --executor auto and no builder it says why on one line and returns nil:
// the run's jobs go to the host.
func (c *Command) containerExecutor(ctx context.Context, f *runFlags, l *loaded, env map[string]string) (closingExecutor, error) {
	x := &f.ef.exec
	policy := builder.Auto
	if x.executor == "container" {
		policy = builder.Require
	}
	if len(x.specs) > 1 {
		opts, err := c.buildkitOptions(f, l, env)
		if err != nil {
			return nil, err
		}
		return c.poolExecutor(ctx, f, l, opts, policy)
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
	opts, err := c.buildkitOptions(f, l, env)
	if err != nil {
		return nil, err
	}
	opts.Client, opts.Address = res.Client, res.Address.Addr
	return buildkit.New(context.WithoutCancel(ctx), opts)
}

// closingExecutor is an executor that holds builders until closed.
type closingExecutor interface {
	executor.Executor
	Close() error
}

// buildkitOptions are the container executor's options but the builder.
func (c *Command) buildkitOptions(f *runFlags, l *loaded, env map[string]string) (buildkit.Options, error) {
	sources := map[string]string{}
	for k, v := range l.cfg.Python.Sources {
		sources[k] = v
	}
	kv, err := keyValues("--python-source", f.pythonSources)
	if err != nil {
		return buildkit.Options{}, err
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
		return buildkit.Options{}, err
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
	return buildkit.Options{
		AgentBinary: agentBinary(),
		Python:      buildkit.PythonSources{Manifest: manifest, Images: sources, DigestsFile: filepath.Join(state, "python-builds.json")},
		Env:         toolEnv,
	}, nil
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

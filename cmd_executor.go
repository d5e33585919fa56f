package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/plan"
)

// executorFlags choose where jobs run; plan, list and run share them, so
// that plan classifies cells as run would place them.
type executorFlags struct {
	executor string
	builder  string
	tlsCA    string
	tlsCert  string
	tlsKey   string
}

func (x *executorFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&x.executor, "executor", "auto", "where jobs run: host (processes on this machine), container (BuildKit containers) or auto (containers when a BuildKit builder is reachable or can be started here, else the host)")
	fs.StringVar(&x.builder, "builder", "", "BuildKit `ADDR`: unix://, tcp://, docker-container://, podman-container://, kube-pod://, ssh:// (default: $BUILDKIT_HOST, else rehearse's own builder)")
	fs.StringVar(&x.tlsCA, "builder-tls-ca", "", "CA certificate `FILE` for a tcp:// builder")
	fs.StringVar(&x.tlsCert, "builder-tls-cert", "", "client certificate `FILE` for a tcp:// builder")
	fs.StringVar(&x.tlsKey, "builder-tls-key", "", "client key `FILE` for a tcp:// builder")
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
// TODO(containers): the builder package's lookup replaces this.
func findBuildkitd() string {
	if p := os.Getenv("REHEARSE_BUILDKITD"); p != "" {
		return p
	}
	if p, err := exec.LookPath("buildkitd"); err == nil {
		return p
	}
	return ""
}

// normalizeImage checks an image target of -P.
// TODO(containers): the image package's parser replaces this.
func normalizeImage(ref string) (string, error) {
	if ref == "" {
		return "", fmt.Errorf("empty image")
	}
	return ref, nil
}

// defaultImages are the container executor's images for GitHub's labels.
// TODO(containers): the image package's table replaces this.
func defaultImages() map[string]string {
	return map[string]string{}
}

package builder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// errNoContainer is an engine's answer that the container does not exist.
var errNoContainer = errors.New("no such container")

// engineRun runs the container engine and returns its output; an error
// carries what the engine printed.
func engineRun(ctx context.Context, engine string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, engine, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	text := strings.TrimSpace(out.String())
	if err != nil {
		if ctx.Err() != nil {
			return text, context.Cause(ctx)
		}
		if text == "" {
			text = err.Error()
		}
		return text, fmt.Errorf("`%s %s` failed: %s", filepath.Base(engine), strings.Join(args, " "), text)
	}
	return text, nil
}

// inspectContainer reports whether the container runs and its image, or
// errNoContainer.
func inspectContainer(ctx context.Context, engine, name string) (running bool, image string, err error) {
	out, err := engineRun(ctx, engine, "container", "inspect", "--format", "{{.State.Running}} {{.Config.Image}}", name)
	if err != nil {
		if strings.Contains(strings.ToLower(out), "no such") {
			return false, "", errNoContainer
		}
		if out != "" && ctx.Err() == nil {
			// What the engine said is the news (its daemon is down).
			return false, "", errors.New(out)
		}
		return false, "", err
	}
	state, img, _ := strings.Cut(strings.TrimSpace(out), " ")
	return state == "true", img, nil
}

// sameImage compares image references as engines print them: podman
// names docker.io in full, docker leaves it out.
func sameImage(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimPrefix(s, "docker.io/")
		return strings.TrimPrefix(s, "library/")
	}
	return norm(a) == norm(b)
}

// engineDown explains an engine that is installed but does not answer.
func engineDown(p plan, err error) error {
	name := p.kind.engine()
	reasons := append([]string{}, p.notNative...)
	reasons = append(reasons, fmt.Sprintf("%s is installed but did not answer (%v): start it (Docker Desktop, `systemctl start %s`, `podman machine start`)", name, err, name))
	return &CannotStartError{Reasons: reasons}
}

// startContainer runs BuildKit's image in a privileged container, as
// `docker buildx create --driver docker-container` does, with its state in
// a volume; an existing container is started again (or replaced when its
// image is another version). It waits until the daemon answers through
// the engine's connection helper.
func startContainer(ctx context.Context, o resolved, p plan) (*Daemon, error) {
	name, image, engine := o.Container, Image(), p.engine
	running, have, err := inspectContainer(ctx, engine, name)
	switch {
	case errors.Is(err, errNoContainer):
		err = runContainer(ctx, o, p)
	case err != nil:
		return nil, engineDown(p, err)
	case !sameImage(have, image):
		// Another BuildKit version (rehearse was upgraded): replace it; the
		// state volume stays.
		if _, err = engineRun(ctx, engine, "rm", "-f", name); err == nil {
			err = runContainer(ctx, o, p)
		}
	case !running:
		_, err = engineRun(ctx, engine, "start", name)
	}
	if err != nil {
		return nil, err
	}
	addr := p.address(o)
	deadline := time.Now().Add(o.StartTimeout)
	for {
		c, info, err := connect(ctx, addr, 3*time.Second)
		if err == nil {
			c.Close()
			d := &Daemon{Kind: p.kind, Address: addr, Version: info.BuildkitVersion.Version, Container: name, Dir: o.Dir}
			werr := o.l.writeRecord(record{Kind: p.kind, Address: addr.Addr, Name: name, Version: d.Version, Started: time.Now()})
			return d, werr
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("BuildKit in the %s container %s did not answer within %s: %s; see `%s logs %s`",
				p.kind.engine(), name, o.StartTimeout, Reason(err), p.kind.engine(), name)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// runContainer creates and starts the container. The config file is
// mounted only when it says something (insecure registries), so that an
// engine in a VM that cannot see the state directory still works.
func runContainer(ctx context.Context, o resolved, p plan) error {
	name := o.Container
	args := []string{"run", "-d", "--name", name, "--privileged",
		"-v", name + "-state:/var/lib/buildkit"}
	if len(o.InsecureRegistries) > 0 {
		if err := writeFileAtomic(o.l.config(), configFor(o, p.kind, "").render(), 0o644); err != nil {
			return err
		}
		args = append(args, "-v", o.l.config()+":/etc/buildkit/buildkitd.toml:ro")
	}
	args = append(args, Image())
	if _, err := engineRun(ctx, p.engine, args...); err != nil {
		return fmt.Errorf("could not start BuildKit's image %s with %s: %w", Image(), p.kind.engine(), err)
	}
	return nil
}

// stopContainer stops the container (kept with its volume, so the next
// Start is quick and warm).
func stopContainer(ctx context.Context, o resolved, kind Kind) (*Stopped, error) {
	name := o.Container
	engine, err := o.host.LookPath(kind.engine())
	if err != nil {
		return nil, fmt.Errorf("the builder runs in a %s container, but %s is not on PATH any more: stop %s yourself", kind.engine(), kind.engine(), name)
	}
	st := &Stopped{Kind: kind, Container: name}
	running, _, err := inspectContainer(ctx, engine, name)
	if errors.Is(err, errNoContainer) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if !running {
		return st, nil
	}
	st.WasRunning = true
	secs := fmt.Sprint(int(o.StopTimeout.Seconds()))
	if _, err := engineRun(ctx, engine, "stop", "--time", secs, name); err != nil {
		return st, err
	}
	return st, nil
}

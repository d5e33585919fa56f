package builder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// DefaultContainer is the name of the container the private daemon runs in
// on machines where buildkitd cannot run natively.
const DefaultContainer = "rehearse-buildkit"

// Options configure the private daemon. The zero value is the default.
type Options struct {
	// Dir holds the daemon's state (root), socket, pid file, log, config
	// and record; default: the "buildkit" directory of rehearse's state
	// directory ($REHEARSE_STATE_DIR, else $XDG_STATE_HOME/rehearse, else
	// ~/.local/state/rehearse).
	Dir string
	// InsecureRegistries are registry hosts ("127.0.0.1:5000") the daemon
	// reaches over plain HTTP, written to its buildkitd.toml as
	// [registry."HOST"] http = true. A daemon already running with other
	// settings is reused and reported as [Daemon.ConfigOutdated].
	InsecureRegistries []string
	// Buildkitd is the buildkitd binary; default: [FindBuildkitd].
	Buildkitd string
	// StartTimeout bounds the wait for a new daemon's first answer
	// (default 30s; a container's image pull is not counted).
	StartTimeout time.Duration
	// StopTimeout is how long Stop waits after SIGTERM before SIGKILL
	// (default 10s).
	StopTimeout time.Duration
	// Container names the container on machines that run BuildKit's image
	// (default [DefaultContainer]); its state is in the volume NAME-state.
	Container string
	// Host is the machine; nil means [ThisHost]. Tests set GOOS, UID and
	// LookPath to exercise another machine's path.
	Host *Host
}

// resolved are Options with their defaults applied.
type resolved struct {
	Options
	host Host
	l    layout
}

func (o Options) resolve() (resolved, error) {
	r := resolved{Options: o}
	if o.Host != nil {
		r.host = o.Host.withDefaults()
	} else {
		r.host = ThisHost()
	}
	if r.Dir == "" {
		sd, err := workspace.StateDir()
		if err != nil {
			return r, err
		}
		r.Dir = filepath.Join(sd, "buildkit")
	}
	abs, err := filepath.Abs(r.Dir)
	if err != nil {
		return r, fmt.Errorf("could not resolve the builder directory %q: %w", r.Dir, err)
	}
	r.Dir = abs
	r.l = layout{dir: abs}
	for _, reg := range r.InsecureRegistries {
		if err := ValidateRegistry(reg); err != nil {
			return r, err
		}
	}
	if r.StartTimeout <= 0 {
		r.StartTimeout = 30 * time.Second
	}
	if r.StopTimeout <= 0 {
		r.StopTimeout = 10 * time.Second
	}
	if r.Container == "" {
		r.Container = DefaultContainer
	}
	return r, nil
}

// Daemon is the private daemon that [Start] started or found running.
type Daemon struct {
	// Kind is how it runs.
	Kind Kind
	// Address is where to connect.
	Address Address
	// Version is the BuildKit version it reported.
	Version string
	// PID is the buildkitd (or rootlesskit) process, for native kinds.
	PID int
	// Container is its container, for container kinds.
	Container string
	// Dir is its directory; Log its log file (native kinds).
	Dir, Log string
	// Reused is true when it was running already.
	Reused bool
	// ConfigOutdated is true when it was running with other settings
	// (insecure registries) than the ones asked for; a restart applies
	// them.
	ConfigOutdated bool
}

// String describes d in one line.
func (d *Daemon) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s", d.Address.Addr, d.Kind)
	if d.PID > 0 {
		fmt.Fprintf(&b, " pid %d", d.PID)
	}
	if d.Container != "" {
		fmt.Fprintf(&b, " %s", d.Container)
	}
	if d.Version != "" {
		fmt.Fprintf(&b, ", BuildKit %s", d.Version)
	}
	b.WriteString(")")
	return b.String()
}

// CannotStartError says why this machine cannot run the private daemon,
// and how to get a builder anyway.
type CannotStartError struct {
	// Reasons are what is missing, one per way tried.
	Reasons []string
}

func (e *CannotStartError) Error() string {
	return "cannot start a BuildKit daemon on this machine: " + strings.Join(e.Reasons, "; ") +
		"; or use a BuildKit daemon elsewhere with --builder ADDR (or BUILDKIT_HOST)"
}

// plan is how Start would run the daemon on this machine.
type plan struct {
	kind Kind
	// buildkitd, runc and rootlesskit are absolute paths (native kinds).
	buildkitd, runc, rootlesskit string
	// engine is the docker or podman binary (container kinds).
	engine string
	// notNative says why buildkitd does not run natively (container
	// kinds), for messages when the engine fails too.
	notNative []string
}

// address is where a daemon run by this plan listens.
func (p plan) address(o resolved) Address {
	switch p.kind {
	case KindDocker:
		return Address{Addr: "docker-container://" + o.Container}
	case KindPodman:
		return Address{Addr: "podman-container://" + o.Container}
	}
	return Address{Addr: "unix://" + o.l.socket()}
}

// makePlan decides how to run the daemon here: buildkitd as root, else
// rootless under rootlesskit (Linux), else BuildKit's image in docker or
// podman.
func makePlan(o resolved) (plan, error) {
	h := o.host
	var why []string
	if h.GOOS != "linux" {
		why = append(why, fmt.Sprintf("buildkitd runs on Linux only (this is %s)", h.GOOS))
	} else {
		p, err := nativePlan(o)
		if err == nil {
			return p, nil
		}
		why = append(why, err.Error())
	}
	for _, e := range []struct {
		name string
		kind Kind
	}{{"docker", KindDocker}, {"podman", KindPodman}} {
		if path, err := h.LookPath(e.name); err == nil {
			return plan{kind: e.kind, engine: path, notNative: why}, nil
		}
	}
	why = append(why, fmt.Sprintf("and there is no docker or podman to run BuildKit's image %s in: install Docker or Podman", Image()))
	return plan{}, &CannotStartError{Reasons: why}
}

// nativePlan checks what buildkitd needs here: the binary, runc, and root
// or rootlesskit with subordinate ids.
func nativePlan(o resolved) (plan, error) {
	h := o.host
	var missing []string
	p := plan{kind: KindNative}
	bk := o.Buildkitd
	if bk == "" {
		var err error
		if bk, err = FindBuildkitd(h); err != nil {
			missing = append(missing, err.Error())
		}
	} else if !isExecutable(bk) {
		missing = append(missing, fmt.Sprintf("buildkitd %q is not an executable file", bk))
	}
	p.buildkitd = bk
	runc, err := h.lookSystem("runc")
	if err != nil {
		missing = append(missing, "runc is not installed: install runc (apt-get install runc, dnf install runc)")
	}
	p.runc = runc
	if h.UID != 0 {
		p.kind = KindRootless
		if rk, err := h.lookSystem("rootlesskit"); err != nil {
			missing = append(missing, fmt.Sprintf("rehearse runs as uid %d, not root, and rootlesskit is not installed: install rootlesskit and uidmap for BuildKit's rootless mode (apt-get install rootlesskit uidmap), or run as root", h.UID))
		} else {
			p.rootlesskit = rk
			if _, err := h.lookSystem("newuidmap"); err != nil {
				missing = append(missing, "newuidmap is not installed: install uidmap (apt-get install uidmap) for BuildKit's rootless mode")
			}
			if msg := checkSubIDs(h.UID); msg != "" {
				missing = append(missing, msg)
			}
		}
	}
	if len(missing) > 0 {
		return plan{}, errors.New(strings.Join(missing, "; "))
	}
	return p, nil
}

// checkSubIDs says what is wrong when /etc/subuid or /etc/subgid gives
// the user no range (rootless mode maps them into the daemon's
// namespace); "" when they do, or when the files cannot tell.
func checkSubIDs(uid int) string {
	name := userName(uid)
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		found := false
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			owner, _, _ := bytes.Cut(line, []byte(":"))
			found = found || string(owner) == name || string(owner) == fmt.Sprint(uid)
		}
		if !found {
			return fmt.Sprintf("%s has no range for user %s, which BuildKit's rootless mode needs: add one (usermod --add-subuids 100000-165535 --add-subgids 100000-165535 %s, as root)", f, name, name)
		}
	}
	return ""
}

// userName is the name of uid from /etc/passwd, else the number.
func userName(uid int) string {
	data, err := os.ReadFile("/etc/passwd")
	if err == nil {
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			f := bytes.Split(line, []byte(":"))
			if len(f) > 2 && string(f[2]) == fmt.Sprint(uid) {
				return string(f[0])
			}
		}
	}
	return fmt.Sprint(uid)
}

// Start makes sure the private daemon runs and answers: the one running
// already (reused), else a new one, which outlives rehearse so that later
// runs reuse its cache. After a crash it cleans the stale pid file and
// socket first. Concurrent Starts (two rehearse runs) serialize on a lock
// in the directory, and the second reuses what the first started.
func Start(ctx context.Context, opts Options) (*Daemon, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("could not create the builder directory %q: %w", o.Dir, err)
	}
	unlock, err := lockFile(ctx, o.l.lock())
	if err != nil {
		return nil, err
	}
	defer unlock()
	if d, err := reuse(ctx, o); d != nil || err != nil {
		return d, err
	}
	p, err := makePlan(o)
	if err != nil {
		return nil, err
	}
	switch p.kind {
	case KindDocker, KindPodman:
		return startContainer(ctx, o, p)
	default:
		return startNative(ctx, o, p)
	}
}

// reuse returns the daemon the record (or, without one, the socket) names
// when it answers. A native daemon that runs but does not answer is
// stopped, and its stale pid file and socket removed, so that Start can
// start a new one.
func reuse(ctx context.Context, o resolved) (*Daemon, error) {
	rec, err := o.l.readRecord()
	if err != nil {
		return nil, err
	}
	if rec == nil || rec.Kind == KindNative || rec.Kind == KindRootless {
		addr := Address{Addr: "unix://" + o.l.socket()}
		if c, info, err := connect(ctx, addr, 2*time.Second); err == nil {
			c.Close()
			d := &Daemon{Kind: KindNative, Address: addr, Version: info.BuildkitVersion.Version, Dir: o.Dir, Log: o.l.log(), Reused: true}
			if rec != nil {
				d.Kind = rec.Kind
			}
			d.PID, _ = readPID(o.l.pidFile())
			d.ConfigOutdated = configOutdated(o, d.Kind)
			return d, nil
		} else if ctx.Err() != nil {
			return nil, err
		}
		return nil, cleanStale(ctx, o)
	}
	addr := Address{Addr: rec.Address}
	c, info, err := connect(ctx, addr, 5*time.Second)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, nil
	}
	c.Close()
	return &Daemon{Kind: rec.Kind, Address: addr, Version: info.BuildkitVersion.Version, Container: rec.Name,
		Dir: o.Dir, Reused: true, ConfigOutdated: configOutdated(o, rec.Kind)}, nil
}

// configFor is the config a daemon of kind would be started with.
func configFor(o resolved, kind Kind, runc string) daemonConfig {
	c := daemonConfig{InsecureRegistries: o.InsecureRegistries, Disk: capsFor(diskTotal(o.l.dir))}
	if kind == KindNative || kind == KindRootless {
		c.OTELSocket = o.l.otel()
		c.Runc = runc
	}
	return c
}

// configOutdated reports whether a registry asked for is missing from the
// config the running daemon was started with (more registries than asked
// for do no harm).
func configOutdated(o resolved, kind Kind) bool {
	old, err := os.ReadFile(o.l.config())
	if err != nil {
		return len(o.InsecureRegistries) > 0
	}
	have := configRegistries(old)
	for _, r := range o.InsecureRegistries {
		if !slices.Contains(have, r) {
			return true
		}
	}
	return false
}

// configRegistries lists the [registry."HOST"] tables of a rendered
// config.
func configRegistries(cfg []byte) []string {
	var out []string
	for line := range strings.SplitSeq(string(cfg), "\n") {
		if rest, ok := strings.CutPrefix(line, "[registry."); ok {
			if host, err := strconv.Unquote(strings.TrimSuffix(rest, "]")); err == nil {
				out = append(out, host)
			}
		}
	}
	return out
}

// Stopped is what [Stop] did.
type Stopped struct {
	// Kind is how the daemon ran; empty when there was none.
	Kind Kind
	// WasRunning is false when there was nothing to stop.
	WasRunning bool
	// PID is the process stopped (native kinds); Container the container.
	PID       int
	Container string
	// Killed is true when it did not stop within the timeout after SIGTERM
	// and got SIGKILL.
	Killed bool
	// Unmounted counts mounts it left behind that Stop removed.
	Unmounted int
}

// Stop stops the private daemon: SIGTERM, then SIGKILL after
// Options.StopTimeout, and removes its pid file, socket and any mount it
// left; a container is stopped (kept, with its state volume, for the next
// Start). Stopping a daemon that does not run is not an error.
func Stop(ctx context.Context, opts Options) (*Stopped, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(o.Dir); errors.Is(err, os.ErrNotExist) {
		return &Stopped{}, nil
	}
	unlock, err := lockFile(ctx, o.l.lock())
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec, err := o.l.readRecord()
	if err != nil {
		return nil, err
	}
	var st *Stopped
	if rec != nil && (rec.Kind == KindDocker || rec.Kind == KindPodman) {
		st, err = stopContainer(ctx, o, rec.Kind)
	} else {
		st, err = stopNative(ctx, o)
		if st != nil && rec != nil && st.Kind != "" {
			st.Kind = rec.Kind
		}
	}
	if err != nil {
		return st, err
	}
	if err := os.Remove(o.l.record()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return st, fmt.Errorf("could not remove %q: %w", o.l.record(), err)
	}
	return st, nil
}

// logTail is the end of a log file, for an error message.
func logTail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

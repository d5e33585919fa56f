package builder

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Kind is how the private daemon runs.
type Kind string

// The kinds of private daemon.
const (
	// KindNative is buildkitd run as root on this machine.
	KindNative Kind = "buildkitd"
	// KindRootless is buildkitd run by an unprivileged user under
	// rootlesskit (BuildKit's rootless mode).
	KindRootless Kind = "rootless buildkitd"
	// KindDocker is BuildKit's image run in a docker container.
	KindDocker Kind = "docker container"
	// KindPodman is BuildKit's image run in a podman container.
	KindPodman Kind = "podman container"
)

// engine is the container engine's command for a container kind.
func (k Kind) engine() string {
	switch k {
	case KindDocker:
		return "docker"
	case KindPodman:
		return "podman"
	}
	return ""
}

// layout names the files of the private daemon in its directory.
type layout struct{ dir string }

func (l layout) root() string    { return filepath.Join(l.dir, "root") }
func (l layout) socket() string  { return filepath.Join(l.dir, "buildkitd.sock") }
func (l layout) pidFile() string { return filepath.Join(l.dir, "buildkitd.pid") }
func (l layout) log() string     { return filepath.Join(l.dir, "buildkitd.log") }
func (l layout) config() string  { return filepath.Join(l.dir, "buildkitd.toml") }
func (l layout) otel() string    { return filepath.Join(l.dir, "otel-grpc.sock") }
func (l layout) record() string  { return filepath.Join(l.dir, "builder.json") }
func (l layout) lock() string    { return filepath.Join(l.dir, "lock") }

// rootlesskitState is rootlesskit's state directory (rootless kind).
func (l layout) rootlesskitState() string { return filepath.Join(l.dir, "rootlesskit") }

// record is what Start wrote about the daemon it started, so that Status
// and Stop find it whatever the machine would choose today.
type record struct {
	Kind    Kind      `json:"kind"`
	Address string    `json:"address"`
	PID     int       `json:"pid,omitempty"`
	Name    string    `json:"container,omitempty"`
	Version string    `json:"version"`
	Started time.Time `json:"started"`
}

// readRecord returns the record, or nil when there is none.
func (l layout) readRecord() (*record, error) {
	data, err := os.ReadFile(l.record())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not read the builder record %q: %w", l.record(), err)
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		// A torn or hand-edited record: treat as none, Start rewrites it.
		return nil, nil
	}
	return &r, nil
}

func (l layout) writeRecord(r record) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(l.record(), append(data, '\n'), 0o644)
}

// writeFileAtomic writes a file that readers see whole or not at all.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, perm); err != nil {
		return fmt.Errorf("could not write %q: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("could not write %q: %w", path, err)
	}
	return nil
}

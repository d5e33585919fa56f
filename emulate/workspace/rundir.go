package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// StateDir is rehearse's state root: $REHEARSE_STATE_DIR, else
// $XDG_STATE_HOME/rehearse, else ~/.local/state/rehearse.
func StateDir() (string, error) {
	if d := os.Getenv("REHEARSE_STATE_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "rehearse"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("could not find a state directory (set REHEARSE_STATE_DIR): %w", err)
	}
	return filepath.Join(home, ".local", "state", "rehearse"), nil
}

// Run is one run's directory: runs/<id>/ with jobs/<key>/{workspace,temp,
// tool-cache}, artifacts/ and logs/ (unless the logs go to --log-dir).
type Run struct {
	ID     string
	Dir    string
	LogDir string
}

// NewRun creates the run directory under base (StateDir()/runs when empty).
// logDir overrides where logs go.
func NewRun(base, logDir string) (*Run, error) {
	if base == "" {
		sd, err := StateDir()
		if err != nil {
			return nil, err
		}
		base = filepath.Join(sd, "runs")
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("could not create the run directory: %w", err)
	}
	dir, err := os.MkdirTemp(base, time.Now().Format("20060102-150405-"))
	if err != nil {
		return nil, fmt.Errorf("could not create the run directory: %w", err)
	}
	r := &Run{ID: filepath.Base(dir), Dir: dir, LogDir: filepath.Join(dir, "logs")}
	if logDir != "" {
		r.LogDir = logDir
	}
	if err := os.MkdirAll(r.LogDir, 0o755); err != nil {
		return nil, fmt.Errorf("could not create the log directory %q: %w", r.LogDir, err)
	}
	return r, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// SafeName turns a job key into a file name.
func SafeName(key string) string {
	return unsafeChars.ReplaceAllString(key, "_")
}

// JobDirs are one job's directories in the run.
type JobDirs struct {
	Root, Workspace, Temp, ToolCache string
}

// Job creates the directories of one job.
func (r *Run) Job(key string) (JobDirs, error) {
	root := filepath.Join(r.Dir, "jobs", SafeName(key))
	d := JobDirs{Root: root, Workspace: filepath.Join(root, "workspace"), Temp: filepath.Join(root, "temp"), ToolCache: filepath.Join(root, "tool-cache")}
	for _, p := range []string{d.Temp, d.ToolCache} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return d, fmt.Errorf("could not create %q: %w", p, err)
		}
	}
	return d, nil
}

// LogFile is the path of a job's log.
func (r *Run) LogFile(key string) string {
	return filepath.Join(r.LogDir, SafeName(key)+".log")
}

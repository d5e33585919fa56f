package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
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

// jobPath is where a job's files go below a directory: one folder per
// workflow file, then the job key, whose "/" (a called workflow's job)
// stays a folder so that "call/inner" and a job "call_inner" never meet.
func jobPath(base, workflowFile, key string) string {
	parts := []string{base, SafeName(filepath.Base(workflowFile))}
	for _, seg := range strings.Split(key, "/") {
		parts = append(parts, SafeName(seg))
	}
	return filepath.Join(parts...)
}

// Job creates the directories of one job of a workflow file.
func (r *Run) Job(workflowFile, key string) (JobDirs, error) {
	root := jobPath(filepath.Join(r.Dir, "jobs"), workflowFile, key)
	d := JobDirs{Root: root, Workspace: filepath.Join(root, "workspace"), Temp: filepath.Join(root, "temp"), ToolCache: filepath.Join(root, "tool-cache")}
	for _, p := range []string{d.Temp, d.ToolCache} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return d, fmt.Errorf("could not create %q: %w", p, err)
		}
	}
	return d, nil
}

// LogFile is the path of a job's log: logs/<workflow file>/<job key>.log.
// Its directory is created.
func (r *Run) LogFile(workflowFile, key string) string {
	p := jobPath(r.LogDir, workflowFile, key) + ".log"
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	return p
}

// RemoveJobs deletes the jobs' workspaces, temp and tool-cache directories
// once a run is over, as GitHub throws its runner away: a run keeps only
// its logs, artifacts and report.
func (r *Run) RemoveJobs() error {
	return os.RemoveAll(filepath.Join(r.Dir, "jobs"))
}

// Prune deletes the oldest run directories next to r so that at most keep
// remain (r included). Run directories sort by their time-stamped names.
// A run younger than minAge is never deleted: it may still be running in
// another rehearse.
func (r *Run) Prune(keep int, minAge time.Duration) error {
	base := filepath.Dir(r.Dir)
	entries, err := os.ReadDir(base)
	if err != nil {
		return err
	}
	var runs []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == r.ID {
			continue
		}
		if info, err := e.Info(); err != nil || time.Since(info.ModTime()) < minAge {
			keep--
			continue
		}
		runs = append(runs, e.Name())
	}
	slices.Sort(runs)
	var errs []error
	for len(runs) > max(keep-1, 0) {
		errs = append(errs, os.RemoveAll(filepath.Join(base, runs[0])))
		runs = runs[1:]
	}
	return errors.Join(errs...)
}

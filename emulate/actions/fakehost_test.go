package actions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
)

// fakeHost records what an emulated action does to its job, as the
// runner's file commands would. Its job is a host-executor job over temp
// directories.
type fakeHost struct {
	workspace, temp, toolCache string
	job                        executor.Job
	env                        map[string]string
	logs, warnings, notices    []string
	outputs, exported          map[string]string
	// path is the PATH entries added, first on PATH first (AddPath
	// prepends, as GITHUB_PATH does).
	path []string
}

func newFakeHost(t *testing.T) *fakeHost {
	t.Helper()
	root := t.TempDir()
	h := &fakeHost{
		workspace: filepath.Join(root, "workspace"),
		temp:      filepath.Join(root, "temp"),
		toolCache: filepath.Join(root, "toolcache"),
		env:       map[string]string{"HOME": filepath.Join(root, "home")},
		outputs:   map[string]string{},
		exported:  map[string]string{},
	}
	for _, d := range []string{h.workspace, h.temp, h.toolCache, h.env["HOME"]} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	j, err := host.New().StartJob(t.Context(), executor.JobSpec{Key: "test", HostDirs: executor.Dirs{Workspace: h.workspace, Temp: h.temp, ToolCache: h.toolCache}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close(context.Background()) })
	h.job = j
	return h
}

func (h *fakeHost) Job() executor.Job { return h.job }

func (h *fakeHost) ProcessEnv() []string {
	var out []string
	for k, v := range h.env {
		out = append(out, k+"="+v)
	}
	return out
}

func (h *fakeHost) Getenv(key string) string          { return h.env[key] }
func (h *fakeHost) Log(line string)                   { h.logs = append(h.logs, line) }
func (h *fakeHost) Warning(msg string)                { h.warnings = append(h.warnings, msg) }
func (h *fakeHost) Notice(msg string)                 { h.notices = append(h.notices, msg) }
func (h *fakeHost) SetOutput(name, value string)      { h.outputs[name] = value }
func (h *fakeHost) ExportVariable(name, value string) { h.exported[name] = value }
func (h *fakeHost) AddPath(dir string)                { h.path = append([]string{dir}, h.path...) }
func (h *fakeHost) AddPost(string, func(ctx context.Context) error) {
}

// fakePython writes an interpreter at dir/bin/name that answers
// toolchain's probe as CPython version (e.g. "3.97.2") and makes a venv
// (a bin/python file) for `-m venv DIR`.
func fakePython(t *testing.T, dir, name, version string) {
	t.Helper()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(bin, name)
	probe := strings.Join([]string{version + " final 0", "CPython", "0", "", dir, path}, "\n") + "\n"
	script := fmt.Sprintf(`#!/bin/sh
case "$2" in *python_version*) echo '`+version+`'; exit 0;; esac
if [ "$1" = -m ] && [ "$2" = venv ]; then
	for a in "$@"; do d=$a; done
	mkdir -p "$d/bin" && echo "$0" > "$d/bin/python"
	exit $?
fi
printf '%%s' '%s'
`, probe)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

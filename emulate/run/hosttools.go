package run

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/actions"
)

// pythonTools are commands a Python CI step typically runs after
// installing them; on a GitHub runner they exist only if the job installed
// them.
var pythonTools = map[string]bool{
	"pytest": true, "py.test": true, "flake8": true, "black": true, "isort": true, "mypy": true, "bandit": true,
	"safety": true, "pylint": true, "ruff": true, "tox": true, "nox": true, "coverage": true, "twine": true,
}

// commandSeparators split a script line into simple commands.
var commandSeparators = regexp.MustCompile(`&&|\|\||[;&|()` + "`" + `]|\$\(`)

// commandWords are words that run the command after them.
var commandWords = map[string]bool{"time": true, "sudo": true, "exec": true, "command": true, "nohup": true, "env": true}

// toolsRun are the Python tools script runs as commands: the first word of
// a simple command, after variable assignments and words like `time`.
// A tool named as an argument (`pip install flake8`) is not run there.
func toolsRun(script string) []string {
	var tools []string
	for _, line := range strings.Split(script, "\n") {
		for _, cmd := range commandSeparators.Split(line, -1) {
			for _, w := range strings.Fields(cmd) {
				if commandWords[w] || (strings.Contains(w, "=") && !strings.HasPrefix(w, "=")) {
					continue
				}
				if pythonTools[w] {
					tools = append(tools, w)
				}
				break
			}
		}
	}
	return tools
}

// warnHostTools names the Python tools a step would run from this machine
// rather than from the job's own environment (setup-python's venv), so a
// green run here that would fail on GitHub ("command not found") does not
// go unnoticed. It warns once per tool per job.
func (jr *jobRun) warnHostTools(ctx context.Context, name, script string, env []string) {
	if !jr.job.Info().HostTools {
		return // the job's processes do not see this machine's tools
	}
	paths := jr.job.Paths()
	venv := filepath.Join(paths.ToolCache, "Python")
	usesVenv := false
	for _, p := range jr.path {
		if strings.HasPrefix(p, venv) {
			usesVenv = true
		}
	}
	if !usesVenv {
		return
	}
	if jr.warnedTools == nil {
		jr.warnedTools = map[string]bool{}
	}
	for _, tool := range toolsRun(actions.StripComments(script)) {
		if jr.warnedTools[tool] {
			continue
		}
		path, err := jr.job.LookPath(ctx, tool, env)
		if err != nil || strings.HasPrefix(path, paths.ToolCache) || strings.HasPrefix(path, paths.Workspace) {
			continue
		}
		jr.warnedTools[tool] = true
		msg := fmt.Sprintf("step %q runs %s from this machine, not from the job's Python environment: on GitHub it exists only if the job installs it (pip install %s)", name, path, tool)
		jr.log.line(name, "##[warning]"+msg)
		jr.annotate("warning", msg)
	}
}

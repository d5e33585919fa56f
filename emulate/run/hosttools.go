package run

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
)

// pythonTools are commands a Python CI step typically runs after
// installing them; on a GitHub runner they exist only if the job installed
// them.
var pythonTools = regexp.MustCompile(`(?m)(?:^|[\s;&|(])(pytest|py\.test|flake8|black|isort|mypy|bandit|safety|pylint|ruff|tox|nox|coverage|twine)(?:\s|$)`)

// warnHostTools names the Python tools a step would run from this machine
// rather than from the job's own environment (setup-python's venv), so a
// green run here that would fail on GitHub ("command not found") does not
// go unnoticed. It warns once per tool per job.
func (jr *jobRun) warnHostTools(name, script string, env []string) {
	venv := filepath.Join(jr.dirs.ToolCache, "Python")
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
	for _, m := range pythonTools.FindAllStringSubmatch(actions.StripComments(script), -1) {
		tool := m[1]
		if jr.warnedTools[tool] {
			continue
		}
		path, err := host.LookPath(tool, env)
		if err != nil || strings.HasPrefix(path, jr.dirs.ToolCache) || strings.HasPrefix(path, jr.dirs.Workspace) {
			continue
		}
		jr.warnedTools[tool] = true
		msg := fmt.Sprintf("step %q runs %s from this machine, not from the job's Python environment: on GitHub it exists only if the job installs it (pip install %s)", name, path, tool)
		jr.log.line(name, "##[warning]"+msg)
		jr.annotate("warning", msg)
	}
}

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
var pythonTools = regexp.MustCompile(`(?m)(?:^|[\s;&|(])(pytest|py\.test|flake8|black|isort|mypy|bandit|safety|pylint|ruff|tox|nox|coverage|twine)(?:\s|$)`)

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
	for _, m := range pythonTools.FindAllStringSubmatch(actions.StripComments(script), -1) {
		tool := m[1]
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

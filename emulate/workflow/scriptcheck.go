package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/rehearse-dev/rehearse/emulate/workflow/checkers"
)

// checkScripts runs shellcheck and pyflakes (as o names them) over the
// scripts of every workflow at once and returns their findings as
// actionlint's rules word and place them: at the step's run: key, the
// position inside the script in the message. A finding that the
// repository's actionlint.yaml ignores for its file is left out, as
// actionlint leaves it out.
func checkScripts(ctx context.Context, o Options, project *actionlint.Project, scripts []script) ([]*Finding, error) {
	var shell []checkers.ShellScript
	var shellAt, pyAt []script
	var py []string
	for _, s := range scripts {
		if s.dialect != "" {
			shell = append(shell, checkers.ShellScript{Dialect: s.dialect, Text: s.text})
			shellAt = append(shellAt, s)
		} else {
			py = append(py, s.text)
			pyAt = append(pyAt, s)
		}
	}
	var findings []*Finding
	add := func(s script, kind, msg string) {
		for _, pc := range project.Config().PathConfigs(s.path) {
			if pc.Ignore.Match(&actionlint.Error{Message: msg, Kind: kind}) {
				return
			}
		}
		findings = append(findings, &Finding{Path: s.path, Line: s.line, Column: s.col, Message: msg, Kind: kind, Severity: classify(kind, msg)})
	}
	if len(shell) > 0 {
		comments, err := checkers.Shellcheck(ctx, o.Shellcheck, shell)
		if err != nil {
			return nil, fmt.Errorf("could not check run: scripts with shellcheck: %w (reinstall it, or take it off PATH to lint without it)", err)
		}
		for i, cs := range comments {
			for _, c := range cs {
				// Line 1 is the `set -e` put before the script.
				add(shellAt[i], "shellcheck", fmt.Sprintf("shellcheck reported issue in this script: SC%d:%s:%d:%d: %s",
					c.Code, c.Level, c.Line-1, c.Column, strings.TrimSuffix(c.Message, ".")))
			}
		}
	}
	if len(py) > 0 {
		reports, err := checkers.Pyflakes(ctx, o.Pyflakes, py)
		if err != nil {
			return nil, fmt.Errorf("could not check shell: python scripts with pyflakes: %w (reinstall it, or take it off PATH to lint without it)", err)
		}
		for i, rs := range reports {
			for _, r := range rs {
				add(pyAt[i], "pyflakes", "pyflakes reported issue in this script: "+r)
			}
		}
	}
	return findings, nil
}

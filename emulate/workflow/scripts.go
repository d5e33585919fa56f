package workflow

import (
	"strings"

	"github.com/rhysd/actionlint"
)

// script is a run: script for an external checker, chosen and written as
// actionlint v1.7.12's shellcheck and pyflakes rules do (rule_shellcheck.go,
// rule_pyflakes.go). Lint turns those rules off and checks the scripts of
// every workflow together (scriptcheck.go), so that the checkers start a
// few times instead of once per script, and never block on a large one.
type script struct {
	// path is the workflow file; line and col are its run: key's, where
	// actionlint reports the checker's findings.
	path      string
	line, col int
	// dialect is "bash" or "sh" for shellcheck, "" for pyflakes.
	dialect string
	// text is what the checker reads: for shellcheck a first line of the
	// runner's `set -e` (so its lines are one more than the script's).
	text string
}

// scriptPass collects the scripts of one workflow file while actionlint
// visits it, tracking the default shells as the two rules do.
type scriptPass struct {
	actionlint.RuleBase
	path                 string
	shellcheck, pyflakes bool
	scripts              []script

	workflowShell, jobShell, runnerShell string
	workflowPython, jobPython            pythonKind
}

func newScriptPass(path string, shellcheck, pyflakes bool) *scriptPass {
	return &scriptPass{
		RuleBase: actionlint.NewRuleBase("scripts", "collects run: scripts for shellcheck and pyflakes"),
		path:     path, shellcheck: shellcheck, pyflakes: pyflakes,
	}
}

func (p *scriptPass) VisitWorkflowPre(n *actionlint.Workflow) error {
	if n.Defaults != nil && n.Defaults.Run != nil {
		if n.Defaults.Run.Shell != nil {
			p.workflowShell = n.Defaults.Run.Shell.Value
		}
		p.workflowPython = pythonKindOf(n.Defaults.Run.Shell)
	}
	return nil
}

func (p *scriptPass) VisitWorkflowPost(*actionlint.Workflow) error {
	p.workflowShell, p.workflowPython = "", pythonUnspecified
	return nil
}

func (p *scriptPass) VisitJobPre(n *actionlint.Job) error {
	if n.Defaults != nil && n.Defaults.Run != nil {
		if n.Defaults.Run.Shell != nil {
			p.jobShell = n.Defaults.Run.Shell.Value
		}
		p.jobPython = pythonKindOf(n.Defaults.Run.Shell)
	}
	if n.RunsOn != nil {
		for _, label := range n.RunsOn.Labels {
			// A Windows runner's default shell is pwsh, which shellcheck
			// does not read.
			if l := strings.ToLower(label.Value); l == "windows" || strings.HasPrefix(l, "windows-") {
				p.runnerShell = "pwsh"
				break
			}
		}
	}
	return nil
}

func (p *scriptPass) VisitJobPost(*actionlint.Job) error {
	p.jobShell, p.runnerShell, p.jobPython = "", "", pythonUnspecified
	return nil
}

func (p *scriptPass) VisitStep(n *actionlint.Step) error {
	run, ok := n.Exec.(*actionlint.ExecRun)
	if !ok || run.Run == nil {
		return nil
	}
	at := script{path: p.path, line: run.RunPos.Line, col: run.RunPos.Col}
	if p.shellcheck {
		if sh := shellcheckDialect(p.shellName(run)); sh != "" {
			// The options GitHub runs the shell with.
			setup := "set -e"
			if sh == "bash" {
				setup = "set -eo pipefail"
			}
			s := at
			s.dialect, s.text = sh, setup+"\n"+blankExpressions(run.Run.Value)+"\n"
			p.scripts = append(p.scripts, s)
		}
	}
	if p.pyflakes && p.isPython(run) {
		s := at
		s.text = blankExpressions(run.Run.Value)
		p.scripts = append(p.scripts, s)
	}
	return nil
}

// shellName is the step's shell: its own, the job's default, the
// workflow's, the runner's, else bash.
func (p *scriptPass) shellName(run *actionlint.ExecRun) string {
	if run.Shell != nil {
		return run.Shell.Value
	}
	for _, s := range []string{p.jobShell, p.workflowShell, p.runnerShell} {
		if s != "" {
			return s
		}
	}
	return "bash"
}

// shellcheckDialect is shellcheck's --shell for a shell: "bash" or "sh"
// (with arguments such as "bash -e {0}"), else "" (pwsh, python, cmd...:
// not checked).
func shellcheckDialect(shell string) string {
	for _, sh := range []string{"bash", "sh"} {
		if shell == sh || strings.HasPrefix(shell, sh+" ") {
			return sh
		}
	}
	return ""
}

// pythonKind is whether a shell: says python, says something else, or is
// not given (the default above it applies).
type pythonKind int

const (
	pythonUnspecified pythonKind = iota
	pythonYes
	pythonNo
)

func pythonKindOf(shell *actionlint.String) pythonKind {
	switch {
	case shell == nil:
		return pythonUnspecified
	case shell.Value == "python" || strings.HasPrefix(shell.Value, "python "):
		return pythonYes
	default:
		return pythonNo
	}
}

// isPython is whether the step runs with shell: python, its own shell
// first, then the job's default, then the workflow's.
func (p *scriptPass) isPython(run *actionlint.ExecRun) bool {
	for _, k := range []pythonKind{pythonKindOf(run.Shell), p.jobPython} {
		if k != pythonUnspecified {
			return k == pythonYes
		}
	}
	return p.workflowPython == pythonYes
}

// blankExpressions replaces each ${{ ... }} with as many underscores, so
// the checker reads a word where the runner will put a value, and columns
// do not move (spaces could make syntax errors: `if ${{ x }}; then`).
// An unclosed ${{ and what follows it are kept.
func blankExpressions(src string) string {
	var b strings.Builder
	for {
		s := strings.Index(src, "${{")
		if s < 0 {
			break
		}
		e := strings.Index(src[s:], "}}")
		if e < 0 {
			break
		}
		e += s + len("}}")
		b.WriteString(src[:s])
		b.WriteString(strings.Repeat("_", e-s))
		src = src[e:]
	}
	b.WriteString(src)
	return b.String()
}

package workflow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v4"
)

// Options tells Load what to check.
type Options struct {
	// Root is the repository root; findings and Workflow.Path are relative to it.
	Root string
	// Path is a workflow file or a directory of them, relative to Root
	// (default ".github/workflows").
	Path string
	// Shellcheck and Pyflakes name the external linters to run (empty: none).
	// Only `rehearse lint` sets them; plan and run never run external tools.
	// They check the scripts of all the files at once (scriptcheck.go).
	Shellcheck, Pyflakes string
}

// Result is what Load found: the workflows it could read (also the invalid
// ones, so plan can report them), and every finding.
type Result struct {
	Workflows []*Workflow
	// Invalid holds the paths of files GitHub would refuse.
	Invalid  map[string]bool
	Findings []*Finding
	// Called are local reusable workflows that the selected workflows call
	// but -W did not select; they are loaded so the calls can be planned.
	Called []*Workflow
}

// Files lists the workflow files Load would read, relative to root: the file
// itself, or every *.yml and *.yaml directly inside the directory (GitHub does
// not look into subdirectories of .github/workflows).
func Files(root, path string) ([]string, error) {
	if path == "" {
		path = filepath.Join(".github", "workflows")
	}
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, path)
	}
	st, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no workflow file or directory at %q: give the repository with -C DIR or a workflow path with -W PATH", rel(root, abs))
		}
		return nil, fmt.Errorf("could not read %q: %w", rel(root, abs), err)
	}
	if !st.IsDir() {
		return []string{rel(root, abs)}, nil
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, fmt.Errorf("could not read directory %q: %w", rel(root, abs), err)
	}
	var files []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if !e.IsDir() && (ext == ".yml" || ext == ".yaml") {
			files = append(files, rel(root, filepath.Join(abs, e.Name())))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no workflow files (*.yml, *.yaml) in %q", rel(root, abs))
	}
	slices.Sort(files)
	return files, nil
}

func rel(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

// Load reads, validates and converts the workflows under o.Path.
func Load(o Options) (*Result, error) {
	return LoadContext(context.Background(), o)
}

// LoadContext is [Load] whose external linters (o.Shellcheck, o.Pyflakes)
// stop when ctx is done.
func LoadContext(ctx context.Context, o Options) (*Result, error) {
	files, err := Files(o.Root, o.Path)
	if err != nil {
		return nil, err
	}
	project, err := actionlint.NewProject(o.Root)
	if err != nil {
		return nil, fmt.Errorf("could not open repository %q: %w", o.Root, err)
	}
	res := &Result{Invalid: map[string]bool{}}
	var scripts []script
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(o.Root, filepath.FromSlash(f)))
		if err != nil {
			return nil, fmt.Errorf("could not read workflow %q: %w", f, err)
		}
		wf, findings, err := loadOne(o, project, f, src, &scripts)
		if err != nil {
			return nil, err
		}
		res.Findings = append(res.Findings, findings...)
		if HasErrors(findings) {
			res.Invalid[f] = true
		}
		if wf != nil {
			res.Workflows = append(res.Workflows, wf)
		}
	}
	if err := loadCalled(o, project, res, &scripts); err != nil {
		return nil, err
	}
	if len(scripts) > 0 {
		found, err := checkScripts(ctx, o, project, scripts)
		if err != nil {
			return nil, err
		}
		res.Findings = append(res.Findings, found...)
	}
	res.Findings = SortFindings(res.Findings)
	return res, nil
}

// loadCalled loads the local reusable workflows (uses: ./.github/workflows/x.yml)
// that the selected workflows call and that were not selected themselves.
func loadCalled(o Options, project *actionlint.Project, res *Result, scripts *[]script) error {
	have := map[string]bool{}
	for _, wf := range res.Workflows {
		have[wf.Path] = true
	}
	queue := append([]*Workflow(nil), res.Workflows...)
	for len(queue) > 0 {
		wf := queue[0]
		queue = queue[1:]
		for _, j := range wf.Jobs {
			if j.Uses == nil || !strings.HasPrefix(j.Uses.Value, "./") {
				continue
			}
			p := filepath.ToSlash(filepath.Clean(strings.TrimPrefix(j.Uses.Value, "./")))
			// A called workflow outside the repository is not read: GitHub
			// resolves ./ paths inside it only.
			if have[p] || p == ".." || strings.HasPrefix(p, "../") {
				continue
			}
			have[p] = true
			src, err := os.ReadFile(filepath.Join(o.Root, filepath.FromSlash(p)))
			if err != nil {
				// actionlint reports a missing called workflow; plan says so too.
				continue
			}
			called, findings, err := loadOne(o, project, p, src, scripts)
			if err != nil {
				return err
			}
			res.Findings = append(res.Findings, findings...)
			if HasErrors(findings) {
				res.Invalid[p] = true
			}
			if called != nil {
				res.Called = append(res.Called, called)
				queue = append(queue, called)
			}
		}
	}
	return nil
}

// capture is a pass that keeps the syntax tree actionlint parsed, so each
// file is parsed once for both validation and conversion.
type capture struct {
	actionlint.RuleBase
	tree *actionlint.Workflow
}

func (c *capture) VisitWorkflowPre(w *actionlint.Workflow) error {
	c.tree = w
	return nil
}

// loadOne validates and converts one file, adding its run: scripts for
// the external linters o names to scripts.
func loadOne(o Options, project *actionlint.Project, path string, src []byte, scripts *[]script) (*Workflow, []*Finding, error) {
	if len(strings.TrimSpace(string(src))) == 0 {
		return nil, []*Finding{{Path: path, Line: 1, Column: 1, Message: "workflow file is empty: a workflow needs at least \"on\" and \"jobs\"", Kind: "syntax-check", Severity: SeverityError}}, nil
	}
	// actionlint keeps its YAML tree to itself: one more parse serves the
	// checks that bound the file's shape and actionlint's work, the typed
	// matrix values and the matrix checks.
	var root *yaml.Node
	var n yaml.Node
	if yaml.Unmarshal(src, &n) == nil {
		root = &n
	}
	if f := shapeFinding(path, root); f != nil {
		return nil, []*Finding{f}, nil
	}
	if f := costFinding(path, root); f != nil {
		return nil, []*Finding{f}, nil
	}
	c := &capture{RuleBase: actionlint.NewRuleBase("capture", "keeps the parsed workflow")}
	sp := newScriptPass(path, o.Shellcheck != "", o.Pyflakes != "")
	// actionlint's own shellcheck and pyflakes rules stay off (no
	// executable given): they start a process per script and block on a
	// script over 64 KB (rhysd/actionlint issue 702). sp collects the
	// scripts, which Load checks together.
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{
		WorkingDir: o.Root,
		OnRulesCreated: func(rules []actionlint.Rule) []actionlint.Rule {
			return append(replaceMatrixRule(rules), c, sp)
		},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("could not set up the workflow linter: %w", err)
	}
	errs, err := linter.Lint(path, src, project)
	if err != nil {
		return nil, nil, fmt.Errorf("could not lint %q: %w", path, err)
	}
	*scripts = append(*scripts, sp.scripts...)
	findings := make([]*Finding, 0, len(errs))
	for _, e := range errs {
		line, col := inFile(src, e.Line, e.Column)
		findings = append(findings, &Finding{
			Path: path, Line: line, Column: col,
			Message: e.Message, Kind: e.Kind, Severity: classify(e.Kind, e.Message),
		})
	}
	if c.tree == nil {
		return nil, findings, nil
	}
	findings = dropLooseExcludeMatches(findings, root)
	wf := convert(path, src, c.tree, decodeMatrices(root))
	// actionlint already reports include/exclude keys that match no matrix
	// key: keep one finding per problem.
	matrixError := slices.ContainsFunc(findings, func(g *Finding) bool { return g.Kind == "matrix" && g.Severity == SeverityError })
	for _, f := range matrixFindings(path, root, wf) {
		if f.Severity == SeverityError && matrixError {
			continue
		}
		findings = append(findings, f)
	}
	return wf, findings, nil
}

// inFile moves a position into src: the YAML parser reports some syntax
// errors at line 0 or column 0 (an unclosed quote on the first line is
// "found unexpected end of stream" at 0:1), which no editor can jump to.
func inFile(src []byte, line, col int) (int, int) {
	lines := bytes.Count(src, []byte("\n")) + 1
	return min(max(line, 1), lines), max(col, 1)
}

package run

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// maxActionDepth is how deep composite actions may nest, as the runner
// limits it (ActionDepthOutOfRange): an action that uses itself fails
// instead of recursing forever.
const maxActionDepth = 9

// compositeAction is the part of an action.yml a composite action uses.
// Values are kept as written: expressions are evaluated per step.
type compositeAction struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Default  string `yaml:"default"`
		Required bool   `yaml:"required"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string          `yaml:"using"`
		Steps []compositeStep `yaml:"steps"`
	} `yaml:"runs"`
}

// compositeStep is one step of a composite action, as written.
type compositeStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
	// ContinueOnError and TimeoutMinutes may be expressions, so they are
	// read as text.
	ContinueOnError string `yaml:"continue-on-error"`
	TimeoutMinutes  string `yaml:"timeout-minutes"`
}

// step is the action's step as a workflow step, for the step runner: its
// values are templates, evaluated when it runs. index numbers its files
// (scripts, file commands) apart from the job's steps'.
func (cs compositeStep) step(index int) *workflow.Step {
	s := &workflow.Step{Index: index, Env: workflow.Env{}}
	text := func(v string) *workflow.String { return &workflow.String{Value: v} }
	if cs.ID != "" {
		s.ID = text(cs.ID)
	}
	if cs.Name != "" {
		s.Name = text(cs.Name)
	}
	if cs.If != "" {
		s.If = text(cs.If)
	}
	if cs.Run != "" {
		s.Run = text(cs.Run)
		s.Shell = text(cs.Shell)
	}
	if cs.Uses != "" {
		s.Uses = text(cs.Uses)
		for _, k := range sortedKeys(cs.With) {
			s.With = append(s.With, workflow.Input{Name: k, Value: workflow.String{Value: cs.With[k]}})
		}
	}
	if cs.WorkingDirectory != "" {
		s.WorkingDirectory = text(cs.WorkingDirectory)
	}
	for _, k := range sortedKeys(cs.Env) {
		s.Env.Vars = append(s.Env.Vars, workflow.EnvVar{Name: k, Value: workflow.String{Value: cs.Env[k]}})
	}
	if v := strings.TrimSpace(cs.ContinueOnError); v != "" {
		s.ContinueOnError = &workflow.Flag{Expr: text(v)}
	}
	if v := strings.TrimSpace(cs.TimeoutMinutes); v != "" {
		s.TimeoutMinutes = &workflow.Number{Expr: text(v)}
	}
	return s
}

// runComposite runs a local composite action (uses: ./path) as the
// runner does: its steps through the job's step runner ([jobRun.step]),
// with its inputs context (defaults evaluated), github.action_path and
// GITHUB_ACTION_PATH, the calling step's env under each step's own, its
// own steps context and status, and outputs from its outputs:.
func (jr *jobRun) runComposite(ctx context.Context, path, name string, inputs map[string]string, h *actionHost) error {
	if jr.actionDepth >= maxActionDepth {
		return fmt.Errorf("%s: composite actions nest more than %d deep (does the action use itself?)", path, maxActionDepth)
	}
	ws := jr.job.Paths().Workspace
	dir := filepath.Join(ws, path)
	if rel, err := filepath.Rel(ws, dir); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("local action %q is outside the workspace", path)
	}
	var data []byte
	var err error
	for _, f := range []string{"action.yml", "action.yaml"} {
		if data, err = jr.job.ReadFile(ctx, filepath.Join(dir, f)); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("could not find action.yml or action.yaml in %s (did a checkout step run first?)", path)
	}
	var a compositeAction
	if err := yaml.Unmarshal(data, &a); err != nil {
		return fmt.Errorf("%s/action.yml: %v", path, err)
	}
	if a.Runs.Using != "composite" {
		return fmt.Errorf("%s: local actions using %q are not supported; only composite actions run locally", path, a.Runs.Using)
	}
	actionContexts := func(ctx context.Context) map[string]expr.Value {
		ctxs := jr.contexts(ctx)
		if gh, ok := ctxs["github"].(*expr.Object); ok {
			gh = gh.Clone()
			gh.Set("action_path", dir)
			ctxs["github"] = gh
		}
		return ctxs
	}
	// Input defaults are templates too (${{ github.token }}).
	in := expr.NewObject()
	defaults := actionContexts(ctx)
	for _, k := range sortedKeys(a.Inputs) {
		v := a.Inputs[k].Default
		if ev, err := expr.Interpolate(v, &expr.Env{Contexts: defaults}); err == nil {
			v = expr.ToString(ev)
		}
		in.Set(k, v)
	}
	for k, v := range inputs {
		in.Set(k, v)
	}
	for _, k := range sortedKeys(a.Inputs) {
		if val, _ := in.Get(k); a.Inputs[k].Required && val == "" {
			h.Warning(fmt.Sprintf("Input required and not supplied: %s", k))
		}
	}
	outerSteps, outerPath := jr.steps, jr.actionPath
	jr.steps, jr.actionPath = expr.NewObject(), dir
	jr.actionDepth++
	defer func() { jr.steps, jr.actionPath = outerSteps, outerPath; jr.actionDepth-- }()
	sc := &stepScope{
		contexts: func(ctx context.Context) map[string]expr.Value {
			ctxs := actionContexts(ctx)
			ctxs["inputs"] = in
			return ctxs
		},
		outer:  h.stepEnv,
		failed: &h.failed, cancelled: &h.failed,
		prefix: name + " / ",
		nested: true,
	}
	for i, cs := range a.Runs.Steps {
		jr.step(ctx, sc, cs.step(1000*jr.actionDepth+i), nil, fmt.Sprintf("%s: step %d", path, i+1))
	}
	// The outputs see what the action's steps saw: its inputs, its steps
	// context and the env of the step that called it.
	ctxs := sc.contexts(ctx)
	ctxs["env"] = jr.layerEnv(ctxs["env"], h.stepEnv)
	for _, k := range sortedKeys(a.Outputs) {
		v, err := expr.Interpolate(a.Outputs[k].Value, &expr.Env{Contexts: ctxs})
		if err == nil {
			h.SetOutput(k, expr.ToString(v))
		}
	}
	return nil
}

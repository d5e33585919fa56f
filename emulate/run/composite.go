package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/report"
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
		Using string `yaml:"using"`
		Steps []struct {
			ID               string            `yaml:"id"`
			Name             string            `yaml:"name"`
			If               string            `yaml:"if"`
			Run              string            `yaml:"run"`
			Shell            string            `yaml:"shell"`
			Uses             string            `yaml:"uses"`
			With             map[string]string `yaml:"with"`
			Env              map[string]string `yaml:"env"`
			WorkingDirectory string            `yaml:"working-directory"`
			// ContinueOnError and TimeoutMinutes may be expressions, so they
			// are read as text.
			ContinueOnError string `yaml:"continue-on-error"`
			TimeoutMinutes  string `yaml:"timeout-minutes"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// runComposite runs a local composite action (uses: ./path) step by step,
// as the runner does: with its inputs context (defaults evaluated),
// github.action_path and GITHUB_ACTION_PATH, the calling step's env under
// each step's own, its own steps context, and outputs from its outputs:.
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
	actionContexts := func() map[string]expr.Value {
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
	defaults := actionContexts()
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
	for i, cs := range a.Runs.Steps {
		s := &workflow.Step{Index: 1000*(jr.actionDepth) + i, Env: workflow.Env{}}
		if cs.ID != "" {
			s.ID = &workflow.String{Value: cs.ID}
		}
		if cs.Name != "" {
			s.Name = &workflow.String{Value: cs.Name}
		}
		if cs.If != "" {
			s.If = &workflow.String{Value: cs.If}
		}
		if cs.Run != "" {
			s.Run = &workflow.String{Value: cs.Run}
			s.Shell = &workflow.String{Value: cs.Shell}
		}
		if cs.Uses != "" {
			s.Uses = &workflow.String{Value: cs.Uses}
			for _, k := range sortedKeys(cs.With) {
				s.With = append(s.With, workflow.Input{Name: k, Value: workflow.String{Value: cs.With[k]}})
			}
		}
		if cs.WorkingDirectory != "" {
			s.WorkingDirectory = &workflow.String{Value: cs.WorkingDirectory}
		}
		for _, k := range sortedKeys(cs.Env) {
			s.Env.Vars = append(s.Env.Vars, workflow.EnvVar{Name: k, Value: workflow.String{Value: cs.Env[k]}})
		}
		base := actionContexts()
		base["inputs"] = in
		ctxs, stepEnv, err := jr.stepContexts(base, h.stepEnv, s)
		if err != nil {
			return fmt.Errorf("%s: step %d: %v", path, i+1, err)
		}
		stepName := name + " / " + s.DisplayName()
		cancelled := ctx.Err() != nil
		run, err := expr.Condition(cs.If, &expr.Env{Contexts: ctxs, Status: expr.StatusFuncs{
			Success:   func() bool { return !h.failed && !cancelled },
			Failure:   func() bool { return h.failed },
			Cancelled: func() bool { return cancelled },
		}})
		if err != nil {
			return fmt.Errorf("%s: step %d: if: %v", path, i+1, err)
		}
		if !run {
			jr.setStepContext(s, report.Skipped, report.Skipped, nil)
			continue
		}
		sctx, cancel := ctx, context.CancelFunc(func() {})
		if t := strings.TrimSpace(cs.TimeoutMinutes); t != "" {
			d := jr.minutes(&workflow.Number{Expr: &workflow.String{Value: t}}, ctxs, 360*jr.s.o.minute())
			sctx, cancel = context.WithTimeoutCause(ctx, d, errStepTimeout)
		}
		var r stepRun
		if s.Uses != nil {
			r = jr.runAction(sctx, s, stepName, ctxs, stepEnv)
		} else {
			r = jr.runScript(sctx, s, stepName, ctxs, stepEnv)
		}
		if errors.Is(context.Cause(sctx), errStepTimeout) {
			msg := fmt.Sprintf("The action '%s' has timed out after %s minutes.", stepName, strings.TrimSpace(cs.TimeoutMinutes))
			jr.log.line(stepName, "##[error]"+msg)
			jr.annotate("error", msg)
			r.outcome, r.reason = report.Failure, msg
		}
		cancel()
		conclusion := r.outcome
		if r.outcome == report.Failure && continueOnError(cs.ContinueOnError, ctxs) {
			conclusion = report.Success
		}
		if conclusion != report.Success {
			h.failed = true
		}
		jr.setStepContext(s, r.outcome, conclusion, r.outputs)
	}
	// The outputs see what the action's steps saw: its inputs, its steps
	// context and the env of the step that called it.
	ctxs := actionContexts()
	ctxs["inputs"] = in
	ctxs["env"] = jr.layerEnv(ctxs["env"], h.stepEnv)
	for _, k := range sortedKeys(a.Outputs) {
		v, err := expr.Interpolate(a.Outputs[k].Value, &expr.Env{Contexts: ctxs})
		if err == nil {
			h.SetOutput(k, expr.ToString(v))
		}
	}
	return nil
}

// continueOnError reads a composite step's continue-on-error: a boolean or
// an expression.
func continueOnError(v string, ctxs map[string]expr.Value) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	res, err := expr.Interpolate(v, &expr.Env{Contexts: ctxs})
	if err != nil {
		return false
	}
	if s, ok := res.(string); ok {
		return strings.EqualFold(s, "true")
	}
	return expr.Truthy(res)
}

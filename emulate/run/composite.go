package run

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// compositeAction is the part of an action.yml a composite action uses.
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
			ContinueOnError  bool              `yaml:"continue-on-error"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// runComposite runs a local composite action (uses: ./path) step by step,
// with its inputs context and github.action_path, as the runner does.
func (jr *jobRun) runComposite(ctx context.Context, path, name string, inputs map[string]string, h *actionHost) error {
	dir := filepath.Join(jr.dirs.Workspace, path)
	var data []byte
	var err error
	for _, f := range []string{"action.yml", "action.yaml"} {
		if data, err = os.ReadFile(filepath.Join(dir, f)); err == nil {
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
	in := expr.NewObject()
	for k, v := range a.Inputs {
		in.Set(k, v.Default)
	}
	for k, v := range inputs {
		in.Set(k, v)
	}
	for k, v := range a.Inputs {
		if val, _ := in.Get(k); v.Required && val == "" {
			h.Warning(fmt.Sprintf("Input required and not supplied: %s", k))
		}
	}
	// The composite's steps see their own steps context, and their
	// processes GITHUB_ACTION_PATH (the runner sets it for every step of an
	// action, docs: "Variables reference").
	outer, outerPath := jr.steps, jr.actionPath
	jr.steps, jr.actionPath = expr.NewObject(), dir
	defer func() { jr.steps, jr.actionPath = outer, outerPath }()
	for i, cs := range a.Runs.Steps {
		s := &workflow.Step{Index: 1000 + i, Env: workflow.Env{}}
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
			for k, v := range cs.With {
				s.With = append(s.With, workflow.Input{Name: k, Value: workflow.String{Value: v}})
			}
		}
		if cs.WorkingDirectory != "" {
			s.WorkingDirectory = &workflow.String{Value: cs.WorkingDirectory}
		}
		for _, k := range sortedKeys(cs.Env) {
			s.Env.Vars = append(s.Env.Vars, workflow.EnvVar{Name: k, Value: workflow.String{Value: cs.Env[k]}})
		}
		if cs.ContinueOnError {
			s.ContinueOnError = &workflow.Flag{Value: true}
		}
		ctxs := jr.contexts(ctx)
		ctxs["inputs"] = in
		if gh, ok := ctxs["github"].(*expr.Object); ok {
			gh = gh.Clone()
			gh.Set("action_path", dir)
			ctxs["github"] = gh
		}
		stepName := name + " / " + s.DisplayName()
		run, err := expr.Condition(cs.If, &expr.Env{Contexts: ctxs, Status: expr.StatusFuncs{Success: func() bool { return !h.failed }, Failure: func() bool { return h.failed }}})
		if err != nil {
			return fmt.Errorf("%s: step %d: if: %v", path, i+1, err)
		}
		if !run {
			continue
		}
		var r stepRun
		if s.Uses != nil {
			r = jr.runAction(ctx, s, stepName, ctxs)
		} else {
			r = jr.runScript(ctx, s, stepName, ctxs)
		}
		if r.outcome != report.Success && !cs.ContinueOnError {
			h.failed = true
		}
		jr.setStepContext(s, r.outcome, r.outcome, r.outputs)
	}
	ctxs := jr.contexts(ctx)
	ctxs["inputs"] = in
	for k, o := range a.Outputs {
		v, err := expr.Interpolate(o.Value, &expr.Env{Contexts: ctxs})
		if err == nil {
			h.SetOutput(k, expr.ToString(v))
		}
	}
	return nil
}

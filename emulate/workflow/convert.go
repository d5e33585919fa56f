package workflow

import (
	"cmp"
	"slices"

	"github.com/rhysd/actionlint"

	"github.com/rehearse-dev/rehearse/emulate/trigger"
)

// convert builds the model from actionlint's syntax tree. actionlint has
// already reported schema problems; convert only has to be nil-safe.
func convert(path string, src []byte, w *actionlint.Workflow, mats map[string]*Matrix) *Workflow {
	wf := &Workflow{Path: path, Name: path, Source: src}
	if w.Name != nil && w.Name.Value != "" {
		wf.Name, wf.HasName = w.Name.Value, true
	}
	wf.RunName = str(w.RunName)
	wf.Env = env(w.Env)
	wf.Defaults = defaults(w.Defaults)
	for _, ev := range w.On {
		f, call := event(ev)
		if call != nil {
			wf.Call = call
		}
		wf.Triggers = append(wf.Triggers, f)
	}
	for _, j := range w.Jobs {
		if j == nil || j.ID == nil {
			continue
		}
		wf.Jobs = append(wf.Jobs, job(j, mats[j.ID.Value]))
	}
	slices.SortFunc(wf.Jobs, func(a, b *Job) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return wf
}

func pos(p *actionlint.Pos) Pos {
	if p == nil {
		return Pos{}
	}
	return Pos{Line: p.Line, Col: p.Col}
}

func str(s *actionlint.String) *String {
	if s == nil {
		return nil
	}
	return &String{Value: s.Value, Pos: pos(s.Pos)}
}

func strs(ss []*actionlint.String) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s != nil {
			out = append(out, s.Value)
		}
	}
	return out
}

func flag(b *actionlint.Bool) *Flag {
	if b == nil {
		return nil
	}
	return &Flag{Value: b.Value, Expr: str(b.Expression), Pos: pos(b.Pos)}
}

func number(f *actionlint.Float) *Number {
	if f == nil {
		return nil
	}
	return &Number{Value: f.Value, Expr: str(f.Expression), Pos: pos(f.Pos)}
}

func intNumber(i *actionlint.Int) *Number {
	if i == nil {
		return nil
	}
	return &Number{Value: float64(i.Value), Expr: str(i.Expression), Pos: pos(i.Pos)}
}

func env(e *actionlint.Env) Env {
	if e == nil {
		return Env{}
	}
	out := Env{Expr: str(e.Expression)}
	for _, v := range e.Vars {
		if v == nil || v.Name == nil {
			continue
		}
		val := String{}
		if v.Value != nil {
			val = *str(v.Value)
		}
		out.Vars = append(out.Vars, EnvVar{Name: v.Name.Value, Value: val})
	}
	sortByPos(out.Vars, func(v EnvVar) Pos { return v.Value.Pos })
	return out
}

func defaults(d *actionlint.Defaults) Defaults {
	if d == nil || d.Run == nil {
		return Defaults{}
	}
	return Defaults{Shell: str(d.Run.Shell), WorkingDirectory: str(d.Run.WorkingDirectory)}
}

// sortByPos puts map-derived slices back in file order.
func sortByPos[T any](xs []T, at func(T) Pos) {
	slices.SortStableFunc(xs, func(a, b T) int {
		pa, pb := at(a), at(b)
		return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Col, pb.Col))
	})
}

func filterValues(f *actionlint.WebhookEventFilter) []string {
	if f == nil {
		return nil
	}
	v := strs(f.Values)
	if v == nil {
		v = []string{}
	}
	return v
}

func event(ev actionlint.Event) (trigger.Filter, *CallTrigger) {
	f := trigger.Filter{Event: ev.EventName()}
	switch e := ev.(type) {
	case *actionlint.WebhookEvent:
		f.Types = strs(e.Types)
		f.Branches = filterValues(e.Branches)
		f.BranchesIgnore = filterValues(e.BranchesIgnore)
		f.Tags = filterValues(e.Tags)
		f.TagsIgnore = filterValues(e.TagsIgnore)
		f.Paths = filterValues(e.Paths)
		f.PathsIgnore = filterValues(e.PathsIgnore)
	case *actionlint.ScheduledEvent:
		for _, s := range e.Schedules {
			if s != nil && s.Cron != nil {
				f.Crons = append(f.Crons, s.Cron.Value)
			}
		}
	case *actionlint.WorkflowDispatchEvent:
		f.Inputs = map[string]trigger.DispatchInput{}
		for name, in := range e.Inputs {
			if in == nil {
				continue
			}
			di := trigger.DispatchInput{Type: dispatchType(in.Type), Options: strs(in.Options)}
			if in.Default != nil {
				di.Default, di.HasDefault = in.Default.Value, true
			}
			if in.Required != nil {
				di.Required = in.Required.Value
			}
			if in.Description != nil {
				di.Description = in.Description.Value
			}
			f.Inputs[name] = di
		}
	case *actionlint.WorkflowCallEvent:
		call := &CallTrigger{}
		for _, in := range e.Inputs {
			if in == nil || in.Name == nil {
				continue
			}
			ci := CallInput{Name: in.Name.Value, Type: callType(in.Type), Default: str(in.Default)}
			if in.Required != nil {
				ci.Required = in.Required.Value
			}
			call.Inputs = append(call.Inputs, ci)
		}
		for name, o := range e.Outputs {
			if o == nil || o.Value == nil {
				continue
			}
			call.Outputs = append(call.Outputs, Input{Name: name, Value: *str(o.Value)})
		}
		sortByPos(call.Outputs, func(i Input) Pos { return i.Value.Pos })
		for name := range e.Secrets {
			call.Secrets = append(call.Secrets, name)
		}
		slices.Sort(call.Secrets)
		return f, call
	}
	return f, nil
}

func dispatchType(t actionlint.WorkflowDispatchEventInputType) string {
	switch t {
	case actionlint.WorkflowDispatchEventInputTypeBoolean:
		return "boolean"
	case actionlint.WorkflowDispatchEventInputTypeChoice:
		return "choice"
	case actionlint.WorkflowDispatchEventInputTypeEnvironment:
		return "environment"
	case actionlint.WorkflowDispatchEventInputTypeNumber:
		return "number"
	}
	return "string"
}

func callType(t actionlint.WorkflowCallEventInputType) string {
	switch t {
	case actionlint.WorkflowCallEventInputTypeBoolean:
		return "boolean"
	case actionlint.WorkflowCallEventInputTypeNumber:
		return "number"
	}
	return "string"
}

func inputs[T any](m map[string]T, get func(T) (*actionlint.String, *actionlint.String)) []Input {
	var out []Input
	for _, v := range m {
		name, val := get(v)
		if name == nil {
			continue
		}
		in := Input{Name: name.Value}
		if val != nil {
			in.Value = *str(val)
		} else {
			in.Value.Pos = pos(name.Pos)
		}
		out = append(out, in)
	}
	sortByPos(out, func(i Input) Pos { return i.Value.Pos })
	return out
}

func job(j *actionlint.Job, m *Matrix) *Job {
	out := &Job{
		ID:              j.ID.Value,
		Pos:             pos(j.Pos),
		Name:            str(j.Name),
		Needs:           strs(j.Needs),
		If:              str(j.If),
		Env:             env(j.Env),
		Defaults:        defaults(j.Defaults),
		TimeoutMinutes:  number(j.TimeoutMinutes),
		ContinueOnError: flag(j.ContinueOnError),
	}
	if j.ID.Pos != nil {
		out.Pos = pos(j.ID.Pos)
	}
	if r := j.RunsOn; r != nil {
		for _, l := range r.Labels {
			if l != nil {
				out.RunsOn = append(out.RunsOn, *str(l))
			}
		}
		out.RunsOnExpr = str(r.LabelsExpr)
		out.RunsOnGroup = str(r.Group)
	}
	if s := j.Strategy; s != nil {
		out.Strategy = &Strategy{FailFast: flag(s.FailFast), MaxParallel: intNumber(s.MaxParallel), Pos: pos(s.Pos), Matrix: m}
	}
	if e := j.Environment; e != nil {
		out.Environment = &Environment{Name: str(e.Name), URL: str(e.URL)}
	}
	out.Outputs = inputs(j.Outputs, func(o *actionlint.Output) (*actionlint.String, *actionlint.String) { return o.Name, o.Value })
	if c := j.Container; c != nil {
		out.Container = &Container{Image: str(c.Image), Env: env(c.Env), Options: str(c.Options), Pos: pos(c.Pos)}
		if c.Credentials != nil {
			out.Container.Username, out.Container.Password = str(c.Credentials.Username), str(c.Credentials.Password)
		}
	}
	if s := j.Services; s != nil {
		for name := range s.Value {
			out.Services = append(out.Services, name)
		}
		slices.Sort(out.Services)
		if s.Expression != nil && len(out.Services) == 0 {
			out.Services = []string{s.Expression.Value}
		}
	}
	if c := j.WorkflowCall; c != nil {
		out.Uses = str(c.Uses)
		out.With = inputs(c.Inputs, func(i *actionlint.WorkflowCallInput) (*actionlint.String, *actionlint.String) { return i.Name, i.Value })
		out.Secrets = inputs(c.Secrets, func(i *actionlint.WorkflowCallSecret) (*actionlint.String, *actionlint.String) {
			return i.Name, i.Value
		})
		out.InheritSecrets = c.InheritSecrets
	}
	for i, s := range j.Steps {
		if s == nil {
			continue
		}
		out.Steps = append(out.Steps, step(i, s))
	}
	return out
}

func step(i int, s *actionlint.Step) *Step {
	out := &Step{
		Index:           i,
		Pos:             pos(s.Pos),
		ID:              str(s.ID),
		Name:            str(s.Name),
		If:              str(s.If),
		Env:             env(s.Env),
		ContinueOnError: flag(s.ContinueOnError),
		TimeoutMinutes:  number(s.TimeoutMinutes),
	}
	switch e := s.Exec.(type) {
	case *actionlint.ExecRun:
		out.Run = str(e.Run)
		if out.Run == nil {
			out.Run = &String{Pos: pos(e.RunPos)}
		}
		out.Shell = str(e.Shell)
		out.WorkingDirectory = str(e.WorkingDirectory)
	case *actionlint.ExecAction:
		out.Uses = str(e.Uses)
		out.With = inputs(e.Inputs, func(i *actionlint.Input) (*actionlint.String, *actionlint.String) { return i.Name, i.Value })
		if e.Entrypoint != nil {
			out.With = append(out.With, Input{Name: "entrypoint", Value: *str(e.Entrypoint)})
		}
		if e.Args != nil {
			out.With = append(out.With, Input{Name: "args", Value: *str(e.Args)})
		}
	}
	return out
}

package trigger

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// ForWorkflow returns the event as one workflow sees it. The parts of a
// payload that depend on the workflow are filled in here:
//
//   - workflow_dispatch: github.event.inputs gets every input the workflow
//     declares: the given value, else its default, else "false" for a
//     boolean and "" otherwise (what the "Run workflow" form sends); and
//     github.event.workflow is the workflow file.
//   - schedule: github.event.schedule is the workflow's first cron entry
//     unless the event names one, and github.event.workflow the file.
//
// It fails the way GitHub refuses a dispatch: an input the workflow does not
// declare, a missing required input, a choice not among the options, or a
// boolean or number that does not parse. Other events are returned as they
// are (as a copy).
func (ev *Event) ForWorkflow(filters []Filter, workflowFile string) (*Event, error) {
	out := *ev
	out.Payload = ev.Payload.Clone()
	out.Inputs = maps.Clone(ev.Inputs)
	out.Warnings = slices.Clone(ev.Warnings)
	var f *Filter
	for i := range filters {
		if filters[i].Event == ev.Name {
			f = &filters[i]
			break
		}
	}
	if f == nil {
		return &out, nil
	}
	switch ev.Name {
	case "workflow_dispatch":
		inputs, err := resolveInputs(f.Inputs, ev.Inputs)
		if err != nil {
			return nil, fmt.Errorf("could not dispatch %q: %w", workflowFile, err)
		}
		out.Inputs = inputs
		obj := expr.NewObject()
		for _, k := range sortedKeys(inputs) {
			obj.Set(k, inputs[k])
		}
		out.Payload.Set("inputs", obj)
		out.Payload.Set("workflow", workflowFile)
	case "schedule":
		if payloadString(out.Payload, "schedule") == "" && len(f.Crons) > 0 {
			out.Payload.Set("schedule", f.Crons[0])
		}
		out.Payload.Set("workflow", workflowFile)
	}
	return &out, nil
}

// resolveInputs checks given dispatch inputs against the declared ones and
// completes them with defaults.
func resolveInputs(declared map[string]DispatchInput, given map[string]string) (map[string]string, error) {
	for _, name := range sortedKeys(given) {
		if _, ok := declared[name]; !ok {
			return nil, fmt.Errorf("unexpected input %q. the workflow declares %s", name, declaredList(declared))
		}
	}
	out := make(map[string]string, len(declared))
	for _, name := range sortedKeys(declared) {
		in := declared[name]
		v, ok := given[name]
		switch {
		case ok:
		case in.HasDefault:
			v = in.Default
		case in.Required:
			return nil, fmt.Errorf("input %q is required. pass --input %s=<value>", name, name)
		case in.Type == "boolean":
			v = "false"
		}
		switch in.Type {
		case "boolean":
			if v != "true" && v != "false" {
				return nil, fmt.Errorf("input %q is a boolean, so its value must be true or false, not %q", name, v)
			}
		case "number":
			if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
				return nil, fmt.Errorf("input %q is a number, but %q is not one", name, v)
			}
		case "choice":
			if !slices.Contains(in.Options, v) {
				return nil, fmt.Errorf("input %q must be one of %s, not %q", name, quoteList(in.Options), v)
			}
		}
		out[name] = v
	}
	return out, nil
}

func declaredList(declared map[string]DispatchInput) string {
	if len(declared) == 0 {
		return "no inputs"
	}
	return quoteList(sortedKeys(declared))
}

// InputsContext builds the `inputs` context of a workflow_dispatch run from
// an event returned by [Event.ForWorkflow]. It holds the same values as
// github.event.inputs except that boolean inputs are Booleans (docs:
// events-that-trigger-workflows#providing-inputs "the inputs context
// preserves Boolean values as Booleans instead of converting them to
// strings"). For other events it is empty; reusable workflow inputs come
// from the caller.
func InputsContext(filters []Filter, ev *Event) *expr.Object {
	obj := expr.NewObject()
	if ev.Name != "workflow_dispatch" {
		return obj
	}
	var declared map[string]DispatchInput
	for _, f := range filters {
		if f.Event == ev.Name {
			declared = f.Inputs
		}
	}
	for _, k := range sortedKeys(ev.Inputs) {
		v := ev.Inputs[k]
		if declared[k].Type == "boolean" {
			obj.Set(k, v == "true")
			continue
		}
		obj.Set(k, v)
	}
	return obj
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

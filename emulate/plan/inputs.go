package plan

import (
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// StepInputs evaluates a step's with: inputs in ctx, names in lower case
// and values trimmed, as an action reads them. ok is false when one needs
// a context ctx does not have (it is known only when the step runs).
func StepInputs(s *workflow.Step, ctx map[string]expr.Value) (inputs map[string]string, ok bool) {
	inputs = map[string]string{}
	for _, w := range s.With {
		v, err := expr.Interpolate(w.Value.Value, &expr.Env{Contexts: ctx})
		if err != nil {
			return nil, false
		}
		inputs[strings.ToLower(w.Name)] = strings.TrimSpace(expr.ToString(v))
	}
	return inputs, true
}

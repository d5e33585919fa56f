package plan

import (
	"fmt"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// planStep classifies one step. Inputs and scripts are looked at as
// written: a value that is an expression is not a decision input here.
func planStep(s *workflow.Step, allowDeploy bool) *StepPlan {
	sp := &StepPlan{Name: s.DisplayName(), If: s.If.Text()}
	switch {
	case s.Uses != nil:
		sp.Uses = s.Uses.Value
		c := actions.Classify(s.Uses.Value, func(name string) string { return s.WithValue(name).Text() })
		sp.Kind, sp.Note = c.Kind, c.Why
		switch c.Kind {
		case actions.KindDeploy:
			switch {
			case !allowDeploy:
				sp.Skip = true
				sp.Note = fmt.Sprintf("deploy step skipped: %s (run with --allow-deploy to run it)", c.Why)
			default:
				// --allow-deploy lets it run, but a remote action's code is
				// never fetched, so there is nothing to run here.
				sp.Skip = true
				sp.Note = fmt.Sprintf("deploy step skipped: %s; deploying is allowed, but remote action %s is not fetched, so it cannot run here", c.Why, s.Uses.Value)
			}
		case actions.KindUnsupported:
			sp.Skip = true
			sp.Note = "skipped: " + c.Why
		}
	default:
		sp.Kind = actions.KindRun
		script := s.Run.Text()
		if why, ok := actions.PublishingCommand(script); ok {
			sp.Kind = actions.KindDeploy
			if allowDeploy {
				sp.Note = why
			} else {
				sp.Skip = true
				sp.Note = fmt.Sprintf("deploy step skipped: %s (run with --allow-deploy to run it)", why)
			}
		}
	}
	return sp
}

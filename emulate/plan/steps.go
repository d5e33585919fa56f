package plan

import (
	"fmt"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// planStep classifies one step. Inputs and scripts are looked at as
// written: a value that is an expression is not a decision input here.
// repo is this repository's owner/name.
func planStep(s *workflow.Step, allowDeploy bool, repo string) *StepPlan {
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
		if other := otherCheckout(s, repo); other != "" {
			sp.Note = fmt.Sprintf("checks out another repository (%s): that needs the network, so this step fails here", other)
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

// otherCheckout is the repository an actions/checkout step checks out when
// it is written as another repository than repo; "" otherwise, and for an
// expression, which is decided at run time.
func otherCheckout(s *workflow.Step, repo string) string {
	name, _, _ := strings.Cut(s.Uses.Value, "@")
	if !strings.EqualFold(name, "actions/checkout") {
		return ""
	}
	other := s.WithValue("repository")
	if other == nil || other.HasExpr() || other.Value == "" || strings.EqualFold(other.Value, repo) {
		return ""
	}
	return other.Value
}

package plan

import (
	"fmt"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Rules are what decides whether and where a cell runs, beyond its
// workflow: placement and the deploy guard. The plan applies them to every
// cell, and the run applies the same rules to cells of matrices computed
// while it runs.
type Rules struct {
	Placing
	// AllowDeploy lets environment: jobs run.
	AllowDeploy bool
}

// Classify sets a cell's Status, Reason, Runner and Image from its RunsOn,
// its job's if: state (IfState), environment:, container: and services:.
// ctx are the cell's contexts, for a container image given as an
// expression.
func (r Rules) Classify(jp *JobPlan, ctx map[string]expr.Value) {
	j := jp.Job
	place := Place(jp.RunsOn, r.Placing)
	jp.Runner, jp.Image = place.Runner, place.Image
	switch {
	case jp.IfState == "false":
		jp.Status, jp.Reason, jp.Runner, jp.Image = StatusSkipped, fmt.Sprintf("if: %s is false", strings.TrimSpace(jp.If)), "", ""
	case place.Runner == "":
		jp.Status, jp.Reason = StatusNotRunLocally, place.Reason
	case j.Environment != nil && !r.AllowDeploy:
		jp.Status, jp.Runner, jp.Image = StatusSkipped, "", ""
		jp.Reason = fmt.Sprintf("deploys to environment %q (run with --allow-deploy to run it)", j.Environment.Name.Text())
	case len(j.Services) > 0:
		jp.Status, jp.Runner, jp.Image = StatusNotRunLocally, "", ""
		jp.Reason = "uses services:, which rehearse does not run locally yet"
	case j.Container != nil && place.Runner != RunnerContainer:
		// It cannot run on this machine as it is, like another OS's cell.
		jp.Status, jp.Runner, jp.Image = StatusNotRunLocally, "", ""
		jp.Reason = "uses container:, which needs the container executor (--executor container or auto with a BuildKit builder); the host executor cannot run it"
	case j.Container != nil:
		jp.Image = containerImage(j.Container.Image, ctx)
		jp.Reason = "runs in its container: image"
	default:
		jp.Reason = place.Reason
	}
	if jp.Runner == RunnerContainer && strings.HasPrefix(jp.Image, "docker-image://") {
		jp.Notes = append(jp.Notes, "needs the network the first time: its image "+strings.TrimPrefix(jp.Image, "docker-image://")+" is pulled from its registry (then BuildKit keeps it)")
	}
}

// containerImage is a container: image as far as it can be decided now.
func containerImage(img interface{ Text() string }, ctx map[string]expr.Value) string {
	text := img.Text()
	if !strings.Contains(text, "${{") {
		return text
	}
	if v, err := expr.Interpolate(text, &expr.Env{Contexts: ctx}); err == nil {
		return expr.ToString(v)
	}
	return text
}

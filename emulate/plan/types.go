package plan

import (
	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/valuejson"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/matrix"
)

// Status is what the plan says of a job cell.
type Status string

// Statuses of a planned job cell, as the JSON plan names them.
const (
	StatusPlanned       Status = "planned"
	StatusSkipped       Status = "skipped"
	StatusDeferred      Status = "deferred"        // matrix resolved at run time
	StatusNotRunLocally Status = "not-run-locally" // e.g. a windows runner on Linux
)

// Plan is every selected workflow's plan.
type Plan struct {
	Version   int             `json:"version"`
	Workflows []*WorkflowPlan `json:"workflows"`
	// Warnings are findings GitHub accepts and observations about the plan.
	Warnings []string `json:"warnings"`
	// Rules are the placement rules the plan was made with; run places the
	// cells of matrices it expands itself with them.
	Rules Rules `json:"-"`
}

// WorkflowPlan is one workflow file's plan for the event.
type WorkflowPlan struct {
	File      string `json:"file"`
	Name      string `json:"name"`
	Event     string `json:"event"`
	Triggered bool   `json:"triggered"`
	Reason    string `json:"reason"`
	Invalid   bool   `json:"invalid"`
	// Refused is set when GitHub would refuse the event for this workflow
	// (a workflow_dispatch with a missing required or unknown input).
	Refused bool       `json:"refused"`
	Jobs    []*JobPlan `json:"jobs"`
	// Errors are problems found while planning that GitHub also refuses
	// (a matrix over 256 jobs), positioned as file:line:col: message.
	Errors []string `json:"errors"`

	Workflow *workflow.Workflow `json:"-"`
	// EventData is the event as this workflow sees it (dispatch inputs
	// with defaults, schedule); set when triggered.
	EventData *trigger.Event `json:"-"`
}

// JobPlan is one job, or one matrix cell of a job.
type JobPlan struct {
	// Key is unique within the workflow: the job id, with ".N" (1-based
	// job-index + 1) for a matrix cell, and "caller/callee" for jobs of a
	// called reusable workflow.
	Key string `json:"key"`
	ID  string `json:"id"`
	// Name is the display name as GitHub shows it ("Unit Tests (3.9, ubuntu-latest)").
	Name string `json:"name"`
	// Needs are the job ids (keys of the needs graph) this job waits for.
	Needs  []string    `json:"needs"`
	Matrix *MatrixJSON `json:"matrix"`
	RunsOn []string    `json:"runs_on"`
	Status Status      `json:"status"`
	Reason string      `json:"reason"`
	// Runner says how the cell runs here: "host" or "container", or empty
	// when it does not run.
	Runner string `json:"runner"`
	// Image is the image a container cell runs in.
	Image string `json:"image,omitempty"`
	Stage int    `json:"stage"`
	// If is the job's condition and whether it could be decided now.
	If      string      `json:"if"`
	IfState string      `json:"if_state"` // "", "true", "false", "run time"
	Steps   []*StepPlan `json:"steps"`
	// Notes are warnings about this cell (host side effects, unused matrix axes).
	Notes []string `json:"notes"`
	// HostNotes are the steps that change this machine itself (sudo,
	// apt-get, writes outside the workspace) when run on the host; run
	// repeats them as warnings in its report.
	HostNotes []string `json:"host_notes"`

	// Invalid marks a cell whose matrix could not be expanded.
	Invalid bool `json:"-"`

	Job      *workflow.Job   `json:"-"`
	Cell     *expr.Object    `json:"-"`
	Strategy matrix.Strategy `json:"-"`
	// Callee is set for jobs of a called reusable workflow.
	Callee *workflow.Workflow `json:"-"`
	Caller *workflow.Job      `json:"-"`
}

// StepPlan is how one step is treated.
type StepPlan struct {
	Name string       `json:"name"`
	Uses string       `json:"uses"`
	Kind actions.Kind `json:"kind"`
	// Skip is true for steps held back (deploy without --allow-deploy,
	// unsupported action) or whose if: is already known to be false.
	Skip bool   `json:"skip"`
	Note string `json:"note"`
	If   string `json:"if"`
}

// MatrixJSON prints a matrix cell as an ordered JSON object.
type MatrixJSON struct{ *expr.Object }

// MarshalJSON writes the cell with keys in matrix order.
func (m *MatrixJSON) MarshalJSON() ([]byte, error) {
	return valuejson.Marshal(m.Object)
}

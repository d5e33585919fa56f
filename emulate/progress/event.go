package progress

import (
	"time"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// Kind is what happened.
type Kind int

// Event kinds, in the order they happen for one job.
const (
	JobQueued Kind = iota
	JobStarted
	StepStarted
	// Output is one complete, already-masked line of a step's output.
	Output
	StepFinished
	JobFinished
	// Notice is a message about the whole run (Line), such as that it is
	// being cancelled; it belongs to no job.
	Notice
)

// Event is one thing a running job reports. Executors and the scheduler
// send events; one progress goroutine draws them.
type Event struct {
	Kind Kind
	Time time.Time
	// JobKey is unique in the run ("ci.yml:test.3"); JobName is the display
	// name used as the line prefix ("Unit Tests (3.9, ubuntu-latest)").
	JobKey, JobName string
	// Workflow is the workflow's name.
	Workflow string
	// Step is the step's display name (StepStarted, Output, StepFinished).
	Step string
	// Line is the output line (Output).
	Line string
	// Conclusion for StepFinished and JobFinished.
	Conclusion report.Conclusion
	// Total is the number of jobs in the run (JobQueued), for the bar.
	Total int
}

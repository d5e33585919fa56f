package report

import (
	"time"

	"github.com/rehearse-dev/rehearse/emulate/valuejson"
)

// Conclusion is a job's or step's final result, named as GitHub's checks
// list names them, plus "not-run-locally" for cells this machine cannot
// run. The JSON report uses exactly these tokens; the text summary writes
// the last one as "not run locally".
type Conclusion string

// Conclusions.
const (
	Success       Conclusion = "success"
	Failure       Conclusion = "failure"
	Cancelled     Conclusion = "cancelled"
	Skipped       Conclusion = "skipped"
	NotRunLocally Conclusion = "not-run-locally"
)

// FormatVersion is the version of the JSON form that [WriteJSON] writes
// when [Report.Version] is unset. Bump it when a field changes meaning or
// goes away; adding a field does not need a bump.
const FormatVersion = 1

// Report is the result of one `rehearse run`. The JSON form (with
// --format json or --report FILE) is its encoding/json form.
type Report struct {
	Version    int               `json:"version"`
	Conclusion Conclusion        `json:"conclusion"`
	Event      string            `json:"event"`
	Workflows  []*WorkflowResult `json:"workflows"`
	Artifacts  []Artifact        `json:"artifacts"`
	// RunDir holds the workspaces; LogDir every job's full log.
	RunDir     string    `json:"run_dir"`
	LogDir     string    `json:"log_dir"`
	Started    time.Time `json:"started"`
	DurationMS int64     `json:"duration_ms"`
	// Partial is set when the run was interrupted: what was cancelled did
	// not finish. Cells that cannot run on this machine do not make a run
	// partial; they are counted as not-run-locally.
	Partial bool `json:"partial"`
}

// WorkflowResult is one workflow's jobs.
type WorkflowResult struct {
	File       string       `json:"file"`
	Name       string       `json:"name"`
	Conclusion Conclusion   `json:"conclusion"`
	Jobs       []*JobResult `json:"jobs"`
	// Invalid marks a workflow file GitHub would refuse: none of its jobs
	// ran, and, as on GitHub, it counts as a failed run. Errors holds its
	// positioned errors (file:line:col: message).
	Invalid bool     `json:"invalid"`
	Errors  []string `json:"errors"`
}

// JobResult is one job or matrix cell.
type JobResult struct {
	Key        string           `json:"key"`
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Matrix     *valuejson.Value `json:"matrix"`
	Conclusion Conclusion       `json:"conclusion"`
	// ContinueOnError is the job's `continue-on-error:`; a failure of such
	// a job does not fail its workflow (see [Conclude]).
	ContinueOnError bool `json:"continue_on_error"`
	// Reason says why a job was skipped, not run locally or cancelled.
	Reason      string            `json:"reason"`
	DurationMS  int64             `json:"duration_ms"`
	Outputs     map[string]string `json:"outputs"`
	Steps       []*StepResult     `json:"steps"`
	Annotations []Annotation      `json:"annotations"`
	// Summary is the job's GITHUB_STEP_SUMMARY markdown, all steps joined.
	Summary string `json:"summary"`
	// FailedStep names the step that failed the job; LogTail is the last
	// lines of its output.
	FailedStep string   `json:"failed_step"`
	LogTail    []string `json:"log_tail"`
	// Hint says what a failed job's output suggests went wrong beyond the
	// job itself: today, that the network could not be reached.
	Hint    string `json:"hint"`
	LogFile string `json:"log_file"`
	// Executor ran the job: "host" or "container"; Builder is the BuildKit
	// address and Image the job's image, for a container job. Empty for a
	// job that did not start.
	Executor string `json:"executor"`
	Builder  string `json:"builder"`
	Image    string `json:"image"`
	// Placement says why the job went to Builder, QueueMS how long it
	// waited for a free builder, and Retried why it ran again after the
	// builder it first ran on was lost; in a run spread over several
	// builders only.
	Placement string `json:"placement"`
	QueueMS   int64  `json:"queue_ms"`
	Retried   string `json:"retried"`
}

// StepResult is one step. Outcome is the result before continue-on-error,
// Conclusion after it, as in the steps context.
type StepResult struct {
	Name       string            `json:"name"`
	ID         string            `json:"id"`
	Outcome    Conclusion        `json:"outcome"`
	Conclusion Conclusion        `json:"conclusion"`
	DurationMS int64             `json:"duration_ms"`
	Outputs    map[string]string `json:"outputs"`
	Reason     string            `json:"reason"`
}

// Annotation is an ::error, ::warning or ::notice (or a failure the runner
// reports itself), with its path relative to the repository root.
type Annotation struct {
	Level   string `json:"level"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// Artifact is one uploaded artifact of the run.
type Artifact struct {
	Name  string `json:"name"`
	Job   string `json:"job"`
	Files int    `json:"files"`
	Size  int64  `json:"size"`
	Path  string `json:"path"`
}

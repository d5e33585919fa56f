package workflow

import (
	"fmt"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/matrix"
)

// Pos is a 1-based position in a workflow file.
type Pos struct{ Line, Col int }

// String is a workflow value as written, with where it was written. Values
// may hold ${{ }} expressions that are evaluated when the job runs.
type String struct {
	Value string
	Pos   Pos
}

// HasExpr reports whether the value contains a ${{ }} expression.
func (s *String) HasExpr() bool { return s != nil && strings.Contains(s.Value, "${{") }

// Text returns the value, or "" for a nil String.
func (s *String) Text() string {
	if s == nil {
		return ""
	}
	return s.Value
}

// Flag is a boolean setting that may be given as an expression
// (continue-on-error: ${{ matrix.experimental }}).
type Flag struct {
	Value bool
	Expr  *String // non-nil when the value is an expression
	Pos   Pos
}

// Number is a numeric setting that may be given as an expression
// (timeout-minutes, max-parallel).
type Number struct {
	Value float64
	Expr  *String
	Pos   Pos
}

// EnvVar is one entry of an env: mapping.
type EnvVar struct {
	Name  string
	Value String
}

// Env is an env: mapping, in file order, or one expression yielding an object.
type Env struct {
	Vars []EnvVar
	Expr *String
}

// Input is one key of a with: mapping (action inputs, reusable workflow inputs).
type Input struct {
	Name  string
	Value String
}

// Defaults is a defaults.run section.
type Defaults struct {
	Shell            *String
	WorkingDirectory *String
}

// Workflow is one workflow file.
type Workflow struct {
	// Path is the file's path relative to the repository root, slash-separated.
	Path string
	// Name is the workflow's name; GitHub shows the file path when it has none.
	Name     string
	HasName  bool
	RunName  *String
	Triggers []trigger.Filter
	// Call is the workflow_call trigger of a reusable workflow, or nil.
	Call     *CallTrigger
	Env      Env
	Defaults Defaults
	// Jobs in file order, which is the order GitHub lists them.
	Jobs []*Job
	// Source is the file's content, kept for snippets in error output.
	Source []byte
}

// CallTrigger is `on.workflow_call` of a reusable workflow.
type CallTrigger struct {
	Inputs  []CallInput
	Outputs []Input // output name and its value expression
	Secrets []string
}

// CallInput is one declared input of a reusable workflow.
type CallInput struct {
	Name     string
	Type     string // string, boolean, number
	Default  *String
	Required bool
}

// Job is one entry under jobs:.
type Job struct {
	ID  string
	Pos Pos
	// Name is the job's name: key, nil when absent (GitHub then uses the id).
	Name  *String
	Needs []string
	// RunsOn labels; RunsOnExpr when runs-on is one expression; RunsOnGroup for runner groups.
	RunsOn      []String
	RunsOnExpr  *String
	RunsOnGroup *String
	If          *String
	Env         Env
	Defaults    Defaults
	Steps       []*Step
	// TimeoutMinutes is nil when absent (GitHub's default is 360).
	TimeoutMinutes  *Number
	ContinueOnError *Flag
	Strategy        *Strategy
	Environment     *Environment
	Outputs         []Input
	Container       *Container
	Services        []string
	// Uses is set when the job calls a reusable workflow.
	Uses           *String
	With           []Input
	Secrets        []Input
	InheritSecrets bool
}

// DisplayName is the job's name before matrix values are appended.
func (j *Job) DisplayName() string {
	if j.Name != nil && j.Name.Value != "" {
		return j.Name.Value
	}
	return j.ID
}

// Environment is a job's environment: (a GitHub deployment environment).
type Environment struct {
	Name *String
	URL  *String
}

// Container is a job's container: section.
type Container struct {
	Image *String
	Env   Env
	// Options is the options: string (docker create flags).
	Options *String
	// Username and Password are credentials:, when given.
	Username, Password *String
	Pos                Pos
}

// Strategy is a job's strategy: section.
type Strategy struct {
	Matrix      *Matrix
	FailFast    *Flag
	MaxParallel *Number
	Pos         Pos
}

// Matrix is strategy.matrix, decoded with YAML's types (3.10 is the number 3.1,
// as on GitHub).
type Matrix struct {
	Spec matrix.Spec
	// Expr is set when the whole matrix is one expression; KeyExprs when
	// one of its rows, include or exclude is. Either way the matrix is
	// resolved when the job is about to run (fromJSON(needs.x.outputs.m)).
	// A row given as an expression keeps its place in Spec.Axes with no
	// values.
	Expr     *String
	KeyExprs []Input
	Pos      Pos
}

// Deferred reports whether the matrix can only be expanded at run time.
func (m *Matrix) Deferred() bool { return m != nil && (m.Expr != nil || len(m.KeyExprs) > 0) }

// Source is the matrix's expression text, for messages.
func (m *Matrix) Source() string {
	if m.Expr != nil {
		return m.Expr.Value
	}
	var parts []string
	for _, k := range m.KeyExprs {
		parts = append(parts, k.Name+": "+k.Value.Value)
	}
	return strings.Join(parts, ", ")
}

// Step is one entry of a job's steps:.
type Step struct {
	// Index is the 0-based position in the job.
	Index            int
	Pos              Pos
	ID               *String
	Name             *String
	If               *String
	Run              *String
	Shell            *String
	WorkingDirectory *String
	Uses             *String
	With             []Input
	Env              Env
	ContinueOnError  *Flag
	TimeoutMinutes   *Number
}

// DisplayName is the step's name as GitHub shows it before evaluation:
// name: on one line, else "Run <first line of script>", else "Run <action>".
func (s *Step) DisplayName() string {
	if s.Name != nil && s.Name.Value != "" {
		return OneLine(s.Name.Value)
	}
	if s.Run != nil {
		line, _, _ := strings.Cut(strings.TrimSpace(s.Run.Value), "\n")
		return "Run " + strings.TrimSpace(line)
	}
	if s.Uses != nil {
		return "Run " + s.Uses.Value
	}
	return fmt.Sprintf("Step %d", s.Index+1)
}

// WithValue returns the with: input named name (case-insensitive, as the
// runner treats input names), or nil.
func (s *Step) WithValue(name string) *String {
	for i := range s.With {
		if strings.EqualFold(s.With[i].Name, name) {
			return &s.With[i].Value
		}
	}
	return nil
}

// OneLine joins the lines of a multi-line name with spaces, as a step's
// name is shown on one line in the job's log and the checks list.
func OneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

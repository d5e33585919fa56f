package matrix

import (
	"errors"
	"fmt"
)

// Section tells which part of strategy.matrix an [Error] is about, so that the
// caller can point at the YAML node.
type Section int

// The parts of a matrix an [Error] can point at.
const (
	// SectionMatrix is the matrix mapping as a whole.
	SectionMatrix Section = iota
	// SectionAxis is the axis (GitHub: vector) named by [Error.Axis].
	SectionAxis
	// SectionInclude is the entry [Error.Index] of matrix.include.
	SectionInclude
	// SectionExclude is the entry [Error.Index] of matrix.exclude, or its key
	// [Error.Key] when that is set.
	SectionExclude
)

// String returns the section's name as used in workflow files.
func (s Section) String() string {
	switch s {
	case SectionMatrix:
		return "matrix"
	case SectionAxis:
		return "axis"
	case SectionInclude:
		return "include"
	case SectionExclude:
		return "exclude"
	}
	return fmt.Sprintf("Section(%d)", int(s))
}

// maxErrors is how many errors GitHub keeps for one evaluation of a strategy;
// later ones are dropped (actions/runner: src/Sdk/WorkflowParser/
// WorkflowTemplateEvaluator.cs MaxErrors, ObjectTemplating/
// TemplateValidationErrors.cs Add).
const maxErrors = 10

// maxJobs is GitHub's limit on the jobs one matrix may create. The docs say
// "A matrix will generate a maximum of 256 jobs per workflow run"
// (github/docs: data/reusables/actions/jobs/using-matrix-strategy.md).
const maxJobs = 256

// Error is a problem GitHub reports when it expands a matrix. Message is
// GitHub's wording, without the "file (Line: l, Col: c): " prefix GitHub puts
// in front; Section, Axis, Index and Key say where it is.
type Error struct {
	Message string
	Section Section
	// Axis is the axis name for SectionAxis.
	Axis string
	// Index is the position in Spec.Include or Spec.Exclude for
	// SectionInclude and SectionExclude.
	Index int
	// Key is the offending key inside that entry, if any.
	Key string
}

// Error returns Message.
func (e *Error) Error() string { return e.Message }

// errorList collects errors up to GitHub's limit.
type errorList []*Error

func (l *errorList) add(e *Error) {
	if len(*l) < maxErrors {
		*l = append(*l, e)
	}
}

func (l errorList) err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// The messages below are copied from GitHub's parser; each names its source.

// actions/runner: src/Sdk/WorkflowParser/Conversion/WorkflowTemplateConverter.cs (ConvertToStrategy).
func errEmptyAxis(name string) *Error {
	return &Error{
		Message: fmt.Sprintf("Matrix vector '%s' does not contain any values", name),
		Section: SectionAxis,
		Axis:    name,
	}
}

// actions/runner: src/Sdk/WorkflowParser/Conversion/WorkflowTemplateConverter.cs (ConvertToStrategy).
func errNoVector() *Error {
	return &Error{Message: "Matrix must define at least one vector", Section: SectionMatrix}
}

// GitHub keeps axes in a dictionary (MatrixBuilder.AddVector), whose Add
// throws .NET's duplicate-key ArgumentException; its message is what GitHub
// shows. actionlint rejects such YAML earlier ("key ... is duplicated").
func errDuplicateAxis(name string) *Error {
	return &Error{
		Message: fmt.Sprintf("An item with the same key has already been added. Key: %s", name),
		Section: SectionAxis,
		Axis:    name,
	}
}

// actions/runner: src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs (MatrixInclude).
func errEmptyInclude(i int) *Error {
	return &Error{
		Message: "Matrix include mapping does not contain any values",
		Section: SectionInclude,
		Index:   i,
	}
}

// actions/runner: src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs (MatrixExclude).
func errEmptyExclude(i int) *Error {
	return &Error{
		Message: "Matrix exclude filter must not be empty",
		Section: SectionExclude,
		Index:   i,
	}
}

// actions/runner: src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs
// (MatrixExclude); seen verbatim on github.com in actions/runner#2111.
func errUnknownExcludeKey(i int, key string) *Error {
	return &Error{
		Message: fmt.Sprintf("Matrix exclude key '%s' does not match any key within the matrix", key),
		Section: SectionExclude,
		Index:   i,
		Key:     key,
	}
}

// GitHub checks the job count after expansion and throws
// MaxJobExpansionException($"Strategy produced more than {maxJobs}") with
// maxJobs 256 (actions/runner: src/Sdk/DTPipelines/Pipelines/JobFactory.cs
// ExpandContexts); github.com shows ".github#L1 Strategy produced more than
// 256" (replicatedhq/kURL#1704).
func errTooManyJobs() *Error {
	return &Error{
		Message: fmt.Sprintf("Strategy produced more than %d", maxJobs),
		Section: SectionMatrix,
	}
}

// errTooCostly is rehearse's own limit, not GitHub's: see maxSteps.
func errTooCostly(combinations int) *Error {
	return &Error{
		Message: fmt.Sprintf("rehearse gave up expanding this matrix after %d steps: it could not work out which of its %d combinations its exclude entries leave; list the jobs with include entries, or use fewer values",
			maxSteps, combinations),
		Section: SectionMatrix,
	}
}

// MatrixBuilder.Build multiplies the axis lengths in a C# checked block, so a
// product beyond Int32 throws OverflowException, whose message GitHub shows.
func errOverflow() *Error {
	return &Error{
		Message: "Arithmetic operation resulted in an overflow.",
		Section: SectionMatrix,
	}
}

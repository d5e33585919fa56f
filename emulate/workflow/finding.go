package workflow

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity tells whether GitHub would refuse a workflow because of a finding.
type Severity int

const (
	// SeverityWarning is a finding GitHub accepts (style, shellcheck, unknown
	// action inputs, runner labels...). plan and run print it and go on.
	SeverityWarning Severity = iota
	// SeverityError is a finding that makes GitHub reject the file as an
	// invalid workflow (YAML and schema errors, expression syntax, unknown
	// contexts, unknown or cyclic needs, invalid matrices).
	SeverityError
)

func (s Severity) String() string {
	if s == SeverityError {
		return "error"
	}
	return "warning"
}

// Finding is one problem found in a workflow file, positioned in it.
type Finding struct {
	// Path is the file's path relative to the repository root, with slashes.
	Path string
	// Line and Column are 1-based; 0 when the problem has no position.
	Line, Column int
	// Message is what is wrong, lowercase, no trailing period.
	Message string
	// Kind is the rule that found it (actionlint's rule names, or "syntax-check").
	Kind     string
	Severity Severity
}

// String formats the finding as `path:line:col: message [kind]`, without
// its level (the plan's JSON lists errors and warnings apart).
func (f *Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Column, f.Message, f.Kind)
}

// Annotation formats the finding as `path:line:col: level: message [kind]`,
// level being error or warning ([Severity]): the form of rehearse run's
// annotations, which the problem matcher and the vim errorformat in the
// README read. rehearse lint prints it.
func (f *Finding) Annotation() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.Path, f.Line, f.Column, f.Severity, f.Message, f.Kind)
}

// SortFindings sorts findings by file and position and drops exact duplicates
// (YAML aliases make actionlint report some twice).
func SortFindings(fs []*Finding) []*Finding {
	slices.SortStableFunc(fs, func(a, b *Finding) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.CompactFunc(fs, func(a, b *Finding) bool { return *a == *b })
}

// HasErrors reports whether any finding makes GitHub refuse the workflow.
func HasErrors(fs []*Finding) bool {
	return slices.ContainsFunc(fs, func(f *Finding) bool { return f.Severity == SeverityError })
}

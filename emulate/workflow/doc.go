// Package workflow loads GitHub Actions workflow files, validates them with
// actionlint, and converts actionlint's syntax tree into the model the rest of
// rehearse works on.
//
// It is one of the two packages that import actionlint (expr is the other):
// actionlint's library API may change in any patch release, so any breakage
// stays here.
//
// Two channels of problems, as in actionlint: a problem with a workflow is a
// [Finding] with a position; a broken tool (unreadable directory) is a Go error.
// Findings carry a [Severity]: [SeverityError] for what GitHub itself refuses
// as an invalid workflow file, [SeverityWarning] for everything else, so that
// workflows that run on GitHub also run here.
package workflow

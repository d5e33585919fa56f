package workflow

import "strings"

// refusedKinds are actionlint rules whose every finding GitHub also refuses
// when it parses the workflow ("Invalid workflow file").
var refusedKinds = map[string]bool{
	"syntax-check":  true, // YAML and schema errors
	"job-needs":     true, // unknown or cyclic needs
	"id":            true, // invalid or duplicated job and step ids
	"permissions":   true, // unknown scopes or levels
	"workflow-call": true, // reusable workflow misuse
}

// classify decides whether GitHub refuses the file for a finding.
func classify(kind, msg string) Severity {
	if refusedKinds[kind] {
		return SeverityError
	}
	switch kind {
	case "expression":
		// GitHub's parser rejects syntax errors, unknown named-values and
		// functions, and contexts used where they are not available. Type
		// mismatches and unknown properties (github.foo) evaluate to null
		// on GitHub, so they stay warnings.
		for _, p := range refusedExpressionMessages {
			if strings.Contains(msg, p) {
				return SeverityError
			}
		}
	case "events":
		// "scheduled job runs too frequently" is accepted by GitHub (it
		// clamps the interval); every other event finding is a schema error.
		if !strings.Contains(msg, "runs too frequently") {
			return SeverityError
		}
	case "matrix":
		// GitHub refuses an exclude key that names no matrix key ("Matrix
		// exclude key ... does not match any key within the matrix"), and
		// so an exclude with no matrix key at all ("Matrix must define at
		// least one vector"). An exclude value that matches no combination
		// only excludes nothing, and duplicated values are accepted: those
		// stay warnings (see dropLooseExcludeMatches for values that do
		// match as GitHub compares them).
		for _, p := range refusedMatrixMessages {
			if strings.Contains(msg, p) {
				return SeverityError
			}
		}
	case "action":
		if strings.Contains(msg, "invalid format") {
			return SeverityError
		}
	}
	return SeverityWarning
}

// refusedMatrixMessages are the parts of actionlint's matrix messages
// (rule_matrix.go) for what GitHub refuses.
var refusedMatrixMessages = []string{
	`in "exclude" section does not exist in matrix`, // unknown exclude key
	`"exclude" section exists but no matrix variation exists`,
}

var refusedExpressionMessages = []string{
	"undefined variable",
	"undefined function",
	"is not allowed here",
	"unexpected",             // lexer and parser errors ("got unexpected character", "unexpected end of input")
	"parser did not reach",   // trailing tokens
	"parsing invalid",        // malformed number literals
	"is not closed",          // "${{" without "}}"
	"requires an odd number", // case() arity
	"number of arguments",    // function arity
}

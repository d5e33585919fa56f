package toolchain

import (
	"strconv"
	"strings"
)

// NotFoundError says that no installed toolchain satisfies a version spec.
// Message is the setup action's own failure text, which rehearse prints as
// the step's error annotation; Hint tells the user how to get one locally.
type NotFoundError struct {
	// Tool is "python", "go" or "node".
	Tool string
	// Spec is the version input as given.
	Spec string
	// Message is the setup action's error, verbatim.
	Message string
	// Installed lists the versions that were found.
	Installed []string
	// Hint suggests how to install a matching version.
	Hint string
}

// Error returns the action's message, the installed versions and the hint,
// one per line.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	b.WriteString("\ninstalled: ")
	if len(e.Installed) == 0 {
		b.WriteString("none")
	} else {
		b.WriteString(strings.Join(e.Installed, ", "))
	}
	if e.Hint != "" {
		b.WriteString("\nhint: " + e.Hint)
	}
	return b.String()
}

// UnsupportedError is a version spec that needs GitHub's release manifests
// to resolve (lts/*, stable, nightly), which a local run does not have.
type UnsupportedError struct {
	Tool, Spec, Reason string
}

// Error says which spec cannot be resolved and why.
func (e *UnsupportedError) Error() string {
	return "cannot resolve " + e.Tool + " version " + strconv.Quote(e.Spec) + " locally: " + e.Reason
}

// ActionError is a setup action's own failure for a malformed input or a
// missing version file, with its text verbatim.
type ActionError struct {
	Msg string
}

// Error returns the action's message.
func (e *ActionError) Error() string { return e.Msg }

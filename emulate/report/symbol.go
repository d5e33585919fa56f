package report

// Symbol returns the mark shown before a job with conclusion c, as in
// GitHub's checks list: ✓ success, ✗ failure, ⊘ cancelled, - skipped, and
// ○ for a cell this machine did not run. An unknown conclusion (a job still
// running) gets a blank of the same width so columns stay aligned.
func (c Conclusion) Symbol() string {
	switch c {
	case Success:
		return "✓"
	case Failure:
		return "✗"
	case Cancelled:
		return "⊘"
	case Skipped:
		return "-"
	case NotRunLocally:
		return "○"
	}
	return " "
}

// ANSI returns the SGR escape sequence that colors c on a terminal (green,
// red, yellow, or faint for what did not run), or "" for an unknown
// conclusion. End the colored text with [ANSIReset].
func (c Conclusion) ANSI() string {
	switch c {
	case Success:
		return "\x1b[32m"
	case Failure:
		return "\x1b[31m"
	case Cancelled:
		return "\x1b[33m"
	case Skipped, NotRunLocally:
		return "\x1b[2m"
	}
	return ""
}

// Text is c as the text summary and the live view write it: the token,
// with "not run locally" in words, and "unknown" for a job or step that
// ended without a conclusion (the executor lost it).
func (c Conclusion) Text() string {
	switch c {
	case "":
		return "unknown"
	case NotRunLocally:
		return "not run locally"
	}
	return string(c)
}

// ANSIReset ends text colored with [Conclusion.ANSI].
const ANSIReset = "\x1b[0m"

// paint wraps s in c's color when color is on.
func (c Conclusion) paint(s string, color bool) string {
	if !color || c.ANSI() == "" {
		return s
	}
	return c.ANSI() + s + ANSIReset
}

package trigger

import (
	"strings"
)

// skipMarkers are the strings that skip push and pull_request workflows
// (docs: skip-workflow-runs).
var skipMarkers = []string{"[skip ci]", "[ci skip]", "[no ci]", "[skip actions]", "[actions skip]"}

// SkipCI reports whether the head commit message asks GitHub not to run
// push and pull_request workflows (docs: skip-workflow-runs): the message
// contains [skip ci], [ci skip], [no ci], [skip actions] or [actions skip],
// or it ends with a skip-checks:true (or skip-checks: true) trailer.
//
// Skip instructions apply only to push and pull_request, not to
// pull_request_target or any other event. GitHub reads the message of the
// pushed head commit, or the head commit of the pull request.
func SkipCI(ev *Event) bool {
	if ev.Name != "push" && ev.Name != "pull_request" {
		return false
	}
	msg := ev.HeadCommitMessage
	for _, m := range skipMarkers {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return hasSkipChecksTrailer(msg)
}

// hasSkipChecksTrailer reports whether the message's trailer block ends with
// skip-checks. The docs ask for the trailers "at the end of your commit
// message ... preceded by two empty lines" (that is, two newlines: a blank
// line between the body and the trailers, as in Git) and say that with other
// trailers "skip-checks should be last".
func hasSkipChecksTrailer(msg string) bool {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(msg, "\r\n", "\n"), "\n \t"), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if last != "skip-checks:true" && last != "skip-checks: true" {
		return false
	}
	// Walk up the trailer block; it must be separated from the subject (and
	// body) by a blank line, or it is part of the message text.
	for i := len(lines) - 2; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			return i > 0
		}
		if !isTrailer(l) {
			return false
		}
	}
	return false
}

// isTrailer reports whether a line looks like a Git trailer, "Key: value" or
// "Key:value", where the key has no spaces.
func isTrailer(line string) bool {
	key, _, ok := strings.Cut(line, ":")
	return ok && key != "" && !strings.ContainsAny(key, " \t")
}

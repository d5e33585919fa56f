package report

import (
	"regexp"
	"strings"
)

// networkFailure matches how pip, curl, wget, git, npm, Python's socket
// errors and Go's (rehearse's own downloads: setup-uv) say a host could not
// be reached: a DNS failure, a refused
// connection, a timeout or an unreachable network.
var networkFailure = regexp.MustCompile(`(?i)` + strings.Join([]string{
	// DNS
	`temporary failure in name resolution`,
	`name or service not known`,
	`nodename nor servname provided`,
	`no address associated with hostname`,
	`could not resolve host`,
	`could not resolve proxy`,
	`unable to resolve host address`,
	`getaddrinfo (?:enotfound|eai_again)`,
	`\b(?:enotfound|eai_again)\b`,
	`dial tcp: lookup .*: no such host`,
	// refused
	`connection refused`,
	`\beconnrefused\b`,
	// timeouts
	`connection timed out`,
	`\betimedout\b`,
	`connecttimeouterror`,
	`read timed out`,
	`operation timed out`,
	`failed to connect to .* port \d+`,
	`dial tcp .*: i/o timeout`,
	// no route
	`network is unreachable`,
	`\benetunreach\b`,
	`no route to host`,
}, "|"))

// offlineHint is where the README explains running without the internet.
const offlineHint = "this machine (or the job's container) could not reach the network; to run offline, serve packages from a local index (README: Offline), or check the proxy and DNS settings"

// NetworkHint returns a note for a failed job whose output shows a network
// failure, quoting the first such line, or "" when it shows none.
func NetworkHint(lines []string) string {
	for _, l := range lines {
		if networkFailure.MatchString(l) {
			return offlineHint + " (" + strings.TrimSpace(shorten(l, 160)) + ")"
		}
	}
	return ""
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

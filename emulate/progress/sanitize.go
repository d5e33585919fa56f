package progress

import (
	"regexp"
	"strings"
)

// escapes matches terminal escape sequences: CSI (colors, cursor moves),
// OSC (titles, hyperlinks) and the two-byte forms.
var escapes = regexp.MustCompile(`\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])`)

// plainLines turns one Output line into what Plain mode prints: split at
// any newline the sender left in, with escape sequences and control
// characters removed (Plain output goes to files and editors that would
// show them as garbage). Of a line with carriage returns only the part
// after the last one is kept, because that is all a terminal would show
// of a progress bar that redraws itself ("10%\r20%\r30%").
func plainLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		if k := strings.LastIndexByte(l, '\r'); k >= 0 {
			l = l[k+1:]
		}
		lines[i] = stripControls(escapes.ReplaceAllString(l, ""))
	}
	return lines
}

// stripControls removes C0 control characters but tabs, and DEL.
func stripControls(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }

// oneLine makes a name fit on one line of the live view: escape sequences
// and control characters go, newlines and tabs become spaces.
func oneLine(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	return stripControls(escapes.ReplaceAllString(s, ""))
}

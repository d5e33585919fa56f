package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// String prints a in the form compilers use and the VS Code problem matcher
// in testdata/problem-matcher.json reads:
//
//	path:line:col: level: title: message
//
// Parts that a is missing are left out: no column gives "path:line:", no
// line gives "path:" (the annotation belongs to the whole file), no file
// gives just "level: message". A multi-line message keeps its first line
// here; the summary prints the rest indented below it.
func (a Annotation) String() string {
	var b strings.Builder
	if a.File != "" {
		b.WriteString(a.File)
		if a.Line > 0 {
			b.WriteString(":" + strconv.Itoa(a.Line))
			if a.Col > 0 {
				b.WriteString(":" + strconv.Itoa(a.Col))
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(a.level())
	b.WriteString(": ")
	if a.Title != "" {
		b.WriteString(a.Title + ": ")
	}
	first, _, _ := strings.Cut(a.Message, "\n")
	b.WriteString(strings.TrimRight(first, "\r"))
	return b.String()
}

// level is a.Level as the matcher expects it: one of error, warning and
// notice, lower case. Workflow commands are case-insensitive
// (`::Warning::` works on GitHub), and anything unknown is shown as a
// notice rather than dropped.
func (a Annotation) level() string {
	switch l := strings.ToLower(a.Level); l {
	case "error", "warning", "notice":
		return l
	}
	return "notice"
}

// continuation returns the lines of a multi-line message after the first.
func (a Annotation) continuation() []string {
	_, rest, ok := strings.Cut(a.Message, "\n")
	if !ok {
		return nil
	}
	return strings.Split(strings.TrimRight(rest, "\r\n"), "\n")
}

// allAnnotations collects the annotations of every job, sorted by
// position and with duplicates removed: the cells of a matrix usually
// report the same lint finding once each, and a problem matcher should see
// it once (actionlint sorts and de-duplicates its findings the same way).
func allAnnotations(r *Report) []Annotation {
	// Collected in job order, each once; at one position they stay in job
	// order, not in the order the jobs finished or by message.
	var all []Annotation
	seen := map[string]bool{}
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			for _, a := range j.Annotations {
				if k := a.key(); !seen[k] {
					seen[k] = true
					all = append(all, a)
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b Annotation) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(severityRank(a), severityRank(b)),
		)
	})
	return all
}

// severityRank puts errors before warnings before notices at one position.
func severityRank(a Annotation) int {
	switch a.level() {
	case "error":
		return 0
	case "warning":
		return 1
	}
	return 2
}

// key identifies an annotation the way the summary de-duplicates them.
func (a Annotation) key() string {
	return fmt.Sprintf("%s\x00%d\x00%d\x00%s\x00%s\x00%s", a.File, a.Line, a.Col, a.level(), a.Title, a.Message)
}

package matrix

import (
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// maxNameLength is the longest display name GitHub keeps, counted in UTF-16
// code units as C# strings are (actions/runner:
// src/Sdk/WorkflowParser/Conversion/JobNameBuilder.cs maxNameLength).
const maxNameLength = 100

// DisplayName returns the job's name as GitHub shows it: `name (v1, v2)`.
//
// jobName is the job's name: as written, or the job id when the job has no
// `name:`. When nameHasExpr is set, the job's `name:` contains ${{ }}:
// GitHub then builds no suffix and cuts nothing, and evaluates the name
// against each job's matrix instead (actions/runner:
// src/Sdk/DTPipelines/Pipelines/JobFactory.cs passes no name to the matrix
// builder in that case), so jobName is expected to be that evaluated name
// and is returned as it is.
//
// Otherwise the suffix lists every scalar of the cell's matrix context in
// order, nested objects and arrays walked depth first, keys omitted; null and
// the empty string are skipped; booleans print as true and false and numbers
// with 15 significant digits. Values an include entry added to an original
// combination are not listed (MatrixBuilder.CreateConfiguration builds the
// name before it adds them). With nothing to list there are no parentheses.
// A name longer than 100 UTF-16 code units keeps its first 97 and gets "..."
// (JobNameBuilder.Build), which also applies to a job without a matrix
// (pass a zero Cell).
func DisplayName(jobName string, nameHasExpr bool, c Cell) string {
	if nameHasExpr || jobName == "" {
		return jobName
	}
	var segs []string
	added := func(k string) bool { return slices.Contains(c.Added, k) }
	if len(c.Added) > 16 {
		// Include entries can add thousands of keys to a cell.
		set := make(map[string]bool, len(c.Added))
		for _, k := range c.Added {
			set[k] = true
		}
		added = func(k string) bool { return set[k] }
	}
	c.Values.Range(func(k string, v expr.Value) bool {
		if !added(k) {
			segs = appendSegments(segs, v)
		}
		return true
	})
	name := jobName
	if len(segs) > 0 {
		name = jobName + " (" + strings.Join(segs, ", ") + ")"
	}
	return truncateName(name)
}

// appendSegments adds the display-name segments of v: GitHub walks the
// matrix with Traverse(omitKeys: true) and keeps booleans, numbers and
// non-empty strings (MatrixBuilder.CreateConfiguration).
func appendSegments(segs []string, v expr.Value) []string {
	switch v := v.(type) {
	case bool:
		if v {
			return append(segs, "true")
		}
		return append(segs, "false")
	case float64:
		return append(segs, expr.FormatNumber(v))
	case string:
		if v != "" {
			return append(segs, v)
		}
	case []any:
		for _, e := range v {
			segs = appendSegments(segs, e)
		}
	case *expr.Object:
		v.Range(func(_ string, e expr.Value) bool {
			segs = appendSegments(segs, e)
			return true
		})
	}
	return segs
}

// truncateName cuts name as C#'s name.Substring(0, 97) + "..." does when it
// is longer than 100 UTF-16 code units. A cut through a surrogate pair leaves
// a lone surrogate in C#, which cannot be encoded and shows as U+FFFD.
func truncateName(name string) string {
	if utf8.RuneCountInString(name) <= maxNameLength/2 {
		return name // fast path: cannot exceed 100 code units
	}
	units := 0
	for i, r := range name {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1 // invalid UTF-8 decodes to U+FFFD, one unit
		}
		if units+n > maxNameLength-3 {
			if utf16Len(name[i:])+units <= maxNameLength {
				return name
			}
			if units < maxNameLength-3 {
				// Only the high surrogate of r fits.
				return name[:i] + "\uFFFD..."
			}
			return name[:i] + "..."
		}
		units += n
	}
	return name
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

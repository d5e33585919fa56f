package trigger

import (
	"fmt"
	"regexp"
	"strings"
)

// Pattern is one compiled entry of a `branches`, `tags`, `paths` (or their
// `-ignore` twins) list, following GitHub's "Filter pattern cheat sheet"
// (docs: workflow-syntax#filter-pattern-cheat-sheet):
//
//	pattern  matches
//	*        zero or more characters except /
//	**       zero or more of any character; **/ also matches no directory
//	?        zero or one of the preceding character
//	+        one or more of the preceding character
//	[...]    one character listed or in a range (a-z, A-Z, 0-9 only)
//	!x       (at the start) negates the pattern x
//	\x       x literally, for x one of [ ? * + \ !
//
// Matching is against the whole name (paths "must match the whole path, and
// start from the repository's root") and is case-sensitive, as Git refs and
// paths are.
type Pattern struct {
	// Source is the pattern as written, including a leading !.
	Source string
	// Negated is true when the pattern starts with !: a later match of it
	// excludes a name that an earlier positive pattern included.
	Negated bool
	re      *regexp.Regexp
}

// PatternError is a pattern GitHub would reject; the whole workflow then fails
// to parse and does not run.
type PatternError struct {
	Pattern string
	// Offset is the 0-based byte offset of the problem in Pattern.
	Offset int
	Reason string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("invalid filter pattern %q at offset %d: %s", e.Pattern, e.Offset, e.Reason)
}

// CompilePattern parses one filter pattern.
//
// The syntax errors are the ones actionlint's glob.go reports (a quantifier
// with nothing or another special character before it, an empty or unclosed
// [], a backwards or non-alphanumeric range), since GitHub refuses those
// workflows.
func CompilePattern(src string) (*Pattern, error) {
	p := &Pattern{Source: src}
	body := src
	if strings.HasPrefix(body, "!") {
		p.Negated = true
		body = body[1:]
	}
	fail := func(off int, reason string) (*Pattern, error) {
		if p.Negated {
			off++
		}
		return nil, &PatternError{Pattern: src, Offset: off, Reason: reason}
	}
	if body == "" {
		return fail(0, "pattern is empty")
	}

	var re strings.Builder
	re.WriteString(`^`)
	// quantifiable is true when the last thing written is a single literal
	// character or a [] class, the only atoms ? and + may follow.
	quantifiable := false
	for i := 0; i < len(body); {
		c := body[i]
		switch c {
		case '\\':
			if i+1 < len(body) && strings.IndexByte(`[?*+\!]`, body[i+1]) >= 0 {
				re.WriteString(regexp.QuoteMeta(body[i+1 : i+2]))
				i += 2
			} else {
				// A lone backslash is an ordinary character: file paths may
				// contain one (actionlint glob.go).
				re.WriteString(`\\`)
				i++
			}
			quantifiable = true
		case '*':
			switch {
			case strings.HasPrefix(body[i:], "**/"):
				// "**/README.md" matches "README.md" at the root too
				// (cheat sheet: `'**/README.md'` matches `README.md`).
				re.WriteString(`(?:.*/)?`)
				i += 3
			case strings.HasPrefix(body[i:], "**"):
				re.WriteString(`.*`)
				i += 2
			default:
				re.WriteString(`[^/]*`)
				i++
			}
			quantifiable = false
		case '?', '+':
			if !quantifiable {
				return fail(i, fmt.Sprintf("%q must follow a literal character or a [] class", string(c)))
			}
			re.WriteByte(c)
			i++
			quantifiable = false
		case '[':
			class, n, err := compileClass(body[i:])
			if err != nil {
				return fail(i+n, err.Error())
			}
			re.WriteString(class)
			i += n
			quantifiable = true
		default:
			// Copy one whole UTF-8 sequence so QuoteMeta never splits it.
			j := i + 1
			for j < len(body) && body[j]&0xC0 == 0x80 {
				j++
			}
			re.WriteString(regexp.QuoteMeta(body[i:j]))
			i = j
			quantifiable = true
		}
	}
	re.WriteString(`$`)
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		// Unreachable for the syntax accepted above; kept so a mistake here
		// shows up as an error rather than a panic.
		return fail(0, err.Error())
	}
	p.re = compiled
	return p, nil
}

// compileClass translates the [] at the start of s into a regexp class and
// returns how many bytes of s it used. On error the count is the offset of
// the problem.
func compileClass(s string) (string, int, error) {
	var b strings.Builder
	b.WriteByte('[')
	i := 1
	if i < len(s) && s[i] == ']' {
		return "", i, fmt.Errorf("character match [] must not be empty")
	}
	for i < len(s) && s[i] != ']' {
		lo := s[i]
		if i+2 < len(s) && s[i+1] == '-' && s[i+2] != ']' {
			hi := s[i+2]
			if !sameRangeClass(lo, hi) || lo > hi {
				return "", i, fmt.Errorf("range %q is invalid: ranges can only include a-z, A-Z and 0-9", s[i:i+3])
			}
			b.WriteString(regexp.QuoteMeta(string(lo)) + "-" + regexp.QuoteMeta(string(hi)))
			i += 3
			continue
		}
		if lo == '-' && i+1 < len(s) && s[i+1] == ']' && i > 1 {
			return "", i, fmt.Errorf("range in [] is missing its end")
		}
		b.WriteString(regexp.QuoteMeta(string(lo)))
		i++
	}
	if i >= len(s) {
		return "", i, fmt.Errorf("missing ] to close [")
	}
	b.WriteByte(']')
	return b.String(), i + 1, nil
}

func sameRangeClass(lo, hi byte) bool {
	in := func(c, a, z byte) bool { return c >= a && c <= z }
	return (in(lo, 'a', 'z') && in(hi, 'a', 'z')) ||
		(in(lo, 'A', 'Z') && in(hi, 'A', 'Z')) ||
		(in(lo, '0', '9') && in(hi, '0', '9'))
}

// Match reports whether name matches the pattern, ignoring its negation.
func (p *Pattern) Match(name string) bool {
	return p.re.MatchString(name)
}

// CompilePatterns compiles a filter list, stopping at the first bad pattern.
func CompilePatterns(srcs []string) ([]*Pattern, error) {
	out := make([]*Pattern, 0, len(srcs))
	for _, s := range srcs {
		p, err := CompilePattern(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// MatchList reports whether name is included by an ordered pattern list:
// patterns are checked in order and the last one that matches decides, so a
// matching !pattern after a positive match excludes the name and a later
// positive match includes it again (docs: "The order that you define
// patterns matters").
func MatchList(patterns []*Pattern, name string) bool {
	included := false
	for _, p := range patterns {
		if p.Match(name) {
			included = !p.Negated
		}
	}
	return included
}

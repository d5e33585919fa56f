package glob

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
)

// matchKind mirrors @actions/glob internal-match-kind.ts: a bit set of what a
// path may be for a pattern to count as matched.
type matchKind int

const (
	matchNone      matchKind = 0
	matchDirectory matchKind = 1
	matchFile      matchKind = 2
	matchAll                 = matchDirectory | matchFile
)

// RelativePathError reports a pattern with a ".." segment, or a "." segment
// other than the first, which @actions/glob rejects. Its message is
// GitHub's, verbatim; callers that word errors their own way (hashFiles)
// read Pattern.
type RelativePathError struct {
	// Pattern is the line as checked: trimmed, leading "!"s removed.
	Pattern string
}

func (e *RelativePathError) Error() string {
	return fmt.Sprintf("Invalid pattern '%s'. Relative pathing '.' and '..' is not allowed.", e.Pattern)
}

// pattern is one parsed line (actions/toolkit packages/glob/src/internal-pattern.ts).
type pattern struct {
	negate bool
	// segments are the minimatch segments of the absolute pattern, without the
	// empty root segment: "/ws/a/*" is ["ws", "a", "*"].
	segments []string
	// matchers holds one compiled matcher per segment (zero for `**`).
	matchers []segmentMatcher
	// trailingSeparator: the pattern ended in "/" and matches directories only.
	trailingSeparator bool
	// searchPath is the literal directory before the first glob segment.
	searchPath string
	// implicit marks the `<pattern>/**` twin added for ImplicitDescendants; it
	// must not match the directory itself.
	implicit bool
}

// parsePattern follows Pattern's constructor and Pattern.fixupPattern.
// Messages that GitHub prints are kept verbatim.
func parsePattern(line, dir, home string) (*pattern, error) {
	p := strings.TrimSpace(line)
	negate := false
	for strings.HasPrefix(p, "!") {
		negate = !negate
		p = strings.TrimSpace(p[1:])
	}
	if p == "" {
		return nil, fmt.Errorf("pattern cannot be empty")
	}

	// Must not contain `.` segment, unless first segment; must not contain `..`.
	for i, seg := range splitPathSegments(p) {
		lit := literal(seg)
		if (lit == "." && i != 0) || lit == ".." {
			return nil, &RelativePathError{Pattern: p}
		}
	}

	p = normalizeSeparators(p)
	switch {
	case p == "." || strings.HasPrefix(p, "./"):
		if !strings.HasPrefix(dir, "/") {
			return nil, fmt.Errorf("working directory %q is not absolute", dir)
		}
		p = globEscape(dir) + p[1:]
	case p == "~" || strings.HasPrefix(p, "~/"):
		if home == "" {
			//lint:ignore ST1005 @actions/glob's message, verbatim, as GitHub prints it
			return nil, fmt.Errorf("Unable to determine HOME directory")
		}
		if !strings.HasPrefix(home, "/") {
			//lint:ignore ST1005 @actions/glob's message, verbatim, as GitHub prints it
			return nil, fmt.Errorf("Expected HOME directory to be a rooted path. Actual '%s'", home)
		}
		p = globEscape(home) + p[1:]
	case strings.HasPrefix(p, "/"):
	default:
		if !strings.HasPrefix(dir, "/") {
			return nil, fmt.Errorf("working directory %q is not absolute", dir)
		}
		root := globEscape(dir)
		if !strings.HasSuffix(root, "/") {
			root += "/"
		}
		p = root + p
	}
	p = normalizeSeparators(p)

	pat := &pattern{negate: negate, trailingSeparator: strings.HasSuffix(p, "/") && p != "/"}
	p = safeTrimTrailingSeparator(p)
	pat.segments = splitAbsolute(p)
	if err := pat.compile(); err != nil {
		return nil, err
	}

	// Search path: the literal segments before the first glob segment.
	var search []string
	for _, seg := range pat.segments {
		lit := literal(seg)
		if lit == "" {
			break
		}
		search = append(search, lit)
	}
	pat.searchPath = "/" + strings.Join(search, "/")
	return pat, nil
}

// implicitDescendants returns the `<pattern>/**` twin that the globber adds
// when ImplicitDescendants is set (internal-globber.ts globGenerator).
func (p *pattern) implicitDescendants() *pattern {
	segs := append(append([]string(nil), p.segments...), "**")
	twin := &pattern{negate: p.negate, segments: segs, searchPath: p.searchPath, implicit: true}
	twin.matchers = append(append([]segmentMatcher(nil), p.matchers...), segmentMatcher{})
	return twin
}

// lastSegment is the final segment, "" for the root pattern "/".
func (p *pattern) lastSegment() string {
	if len(p.segments) == 0 {
		return ""
	}
	return p.segments[len(p.segments)-1]
}

func (p *pattern) compile() error {
	p.matchers = make([]segmentMatcher, len(p.segments))
	for i, seg := range p.segments {
		if seg == "**" {
			continue
		}
		m, err := compileSegment(seg)
		if err != nil {
			return err
		}
		p.matchers[i] = m
	}
	return nil
}

// match is Pattern.match: whether itemPath (absolute, clean) matches.
func (p *pattern) match(itemPath string) matchKind {
	file := splitAbsolute(itemPath)
	if p.lastSegment() == "**" && !p.implicit {
		// Minimatch only lets `/foo/**` match `/foo` when the path ends in a
		// slash; @actions/glob appends one so the directory itself matches.
		file = append(file, "")
	}
	if p.matchOne(file, modeFull) {
		if p.trailingSeparator {
			return matchDirectory
		}
		return matchAll
	}
	return matchNone
}

// partialMatch is Pattern.partialMatch: whether descendants of itemPath
// might match (it is also true when itemPath itself matches).
func (p *pattern) partialMatch(itemPath string) bool {
	if itemPath == "/" {
		return true
	}
	return p.matchOne(splitAbsolute(itemPath), modePartial)
}

// mayMatchBelow reports whether some path strictly below itemPath can match.
// The globber only needs to read a directory when this holds for an include
// pattern; descending anyway, as @actions/glob does, finds nothing more.
func (p *pattern) mayMatchBelow(itemPath string) bool {
	if itemPath == "/" {
		return true
	}
	return p.matchOne(splitAbsolute(itemPath), modeBelow)
}

type matchMode int

const (
	modeFull    matchMode = iota // the whole path matches
	modePartial                  // minimatch partial: the path is a prefix of a match, or matches
	modeBelow                    // a strict descendant of the path could match
)

// matchOne ports minimatch's Minimatch.prototype.matchOne with dot: true.
// It remembers which positions of the path and the pattern it has tried
// when the pattern has more than one **: without that, every way of
// spreading the path over them is tried, and "**/" written 80 times took
// 34 s against a path nine segments deep.
func (p *pattern) matchOne(file []string, mode matchMode) bool {
	var tried []int8
	if globstars := slices.Index(p.segments, "**"); globstars >= 0 && slices.Contains(p.segments[globstars+1:], "**") {
		tried = make([]int8, (len(file)+1)*(len(p.segments)+1))
	}
	return p.matchFrom(file, 0, 0, mode, tried)
}

// matchFrom is matchOne from file[fi] and p.segments[pi] on. tried, when
// not nil, holds for each (fi, pi) 0 (not tried yet), 1 (matches) or 2.
func (p *pattern) matchFrom(file []string, fi, pi int, mode matchMode, tried []int8) bool {
	if tried != nil {
		k := fi*(len(p.segments)+1) + pi
		if tried[k] == 0 {
			tried[k] = 2
			if p.matchRest(file, fi, pi, mode, tried) {
				tried[k] = 1
			}
		}
		return tried[k] == 1
	}
	return p.matchRest(file, fi, pi, mode, nil)
}

// matchRest is matchFrom's work, not remembered.
func (p *pattern) matchRest(file []string, fi, pi int, mode matchMode, tried []int8) bool {
	fl, pl := len(file), len(p.segments)
	for ; fi < fl && pi < pl; fi, pi = fi+1, pi+1 {
		if p.segments[pi] == "**" {
			pr := pi + 1
			if pr == pl {
				// A trailing ** swallows the rest, dot files included (dot: true).
				return true
			}
			for fr := fi; fr < fl; fr++ {
				if p.matchFrom(file, fr, pr, mode, tried) {
					return true
				}
			}
			// Ran out of path while pattern is left: a deeper path could match.
			return mode != modeFull
		}
		if !p.matchers[pi].match(file[fi]) {
			return false
		}
	}
	switch {
	case fi == fl && pi == pl:
		return mode != modeBelow
	case fi == fl:
		return mode != modeFull
	default: // pattern exhausted with path left: only a trailing "" matches
		return mode != modeBelow && fi == fl-1 && file[fi] == ""
	}
}

// segmentMatcher matches one path segment against one pattern segment.
type segmentMatcher struct {
	lit string
	re  *regexp.Regexp
}

func (m segmentMatcher) match(name string) bool {
	if m.re == nil {
		return name == m.lit
	}
	return m.re.MatchString(name)
}

// compileSegment turns a minimatch segment (nobrace, noext) into a literal or
// an anchored regexp. An unclosed `[`, or a class that is no valid regexp
// class such as `[z-a]`, is literal, as in minimatch.
//
// Only a segment without any of `*?[\` is compared as a string: [literal]
// answers a different question (what the search path is), and it calls
// `[]]` the name "[]]" where minimatch matches "]".
func compileSegment(seg string) (segmentMatcher, error) {
	if !strings.ContainsAny(seg, `*?[\`) {
		return segmentMatcher{lit: seg}, nil
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c == '\\' && i+1 < len(seg):
			i++
			b.WriteString(regexp.QuoteMeta(seg[i : i+1]))
		case c == '*':
			b.WriteString(`[^/]*`)
		case c == '?':
			b.WriteString(`[^/]`)
		case c == '[':
			class, end, ok := parseClass(seg, i)
			if ok {
				_, err := regexp.Compile(class)
				ok = err == nil
			}
			if !ok {
				b.WriteString(`\[`)
				continue
			}
			b.WriteString(class)
			i = end
		default:
			b.WriteString(regexp.QuoteMeta(seg[i : i+1]))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return segmentMatcher{}, fmt.Errorf("could not compile glob segment %q: %w", seg, err)
	}
	return segmentMatcher{re: re}, nil
}

// parseClass reads a bracket expression starting at seg[start] == '['. It
// returns the Go regexp class, the index of the closing ']' and whether the
// class was closed.
func parseClass(seg string, start int) (string, int, bool) {
	var b strings.Builder
	b.WriteString("[")
	i := start + 1
	if i < len(seg) && (seg[i] == '!' || seg[i] == '^') {
		b.WriteString("^")
		i++
	}
	first := true
	for ; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c == ']' && !first:
			b.WriteString("]")
			return b.String(), i, true
		case c == '\\' && i+1 < len(seg):
			i++
			b.WriteString(regexp.QuoteMeta(seg[i : i+1]))
		case c == '[' && i+1 < len(seg) && seg[i+1] == ':':
			// POSIX class such as [:alpha:], which Go's regexp understands.
			end := strings.Index(seg[i:], ":]")
			if end < 0 {
				b.WriteString(`\[`)
				break
			}
			b.WriteString(seg[i : i+end+2])
			i += end + 1
		case c == ']' || c == '[' || c == '^':
			b.WriteString(`\` + string(c))
		default:
			b.WriteByte(c)
		}
		first = false
	}
	return "", 0, false
}

// literal is Pattern.getLiteral: the unescaped segment when it has no glob,
// else "". A one-character class such as "[a]" counts as the literal "a";
// one character is one UTF-16 code unit, as JavaScript's String.length
// counts, so "[é]" is "é" but a class of one emoji is a glob.
func literal(seg string) string {
	var b strings.Builder
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '\\' && i+1 < len(seg) {
			i++
			b.WriteByte(seg[i])
			continue
		}
		if c == '*' || c == '?' {
			return ""
		}
		if c == '[' && i+1 < len(seg) {
			var set []byte
			closed := -1
			for i2 := i + 1; i2 < len(seg); i2++ {
				c2 := seg[i2]
				if c2 == '\\' && i2+1 < len(seg) {
					i2++
					set = append(set, seg[i2])
					continue
				}
				if c2 == ']' {
					closed = i2
					break
				}
				set = append(set, c2)
			}
			if closed >= 0 {
				if utf16Len(string(set)) > 1 {
					return ""
				}
				if len(set) > 0 {
					b.Write(set)
					i = closed
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// utf16Len is the length JavaScript gives s.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// globEscape is Pattern.globEscape on Linux: escape '\', '[' when a ']'
// follows in the same segment, '?' and '*'.
func globEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '[':
			// JS: /(\[)(?=[^/]+\])/ — a ']' after at least one more
			// character of the same segment.
			rest := s[i+1:]
			if end := strings.IndexByte(rest, '/'); end >= 0 {
				rest = rest[:end]
			}
			if strings.LastIndexByte(rest, ']') > 0 {
				b.WriteString("[[]")
				continue
			}
			b.WriteByte(c)
		case '?':
			b.WriteString("[?]")
		case '*':
			b.WriteString("[*]")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var multiSlash = regexp.MustCompile(`//+`)

// normalizeSeparators collapses repeated slashes (internal-path-helper.ts).
func normalizeSeparators(p string) string {
	return multiSlash.ReplaceAllString(p, "/")
}

// safeTrimTrailingSeparator drops one trailing slash unless p is the root.
func safeTrimTrailingSeparator(p string) string {
	p = normalizeSeparators(p)
	if p == "/" || !strings.HasSuffix(p, "/") {
		return p
	}
	return p[:len(p)-1]
}

// splitPathSegments is internal-path.ts Path.segments: the root "/" counts as
// a segment of a rooted path.
func splitPathSegments(p string) []string {
	p = safeTrimTrailingSeparator(p)
	if !strings.HasPrefix(p, "/") {
		return strings.Split(p, "/")
	}
	if p == "/" {
		return []string{"/"}
	}
	return append([]string{"/"}, strings.Split(p[1:], "/")...)
}

// splitAbsolute splits an absolute path into its names: "/a/b" is ["a", "b"],
// "/a/" is ["a", ""] and "/" is [].
func splitAbsolute(p string) []string {
	p = strings.TrimPrefix(normalizeSeparators(p), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

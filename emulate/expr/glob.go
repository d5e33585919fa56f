package expr

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the file matching behind hashFiles(): the runner runs
// @actions/glob (actions/toolkit packages/glob/src/internal-globber.ts,
// internal-pattern.ts, internal-pattern-helper.ts) with minimatch options
// {dot: true, nobrace: true, noext: true, nonegate: true, nocomment: true}
// and implicitDescendants. It is written for Linux and macOS paths.

// matchKind says what a pattern matched (internal-match-kind.ts).
type matchKind int

const (
	matchNone      matchKind = 0
	matchDirectory matchKind = 1
	matchFile      matchKind = 2
	matchAll                 = matchDirectory | matchFile
)

// globPattern is one pattern line, made absolute.
type globPattern struct {
	negate  bool
	segs    []string // segments below the root "/"; each may hold glob syntax
	dirOnly bool     // the pattern ended with "/": it matches directories only
	search  string   // the literal directory before the first glob segment
}

// parseGlobPattern reads one pattern line relative to workdir
// (Pattern constructor and fixupPattern).
func parseGlobPattern(line, workdir, home string) (*globPattern, error) {
	p := &globPattern{}
	pattern := strings.TrimFunc(line, unicode.IsSpace)
	for strings.HasPrefix(pattern, "!") {
		p.negate = !p.negate
		pattern = strings.TrimFunc(pattern[1:], unicode.IsSpace)
	}
	if pattern == "" {
		return nil, errors.New("pattern cannot be empty")
	}
	for i, seg := range rawSegments(pattern) {
		if lit := globLiteral(seg); lit == ".." || lit == "." && i != 0 {
			return nil, fmt.Errorf("invalid pattern %q: relative pathing '.' and '..' is not allowed", pattern)
		}
	}
	pattern = collapseSlashes(pattern)
	switch {
	case pattern == "." || strings.HasPrefix(pattern, "./"):
		pattern = globEscape(workdir) + pattern[1:]
	case pattern == "~" || strings.HasPrefix(pattern, "~/"):
		if home == "" {
			return nil, errors.New("unable to determine HOME directory")
		}
		pattern = globEscape(home) + pattern[1:]
	case !strings.HasPrefix(pattern, "/"):
		pattern = strings.TrimSuffix(globEscape(workdir), "/") + "/" + pattern
	}
	pattern = collapseSlashes(pattern)
	p.dirOnly = strings.HasSuffix(pattern, "/")
	for _, s := range strings.Split(pattern, "/") {
		if s != "" {
			p.segs = append(p.segs, s)
		}
	}
	var lits []string
	for _, s := range p.segs {
		lit := globLiteral(s)
		if lit == "" {
			break
		}
		lits = append(lits, lit)
	}
	p.search = "/" + strings.Join(lits, "/")
	return p, nil
}

// rawSegments splits a pattern as @actions/glob's Path does before the
// pattern is made absolute: a rooted pattern starts with the root segment.
func rawSegments(pattern string) []string {
	if strings.HasPrefix(pattern, "/") {
		segs := []string{"/"}
		for _, s := range strings.Split(pattern, "/") {
			if s != "" {
				segs = append(segs, s)
			}
		}
		return segs
	}
	return strings.Split(strings.TrimRight(pattern, "/"), "/")
}

var multiSlash = regexp.MustCompile(`//+`)

func collapseSlashes(s string) string {
	return multiSlash.ReplaceAllString(s, "/")
}

// globEscape makes a literal path safe inside a pattern (Pattern.globEscape).
func globEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '?', '*':
			b.WriteString("[" + string(c) + "]")
		case '[':
			// Only a [ that a ] closes within the segment starts a class.
			if j := strings.IndexAny(s[i+1:], "/]"); j > 0 && s[i+1+j] == ']' {
				b.WriteString("[[]")
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// globLiteral returns the literal text of a pattern segment, or "" when it
// holds glob syntax (Pattern.getLiteral): \x is x, [x] is x, and *, ? or a
// class of several characters make the segment non-literal.
func globLiteral(seg string) string {
	var b strings.Builder
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c == '\\' && i+1 < len(seg):
			i++
			b.WriteByte(seg[i])
			continue
		case c == '*' || c == '?':
			return ""
		case c == '[' && i+1 < len(seg):
			var set strings.Builder
			closed := -1
			for j := i + 1; j < len(seg); j++ {
				if seg[j] == '\\' && j+1 < len(seg) {
					j++
					set.WriteByte(seg[j])
					continue
				}
				if seg[j] == ']' {
					closed = j
					break
				}
				set.WriteByte(seg[j])
			}
			if closed >= 0 {
				if utf8.RuneCountInString(set.String()) > 1 {
					return ""
				}
				if set.Len() > 0 {
					b.WriteString(set.String())
					i = closed
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// match tests an absolute, clean path (Pattern.match).
func (p *globPattern) match(path string) matchKind {
	if matchSegments(p.segs, pathSegments(path), false) {
		if p.dirOnly {
			return matchDirectory
		}
		return matchAll
	}
	return matchNone
}

// partialMatch reports whether path may be an ancestor of a match.
func (p *globPattern) partialMatch(path string) bool {
	return matchSegments(p.segs, pathSegments(path), true)
}

func pathSegments(path string) []string {
	var segs []string
	for _, s := range strings.Split(path, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	return segs
}

// matchSegments matches path segments against pattern segments, where a
// "**" segment matches any number of segments, dot-directories included.
// With partial, running out of path before the pattern is a match.
func matchSegments(pat, name []string, partial bool) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if partial && len(name) == 0 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:], partial) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return partial
		}
		if !matchSegment(pat[0], name[0]) {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// matchSegment matches one path segment against one pattern segment with
// minimatch's rules: * (also before a leading dot, as dot is on), ?, [set],
// [!set] and [^set] with ranges, and \ escapes. There are no braces or
// extglobs, and a [ without a closing ] is literal.
func matchSegment(pat, name string) bool {
	for len(pat) > 0 {
		switch pat[0] {
		case '*':
			for len(pat) > 0 && pat[0] == '*' {
				pat = pat[1:]
			}
			if pat == "" {
				return true
			}
			for i := 0; i <= len(name); {
				if matchSegment(pat, name[i:]) {
					return true
				}
				if i == len(name) {
					break
				}
				_, size := utf8.DecodeRuneInString(name[i:])
				i += size
			}
			return false
		case '?':
			if name == "" {
				return false
			}
			_, size := utf8.DecodeRuneInString(name)
			pat, name = pat[1:], name[size:]
		case '[':
			r, size := utf8.DecodeRuneInString(name)
			ok, rest, valid := matchClass(pat, r)
			if !valid {
				if name == "" || name[0] != '[' {
					return false
				}
				pat, name = pat[1:], name[1:]
				continue
			}
			if name == "" || !ok {
				return false
			}
			pat, name = rest, name[size:]
		case '\\':
			if len(pat) > 1 {
				pat = pat[1:]
			}
			fallthrough
		default:
			pr, psize := utf8.DecodeRuneInString(pat)
			nr, nsize := utf8.DecodeRuneInString(name)
			if name == "" || pr != nr {
				return false
			}
			pat, name = pat[psize:], name[nsize:]
		}
	}
	return name == ""
}

// matchClass matches r against the class at the start of pat ("[...]").
// valid is false when the class is not closed.
func matchClass(pat string, r rune) (ok bool, rest string, valid bool) {
	i := 1
	negate := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return ok != negate, pat[i+1:], true
		}
		first = false
		lo, size := classChar(pat[i:])
		i += size
		hi := lo
		if i+1 < len(pat) && pat[i] == '-' && pat[i+1] != ']' {
			hi, size = classChar(pat[i+1:])
			i += 1 + size
		}
		if lo <= r && r <= hi {
			ok = true
		}
	}
	return false, "", false
}

func classChar(s string) (rune, int) {
	if s[0] == '\\' && len(s) > 1 {
		r, size := utf8.DecodeRuneInString(s[1:])
		return r, size + 1
	}
	return utf8.DecodeRuneInString(s)
}

// globber walks the file system for a set of patterns (DefaultGlobber).
type globber struct {
	patterns []*globPattern
	follow   bool
}

// newGlobber parses newline-separated patterns; blank lines and lines
// starting with # are skipped. Every pattern also matches everything below
// what it matches (implicitDescendants).
func newGlobber(lines []string, workdir, home string, follow bool) (*globber, error) {
	g := &globber{follow: follow}
	for _, line := range lines {
		line = strings.TrimFunc(line, unicode.IsSpace)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p, err := parseGlobPattern(line, workdir, home)
		if err != nil {
			return nil, err
		}
		g.patterns = append(g.patterns, p)
		if p.dirOnly || p.segs[len(p.segs)-1] != "**" {
			desc := &globPattern{negate: p.negate, segs: append(append([]string{}, p.segs...), "**"), search: p.search}
			g.patterns = append(g.patterns, desc)
		}
	}
	return g, nil
}

// searchPaths lists where to start walking: the search path of each
// pattern that is not negated, skipping duplicates and paths below another.
func (g *globber) searchPaths() []string {
	candidates := map[string]bool{}
	for _, p := range g.patterns {
		if !p.negate {
			candidates[p.search] = true
		}
	}
	included := map[string]bool{}
	var out []string
	for _, p := range g.patterns {
		if p.negate || included[p.search] {
			continue
		}
		ancestor := false
		for prev, dir := p.search, filepath.Dir(p.search); dir != prev; prev, dir = dir, filepath.Dir(dir) {
			if candidates[dir] {
				ancestor = true
				break
			}
		}
		if !ancestor {
			out = append(out, p.search)
			included[p.search] = true
		}
	}
	return out
}

// matchAll combines the patterns in order: a negated pattern removes what
// earlier ones matched.
func (g *globber) matchAll(path string) matchKind {
	result := matchNone
	for _, p := range g.patterns {
		if p.negate {
			result &^= p.match(path)
		} else {
			result |= p.match(path)
		}
	}
	return result
}

func (g *globber) partialMatch(path string) bool {
	for _, p := range g.patterns {
		if !p.negate && p.partialMatch(path) {
			return true
		}
	}
	return false
}

// walk calls yield for each matching file and directory, depth first with
// the entries of each directory in byte order (Node's readdir sorts them),
// which fixes the order hashFiles hashes files in.
func (g *globber) walk(yield func(path string) error) error {
	type item struct {
		path  string
		level int
	}
	var stack []item
	for _, sp := range g.searchPaths() {
		if _, err := os.Lstat(sp); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return err
		}
		stack = append([]item{{sp, 1}}, stack...)
	}
	var chain []string // real paths of the directories being walked, to stop symlink cycles
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m := g.matchAll(it.path)
		partial := m != matchNone || g.partialMatch(it.path)
		if m == matchNone && !partial {
			continue
		}
		var info fs.FileInfo
		var err error
		if g.follow {
			info, err = os.Stat(it.path)
			if errors.Is(err, fs.ErrNotExist) {
				continue // broken symlink (omitBrokenSymbolicLinks)
			}
		} else {
			info, err = os.Lstat(it.path)
		}
		if err != nil {
			return err
		}
		if info.IsDir() && g.follow {
			real, err := filepath.EvalSymlinks(it.path)
			if err != nil {
				return err
			}
			for len(chain) >= it.level {
				chain = chain[:len(chain)-1]
			}
			cycle := false
			for _, c := range chain {
				if c == real {
					cycle = true
				}
			}
			if cycle {
				continue
			}
			chain = append(chain, real)
		}
		if !info.IsDir() {
			if m&matchFile != 0 {
				if err := yield(it.path); err != nil {
					return err
				}
			}
			continue
		}
		if m&matchDirectory != 0 {
			if err := yield(it.path); err != nil {
				return err
			}
		} else if !partial {
			continue
		}
		entries, err := os.ReadDir(it.path)
		if err != nil {
			return err
		}
		for i := len(entries) - 1; i >= 0; i-- {
			stack = append(stack, item{filepath.Join(it.path, entries[i].Name()), it.level + 1})
		}
	}
	return nil
}

package glob

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePattern(t *testing.T) {
	t.Parallel()
	type want struct {
		Negate            bool
		Segments          []string
		TrailingSeparator bool
		SearchPath        string
	}
	tests := []struct {
		what  string
		input string
		want  want
	}{
		{"relative pattern is rooted at the working directory", "src/*.go",
			want{Segments: []string{"ws", "src", "*.go"}, SearchPath: "/ws/src"}},
		{"leading ./ is the working directory", "./a/b",
			want{Segments: []string{"ws", "a", "b"}, SearchPath: "/ws/a/b"}},
		{"a lone dot is the working directory", ".",
			want{Segments: []string{"ws"}, SearchPath: "/ws"}},
		{"tilde is the home directory", "~/.cache/pip",
			want{Segments: []string{"home", "u", ".cache", "pip"}, SearchPath: "/home/u/.cache/pip"}},
		{"absolute pattern is kept", "/opt/x/**",
			want{Segments: []string{"opt", "x", "**"}, SearchPath: "/opt/x"}},
		{"each leading ! flips negation and is trimmed", "! !  !a",
			want{Negate: true, Segments: []string{"ws", "a"}, SearchPath: "/ws/a"}},
		{"trailing slash matches directories only", "out/",
			want{Segments: []string{"ws", "out"}, TrailingSeparator: true, SearchPath: "/ws/out"}},
		{"repeated slashes collapse", "a//b///c",
			want{Segments: []string{"ws", "a", "b", "c"}, SearchPath: "/ws/a/b/c"}},
		{"a one character class is a literal for the search path", "[a]/x*",
			want{Segments: []string{"ws", "[a]", "x*"}, SearchPath: "/ws/a"}},
		{"search path stops at the first glob segment", "a/?/b",
			want{Segments: []string{"ws", "a", "?", "b"}, SearchPath: "/ws/a"}},
		// From emulate/expr's hashFiles globber, merged here.
		{"relative", "src/*.go",
			want{Segments: []string{"ws", "src", "*.go"}, SearchPath: "/ws/src"}},
		{"negated and trimmed", " ! src ",
			want{Negate: true, Segments: []string{"ws", "src"}, SearchPath: "/ws/src"}},
		{"directory only", "out/",
			want{Segments: []string{"ws", "out"}, TrailingSeparator: true, SearchPath: "/ws/out"}},
		{"dot prefix", "./a",
			want{Segments: []string{"ws", "a"}, SearchPath: "/ws/a"}},
		{"home", "~/.npm/**",
			want{Segments: []string{"home", "u", ".npm", "**"}, SearchPath: "/home/u/.npm"}},
		{"absolute with doubled slashes", "//etc//x",
			want{Segments: []string{"etc", "x"}, SearchPath: "/etc/x"}},
		{"literal class in the search path", "[s]rc/x",
			want{Segments: []string{"ws", "[s]rc", "x"}, SearchPath: "/ws/src/x"}},
		{"glob in the first segment", "*/x",
			want{Segments: []string{"ws", "*", "x"}, SearchPath: "/ws"}},
		// getLiteral counts String.length, UTF-16 code units.
		{"a one character class of a non-ASCII letter is a literal", "[é]/x",
			want{Segments: []string{"ws", "[é]", "x"}, SearchPath: "/ws/é/x"}},
		{"a class of one emoji is two code units, a glob", "[😀]/x",
			want{Segments: []string{"ws", "[😀]", "x"}, SearchPath: "/ws"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p, err := parsePattern(tc.input, "/ws", "/home/u")
			if err != nil {
				t.Fatal(err)
			}
			got := want{p.negate, p.segments, p.trailingSeparator, p.searchPath}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parsePattern(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestParsePatternErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		home  string
		want  string
	}{
		// actions/toolkit packages/glob/src/internal-pattern.ts fixupPattern
		{"dot-dot anywhere", "../x", "/h", "Invalid pattern '../x'. Relative pathing '.' and '..' is not allowed."},
		{"dot-dot in the middle", "a/../b", "/h", "Invalid pattern 'a/../b'. Relative pathing '.' and '..' is not allowed."},
		{"dot not first", "a/./b", "/h", "Invalid pattern 'a/./b'. Relative pathing '.' and '..' is not allowed."},
		{"only a negation", "!", "/h", "pattern cannot be empty"},
		{"tilde without a home", "~/x", "", "Unable to determine HOME directory"},
		{"tilde with a relative home", "~/x", "home", "Expected HOME directory to be a rooted path. Actual 'home'"},
		{"escaped dot-dot is still dot-dot", `\.\./b`, "/h", `Invalid pattern '\.\./b'. Relative pathing '.' and '..' is not allowed.`},
		{"negation and blanks only", "!  ", "/h", "pattern cannot be empty"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := parsePattern(tc.input, "/ws", tc.home)
			if err == nil {
				t.Fatalf("parsePattern(%q) succeeded, want error %q", tc.input, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("parsePattern(%q) error = %q, want %q", tc.input, err, tc.want)
			}
		})
	}
}

func TestPatternMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		pattern string
		path    string
		want    matchKind
	}{
		{"star matches within a segment", "/a/*.txt", "/a/x.txt", matchAll},
		{"star does not cross a slash", "/a/*.txt", "/a/b/x.txt", matchNone},
		{"star matches dot files (dot: true)", "/a/*", "/a/.env", matchAll},
		{"question mark is one character", "/a/?.txt", "/a/xy.txt", matchNone},
		{"class", "/a/[xy].txt", "/a/y.txt", matchAll},
		{"negated class with !", "/a/[!x].txt", "/a/x.txt", matchNone},
		{"negated class with ^", "/a/[^x].txt", "/a/y.txt", matchAll},
		{"braces are literal (nobrace)", "/a/{b,c}", "/a/b", matchNone},
		{"braces match themselves", "/a/{b,c}", "/a/{b,c}", matchAll},
		{"extglob is literal (noext)", "/a/+(b)", "/a/+(b)", matchAll},
		{"globstar matches zero segments", "/a/**/x", "/a/x", matchAll},
		{"globstar matches many segments", "/a/**/x", "/a/b/c/x", matchAll},
		{"trailing globstar matches the directory itself", "/a/**", "/a", matchAll},
		{"trailing globstar matches descendants", "/a/**", "/a/b/c", matchAll},
		{"trailing slash reports directory kind", "/a/b/", "/a/b", matchDirectory},
		{"escaped star is literal", `/a/\*`, "/a/*", matchAll},
		{"escaped star does not glob", `/a/\*`, "/a/x", matchNone},
		{"unclosed class is literal", "/a/[x", "/a/[x", matchAll},
		{"posix class", "/a/[[:digit:]]", "/a/7", matchAll},
		{"an invalid class is literal", "/a/[z-a]", "/a/[z-a]", matchAll},
		// From emulate/expr's hashFiles globber, merged here.
		{"globstar matches zero segments, as a directory", "/w/**", "/w", matchAll},
		{"globstar matches many", "/w/**/x.go", "/w/a/b/x.go", matchAll},
		{"globstar matches dot directories", "/w/**/x.go", "/w/.git/x.go", matchAll},
		{"star stays in one segment", "/w/*/x.go", "/w/a/b/x.go", matchNone},
		{"full match needs all segments", "/w/a/*.go", "/w/a", matchNone},
		// Several globstars: the positions tried are remembered.
		{"globstars around literals", "/w/**/a/**/a/**/b", "/w/a/x/a/a/y/b", matchAll},
		{"globstars around literals, no match", "/w/**/a/**/a/**/b", "/w/a/x/y/b", matchNone},
		{"a run of globstars", "/w/" + strings.Repeat("**/", 80) + "x.go", "/w/a/b/c/d/e/f/x.go", matchAll},
		{"a run of globstars, no match", "/w/" + strings.Repeat("**/", 80) + "nothing", "/w/a/b/c/d/e/f/x.go", matchNone},
		{"a run of globstars at the end", "/w/a/**/**/**", "/w/a", matchAll},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p, err := parsePattern(tc.pattern, "/ws", "/h")
			if err != nil {
				t.Fatal(err)
			}
			if got := p.match(tc.path); got != tc.want {
				t.Errorf("%q.match(%q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
			}
		})
	}
}

func TestImplicitDescendantsTwin(t *testing.T) {
	t.Parallel()
	p, err := parsePattern("/a/b", "/ws", "/h")
	if err != nil {
		t.Fatal(err)
	}
	twin := p.implicitDescendants()
	tests := []struct {
		what string
		path string
		want matchKind
	}{
		{"the directory itself is not matched by the twin", "/a/b", matchNone},
		{"a child is", "/a/b/c", matchAll},
		{"a grandchild is", "/a/b/c/d", matchAll},
		{"a sibling is not", "/a/bc", matchNone},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := twin.match(tc.path); got != tc.want {
				t.Errorf("twin.match(%q) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}

func TestPartialMatchAndBelow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		pattern     string
		path        string
		wantPartial bool
		wantBelow   bool
	}{
		{"ancestor of a literal pattern", "/a/b/c", "/a", true, true},
		{"the literal pattern itself", "/a/b/c", "/a/b/c", true, false},
		{"unrelated directory", "/a/b/c", "/x", false, false},
		{"ancestor through a star", "/a/*/c", "/a/zz", true, true},
		{"globstar keeps every descendant open", "/a/**/c", "/a/x/y/z", true, true},
		{"trailing globstar", "/a/**", "/a/b", true, true},
		{"root", "/a/b", "/", true, true},
		// From emulate/expr's hashFiles globber, merged here.
		{"ancestor of a match", "/w/a/*.go", "/w/a", true, true},
		{"unrelated sibling", "/w/a/*.go", "/w/b", false, false},
		{"globstar reaches everywhere", "/w/**/x", "/w/q/r", true, true},
		{"a run of globstars reaches everywhere", "/w/**/**/**/x", "/w/q/r", true, true},
		{"globstars after a literal that does not match", "/w/a/**/**/x", "/w/b", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p, err := parsePattern(tc.pattern, "/ws", "/h")
			if err != nil {
				t.Fatal(err)
			}
			if got := p.partialMatch(tc.path); got != tc.wantPartial {
				t.Errorf("partialMatch(%q) = %v, want %v", tc.path, got, tc.wantPartial)
			}
			if got := p.mayMatchBelow(tc.path); got != tc.wantBelow {
				t.Errorf("mayMatchBelow(%q) = %v, want %v", tc.path, got, tc.wantBelow)
			}
		})
	}
}

func TestLiteralAndGlobEscape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		input       string
		wantLiteral string
		wantEscape  string
	}{
		{"plain", "abc", "abc", "abc"},
		{"star", "a*", "", "a[*]"},
		{"question", "a?", "", "a[?]"},
		{"single char class", "[x]", "x", "[[]x]"},
		{"multi char class", "[xy]", "", "[[]xy]"},
		{"escaped star", `a\*`, "a*", `a\\[*]`},
		{"bracket without closer stays", "a[b", "a[b", "a[b"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := literal(tc.input); got != tc.wantLiteral {
				t.Errorf("literal(%q) = %q, want %q", tc.input, got, tc.wantLiteral)
			}
			if got := globEscape(tc.input); got != tc.wantEscape {
				t.Errorf("globEscape(%q) = %q, want %q", tc.input, got, tc.wantEscape)
			}
		})
	}
}

// TestSegmentMatch holds the cases of emulate/expr's segment matcher, which
// hashFiles used before it shared this package.
func TestSegmentMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, pattern, name string
		want                bool
	}{
		{"literal", "main.go", "main.go", true},
		{"literal mismatch", "main.go", "main.gox", false},
		{"star", "*.go", "main.go", true},
		{"star matches dotfiles", "*", ".env", true},
		{"star matches empty", "a*", "a", true},
		{"several stars", "*a*b*", "xxaYYbzz", true},
		{"question mark", "?.go", "a.go", true},
		{"question mark is one rune", "?", "é", true},
		{"class", "[abc].go", "b.go", true},
		{"range", "[a-c]", "d", false},
		{"negated with !", "[!a-c]", "d", true},
		{"negated with ^", "[^a-c]", "a", false},
		{"] first is literal", "[]]", "]", true},
		{"unclosed class is literal", "[ab", "[ab", true},
		{"escape", `\*`, "*", true},
		{"escaped star is not a wildcard", `\*`, "x", false},
		{"escaped in class", `[\]]`, "]", true},
		{"no braces", "{a,b}", "a", false},
		{"braces are literal", "{a,b}", "{a,b}", true},
		{"trailing backslash is literal", `a\`, `a\`, true},
		{"an empty class is literal", "[]", "[]", true},
		{"an invalid range is literal", "[z-a]", "[z-a]", true},
		{"an invalid range matches nothing else", "[z-a]", "z", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			m, err := compileSegment(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.match(tc.name); got != tc.want {
				t.Errorf("compileSegment(%q).match(%q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
			}
		})
	}
}

func TestGlobEscapePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, input, want string
	}{
		{"plain", "/home/runner/work", "/home/runner/work"},
		{"wildcards", "/a*b?/c", "/a[*]b[?]/c"},
		{"bracket pair", "/a[1]/b", "/a[[]1]/b"},
		{"bracket without pair", "/a[/b]", "/a[/b]"},
		{"backslash", `/a\b`, `/a\\b`},
		// JavaScript's /(\[)(?=[^/]+\])/: any later ']' in the segment counts.
		{"bracket closed after a first ]", "/a[]x]/b", "/a[[]]x]/b"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := globEscape(tc.input); got != tc.want {
				t.Errorf("globEscape(%q) = %q, want %q", tc.input, got, tc.want)
			}
			// An escaped path matches itself literally.
			names := splitAbsolute(tc.input)
			for i, seg := range splitAbsolute(tc.want) {
				m, err := compileSegment(seg)
				if err != nil {
					t.Fatal(err)
				}
				if !m.match(names[i]) {
					t.Errorf("segment %q does not match %q", seg, names[i])
				}
			}
		})
	}
}

func TestLiteral(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, input, want string
	}{
		{"plain", "src", "src"},
		{"escape", `a\*b`, "a*b"},
		{"one-character class", "[s]rc", "src"},
		{"wider class", "[sx]rc", ""},
		{"star", "*.go", ""},
		{"globstar", "**", ""},
		{"unclosed class", "[abc", "[abc"},
		{"empty class", "[]", "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := literal(tc.input); got != tc.want {
				t.Errorf("literal(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

// BenchmarkGlobstars matches a pattern of 80 globstars against a path nine
// segments deep, which took 34 s before matchOne remembered what it tried.
func BenchmarkGlobstars(b *testing.B) {
	p, err := parsePattern(strings.Repeat("**/", 80)+"nothing", "/ws", "/h")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if p.match("/ws/a/b/c/d/e/f/deep.go") != matchNone || !p.partialMatch("/ws/a/b/c/d/e/f/deep.go") {
			b.Fatal("wrong match")
		}
	}
}

package expr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatchSegment(t *testing.T) {
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
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := matchSegment(tc.pattern, tc.name); got != tc.want {
				t.Errorf("matchSegment(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
			}
		})
	}
}

func TestMatchSegments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, pattern, path string
		partial, want       bool
	}{
		{"globstar matches zero segments", "/w/**", "/w", false, true},
		{"globstar matches many", "/w/**/x.go", "/w/a/b/x.go", false, true},
		{"globstar matches dot directories", "/w/**/x.go", "/w/.git/x.go", false, true},
		{"star stays in one segment", "/w/*/x.go", "/w/a/b/x.go", false, false},
		{"partial: ancestor of a match", "/w/a/*.go", "/w/a", true, true},
		{"partial: unrelated directory", "/w/a/*.go", "/w/b", true, false},
		{"partial: globstar reaches everywhere", "/w/**/x", "/w/q/r", true, true},
		{"full match needs all segments", "/w/a/*.go", "/w/a", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := matchSegments(pathSegments(tc.pattern), pathSegments(tc.path), tc.partial); got != tc.want {
				t.Errorf("matchSegments(%q, %q, %v) = %v, want %v", tc.pattern, tc.path, tc.partial, got, tc.want)
			}
		})
	}
}

func TestParseGlobPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		line    string
		want    globPattern
		wantErr string
	}{
		{"relative", "src/*.go", globPattern{segs: []string{"ws", "src", "*.go"}, search: "/ws/src"}, ""},
		{"negated and trimmed", " ! src ", globPattern{negate: true, segs: []string{"ws", "src"}, search: "/ws/src"}, ""},
		{"directory only", "out/", globPattern{segs: []string{"ws", "out"}, dirOnly: true, search: "/ws/out"}, ""},
		{"dot prefix", "./a", globPattern{segs: []string{"ws", "a"}, search: "/ws/a"}, ""},
		{"home", "~/.npm/**", globPattern{segs: []string{"home", "u", ".npm", "**"}, search: "/home/u/.npm"}, ""},
		{"absolute with doubled slashes", "//etc//x", globPattern{segs: []string{"etc", "x"}, search: "/etc/x"}, ""},
		{"literal class in the search path", "[s]rc/x", globPattern{segs: []string{"ws", "[s]rc", "x"}, search: "/ws/src/x"}, ""},
		{"glob in the first segment", "*/x", globPattern{segs: []string{"ws", "*", "x"}, search: "/ws"}, ""},
		{"parent", "a/../b", globPattern{}, `invalid pattern "a/../b": relative pathing '.' and '..' is not allowed`},
		{"escaped parent is still a parent", `\.\./b`, globPattern{}, `invalid pattern "\\.\\./b": relative pathing '.' and '..' is not allowed`},
		{"empty", "!  ", globPattern{}, "pattern cannot be empty"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := parseGlobPattern(tc.line, "/ws", "/home/u")
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("parseGlobPattern(%q) error = %v, want %q", tc.line, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseGlobPattern(%q): %v", tc.line, err)
			}
			if diff := cmp.Diff(tc.want, *got, cmp.AllowUnexported(globPattern{})); diff != "" {
				t.Errorf("parseGlobPattern(%q) mismatch (-want +got):\n%s", tc.line, diff)
			}
		})
	}
}

func TestGlobEscape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, input, want string
	}{
		{"plain", "/home/runner/work", "/home/runner/work"},
		{"wildcards", "/a*b?/c", "/a[*]b[?]/c"},
		{"bracket pair", "/a[1]/b", "/a[[]1]/b"},
		{"bracket without pair", "/a[/b]", "/a[/b]"},
		{"backslash", `/a\b`, `/a\\b`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := globEscape(tc.input); got != tc.want {
				t.Errorf("globEscape(%q) = %q, want %q", tc.input, got, tc.want)
			}
			// An escaped path matches itself literally.
			for i, seg := range pathSegments(tc.want) {
				if name := pathSegments(tc.input)[i]; !matchSegment(seg, name) {
					t.Errorf("segment %q does not match %q", seg, name)
				}
			}
		})
	}
}

func TestGlobLiteral(t *testing.T) {
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
			if got := globLiteral(tc.input); got != tc.want {
				t.Errorf("globLiteral(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestSearchPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		lines []string
		want  []string
	}{
		{"one", []string{"src/*.go"}, []string{"/ws/src"}},
		{"descendants are dropped", []string{"src/a/*.go", "src/*", "lib/**"}, []string{"/ws/src", "/ws/lib"}},
		{"duplicates are dropped", []string{"a/*", "a/*.go"}, []string{"/ws/a"}},
		{"negations do not search", []string{"!x/*", "y"}, []string{"/ws/y"}},
		{"root", []string{"/*", "/etc/x"}, []string{"/"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			g, err := newGlobber(tc.lines, "/ws", "/home/u", false)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, g.searchPaths()); diff != "" {
				t.Errorf("searchPaths mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

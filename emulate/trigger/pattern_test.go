package trigger

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheatSheet checks every example of GitHub's "Filter pattern cheat
// sheet" (docs: workflow-syntax#filter-pattern-cheat-sheet): the bullet list
// of special characters and both tables, "Patterns to match branches and
// tags" and "Patterns to match file paths". Each case lists names the
// patterns must include and names they must not.
func TestCheatSheet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		patterns []string
		match    []string
		noMatch  []string
	}{
		// The bullet list.
		{"* matches zero or more characters but not /: Octo* matches Octocat", []string{"Octo*"},
			[]string{"Octocat", "Octo"}, []string{"Octo/cat", "octocat"}},
		{"** matches zero or more of any character", []string{"a**"},
			[]string{"a", "ab", "a/b/c"}, []string{"b"}},
		{"? matches zero or one of the preceding character", []string{"colou?r"},
			[]string{"color", "colour"}, []string{"colouur", "colr"}},
		{"+ matches one or more of the preceding character", []string{"ab+c"},
			[]string{"abc", "abbbc"}, []string{"ac"}},
		{"[] range [0-9a-z] matches any digit or lowercase letter", []string{"x[0-9a-z]"},
			[]string{"x0", "x9", "xa", "xz"}, []string{"xA", "x-", "x", "x00"}},
		{"[CB]at matches Cat or Bat", []string{"[CB]at"},
			[]string{"Cat", "Bat"}, []string{"Hat", "cat", "CBat"}},
		{"[1-2]00 matches 100 and 200", []string{"[1-2]00"},
			[]string{"100", "200"}, []string{"300", "00"}},
		{"! has no special meaning if not the first character", []string{"a!b"},
			[]string{"a!b"}, []string{"ab"}},

		// Patterns to match branches and tags.
		{"branches: feature/* does not match slash", []string{"feature/*"},
			[]string{"feature/my-branch", "feature/your-branch"}, []string{"feature/a/b", "feature"}},
		{"branches: feature/** matches slash", []string{"feature/**"},
			[]string{"feature/beta-a/my-branch", "feature/your-branch", "feature/mona/the/octocat"}, []string{"features/x"}},
		{"branches: exact names main and releases/mona-the-octocat", []string{"main", "releases/mona-the-octocat"},
			[]string{"main", "releases/mona-the-octocat"}, []string{"mainline", "releases/mona"}},
		{"branches: '*' matches names without a slash", []string{"*"},
			[]string{"main", "releases"}, []string{"releases/v1"}},
		{"branches: '**' matches all branch and tag names", []string{"**"},
			[]string{"all/the/branches", "every/tag", "main"}, nil},
		{"branches: '*feature'", []string{"*feature"},
			[]string{"mona-feature", "feature", "ver-10-feature"}, []string{"feature-x", "a/feature"}},
		{"branches: v2* starts with v2", []string{"v2*"},
			[]string{"v2", "v2.0", "v2.9"}, []string{"v1", "xv2"}},
		{"branches: v[12].[0-9]+.[0-9]+ semantic versions of major 1 or 2", []string{"v[12].[0-9]+.[0-9]+"},
			[]string{"v1.10.1", "v2.0.0"}, []string{"v3.0.0", "v1.0", "v1.a.0"}},

		// Patterns to match file paths.
		{"paths: '*' at the root only", []string{"*"},
			[]string{"README.md", "server.rb"}, []string{"docs/README.md"}},
		{"paths: '*.jsx?' ? makes the x optional", []string{"*.jsx?"},
			[]string{"page.js", "page.jsx"}, []string{"page.jsxx", "src/page.js"}},
		{"paths: '**' all files", []string{"**"},
			[]string{"all/the/files.md"}, nil},
		{"paths: '*.js' js files at the root", []string{"*.js"},
			[]string{"app.js", "index.js"}, []string{"js/index.js"}},
		{"paths: '**.js' js files anywhere", []string{"**.js"},
			[]string{"index.js", "js/index.js", "src/js/app.js"}, []string{"index.json"}},
		{"paths: docs/* files in docs only", []string{"docs/*"},
			[]string{"docs/README.md", "docs/file.txt"}, []string{"docs/mona/octocat.txt", "README.md"}},
		{"paths: docs/** files in docs and below", []string{"docs/**"},
			[]string{"docs/README.md", "docs/mona/octocat.txt"}, []string{"src/docs/x.md"}},
		{"paths: docs/**/*.md md files anywhere in docs", []string{"docs/**/*.md"},
			[]string{"docs/README.md", "docs/mona/hello-world.md", "docs/a/markdown/file.md"}, []string{"docs/a.txt", "README.md"}},
		{"paths: '**/docs/**' a docs directory anywhere", []string{"**/docs/**"},
			[]string{"docs/hello.md", "dir/docs/my-file.txt", "space/docs/plan/space.doc"}, []string{"mydocs/x", "docs"}},
		{"paths: '**/README.md' a README.md anywhere", []string{"**/README.md"},
			[]string{"README.md", "js/README.md"}, []string{"README.mdx", "js/NOTREADME.md"}},
		{"paths: '**/*src/**' a folder with a src suffix", []string{"**/*src/**"},
			[]string{"a/src/app.js", "my-src/code/js/app.js"}, []string{"src.js", "a/srcs/app.js"}},
		{"paths: '**/*-post.md' the -post.md suffix anywhere", []string{"**/*-post.md"},
			[]string{"my-post.md", "path/their-post.md"}, []string{"post.md"}},
		{"paths: '**/migrate-*.sql'", []string{"**/migrate-*.sql"},
			[]string{"migrate-10909.sql", "db/migrate-v1.0.sql", "db/sept/migrate-v1.sql"}, []string{"db/migrate.sql"}},
		{"paths: '*.md' then '!README.md' excludes README.md", []string{"*.md", "!README.md"},
			[]string{"hello.md"}, []string{"README.md", "docs/hello.md"}},
		{"paths: '*.md', '!README.md', README* re-includes README files", []string{"*.md", "!README.md", "README*"},
			[]string{"hello.md", "README.md", "README.doc"}, nil},

		// Negation order (docs: on.push.<branches|tags> "The order that you
		// define patterns matters").
		{"branches: releases/** then !releases/**-alpha", []string{"releases/**", "!releases/**-alpha"},
			[]string{"releases/10", "releases/beta/mona"}, []string{"releases/10-alpha", "releases/beta/3-alpha"}},
		{"a negative pattern before the positive one does not exclude", []string{"!releases/**-alpha", "releases/**"},
			[]string{"releases/10-alpha"}, nil},
		{"only negative patterns include nothing", []string{"!main"},
			nil, []string{"main", "dev"}},

		// Escapes (docs: "If a name contains any of these characters and you
		// want a literal match, you need to escape each of these special
		// characters with \").
		{`\* is a literal star`, []string{`a\*b`}, []string{"a*b"}, []string{"axb"}},
		{`\+ is a literal plus`, []string{`c\+\+`}, []string{"c++"}, []string{"c"}},
		{`\! at the start is a literal bang`, []string{`\!file`}, []string{"!file"}, []string{"file"}},
		{`\[ is a literal bracket`, []string{`\[x]`}, []string{"[x]"}, []string{"x"}},
		{`\\ is a literal backslash`, []string{`escape\\backslash`}, []string{`escape\backslash`}, nil},
		{`a backslash before an ordinary character is itself`, []string{`a\b`}, []string{`a\b`}, []string{"ab"}},
		{"+ after a class repeats the class", []string{"[ab]+"}, []string{"a", "abba"}, []string{""}},
		{"regexp characters are literal", []string{"a.b(c)|d$"}, []string{"a.b(c)|d$"}, []string{"axb(c)|d$"}},
		{"matching is case-sensitive", []string{"Main"}, []string{"Main"}, []string{"main"}},
		{"non-ASCII names", []string{"docs/é*"}, []string{"docs/été.md"}, []string{"docs/ete.md"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ps, err := CompilePatterns(tc.patterns)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range tc.match {
				if !MatchList(ps, name) {
					t.Errorf("%q does not match %q", tc.patterns, name)
				}
			}
			for _, name := range tc.noMatch {
				if MatchList(ps, name) {
					t.Errorf("%q matches %q", tc.patterns, name)
				}
			}
		})
	}
}

// TestCompilePatternErrors checks the patterns GitHub rejects, the same
// ones actionlint's glob.go reports.
func TestCompilePatternErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		pattern string
		want    *PatternError
	}{
		{"empty pattern", "", &PatternError{Pattern: "", Offset: 0, Reason: "pattern is empty"}},
		{"! alone", "!", &PatternError{Pattern: "!", Offset: 1, Reason: "pattern is empty"}},
		{"? first", "?a", &PatternError{Pattern: "?a", Offset: 0, Reason: `"?" must follow a literal character or a [] class`}},
		{"+ first after !", "!+a", &PatternError{Pattern: "!+a", Offset: 1, Reason: `"+" must follow a literal character or a [] class`}},
		{"+ after *", "a*+", &PatternError{Pattern: "a*+", Offset: 2, Reason: `"+" must follow a literal character or a [] class`}},
		{"? after +", "a+?", &PatternError{Pattern: "a+?", Offset: 2, Reason: `"?" must follow a literal character or a [] class`}},
		{"? after **", "a**?", &PatternError{Pattern: "a**?", Offset: 3, Reason: `"?" must follow a literal character or a [] class`}},
		{"empty []", "a[]", &PatternError{Pattern: "a[]", Offset: 2, Reason: "character match [] must not be empty"}},
		{"unclosed [", "a[0-9", &PatternError{Pattern: "a[0-9", Offset: 5, Reason: "missing ] to close ["}},
		{"range without end", "[0-]", &PatternError{Pattern: "[0-]", Offset: 2, Reason: "range in [] is missing its end"}},
		{"backwards range", "[9-0]", &PatternError{Pattern: "[9-0]", Offset: 1, Reason: `range "9-0" is invalid: ranges can only include a-z, A-Z and 0-9`}},
		{"range across classes", "[a-Z]", &PatternError{Pattern: "[a-Z]", Offset: 1, Reason: `range "a-Z" is invalid: ranges can only include a-z, A-Z and 0-9`}},
		{"range of punctuation", "[!-/]", &PatternError{Pattern: "[!-/]", Offset: 1, Reason: `range "!-/" is invalid: ranges can only include a-z, A-Z and 0-9`}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := CompilePattern(tc.pattern)
			var got *PatternError
			if !errors.As(err, &got) {
				t.Fatalf("CompilePattern(%q) error = %v, want a *PatternError", tc.pattern, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("CompilePattern(%q) mismatch (-want +got):\n%s", tc.pattern, diff)
			}
		})
	}
}

func TestPatternNegated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		pattern string
		negated bool
		matches string
	}{
		{"a leading ! negates", "!docs/**", true, "docs/a.md"},
		{"no ! is positive", "docs/**", false, "docs/a.md"},
		{"an escaped ! is positive", `\!docs`, false, "!docs"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p, err := CompilePattern(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if p.Negated != tc.negated {
				t.Errorf("Negated = %v, want %v", p.Negated, tc.negated)
			}
			if !p.Match(tc.matches) {
				t.Errorf("Match(%q) = false, want true (Match ignores negation)", tc.matches)
			}
			if p.Source != tc.pattern {
				t.Errorf("Source = %q, want %q", p.Source, tc.pattern)
			}
		})
	}
}

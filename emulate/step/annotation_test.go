package step

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidateLinesAndColumns(t *testing.T) {
	t.Parallel()
	registered := map[string]bool{"warning": true}
	tests := []struct {
		what      string
		line      string
		want      properties
		wantDebug int
	}{
		// actions/runner src/Test/L0/Worker/ActionCommandManagerL0.cs, IssueCommandInvalidColumns.
		{"L0 columns when lines are different", "::warning line=1,endLine=2,col=1,endColumn=2::w",
			properties{"line": "1", "endline": "2"}, 1},
		{"L0 no lines with columns", "::warning col=1,endColumn=2::w", properties{}, 1},
		{"L0 no line with endLine", "::warning endLine=1::w", properties{"line": "1", "endline": "1"}, 1},
		{"L0 no column with endColumn", "::warning line=1,endColumn=2::w", properties{"line": "1", "col": "2", "endcolumn": "2"}, 1},
		{"L0 empty strings", "::warning line=,endLine=3::w", properties{"line": "3", "endline": "3"}, 1},
		{"L0 nonsensical line values", "::warning line=4,endLine=3::w", properties{}, 1},
		{"L0 nonsensical column values", "::warning line=1,endLine=1,col=3,endColumn=2::w", properties{"line": "1", "endline": "1"}, 1},
		{"L0 valid", "::warning line=1,endLine=1,col=1,endColumn=2::w",
			properties{"line": "1", "endline": "1", "col": "1", "endcolumn": "2"}, 0},
		{"L0 backwards compatibility", "::warning line=1,col=1,file=test.txt::w",
			properties{"line": "1", "col": "1", "file": "test.txt"}, 0},
		// The runner compares the strings, not the numbers.
		{"line 1 and endLine 01 differ as strings", "::warning line=1,endLine=01,col=2::w",
			properties{"line": "1", "endline": "01"}, 1},
		// The copied line keeps the number parsed before the copy (0), so a
		// negative endLine is then less than it.
		{"negative endLine alone is dropped", "::warning endLine=-1::w", properties{}, 2},
		{"unparsable line is left as written", "::warning line=abc::w", properties{"line": "abc"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			c, ok := parseV2(tc.line, registered)
			if !ok {
				t.Fatalf("parseV2(%q) failed", tc.line)
			}
			debug := validateLinesAndColumns("warning", c.props)
			if diff := cmp.Diff(tc.want, c.props); diff != "" {
				t.Errorf("properties mismatch (-want +got):\n%s", diff)
			}
			if len(debug) != tc.wantDebug {
				t.Errorf("got %d debug messages %q, want %d", len(debug), debug, tc.wantDebug)
			}
		})
	}
}

func TestAnnotationFromProperties(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		props properties
		want  Annotation
	}{
		// actions/runner src/Test/L0/Sdk/RSWebApi/AnnotationsL0.cs, ToAnnotation_ValidIssueWithMessage_ReturnsAnnotation.
		{"L0 all positions", properties{"file": "test.txt", "line": "5", "col": "10", "endline": "8", "endcolumn": "20"},
			Annotation{Level: "error", File: "test.txt", Line: 5, EndLine: 8, Col: 10, EndColumn: 20, Message: "m"}},
		{"end defaults to start", properties{"line": "5", "col": "3"},
			Annotation{Level: "error", Line: 5, EndLine: 5, Col: 3, EndColumn: 3, Message: "m"}},
		{"nothing set", properties{}, Annotation{Level: "error", Message: "m"}},
		{"title", properties{"title": "Lint"}, Annotation{Level: "error", Title: "Lint", Message: "m"}},
		{"blank file is no file", properties{"file": "  "}, Annotation{Level: "error", Message: "m"}},
		{"unparsable numbers count as missing", properties{"line": "x", "endline": "4"},
			Annotation{Level: "error", EndLine: 4, Message: "m"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, annotationFromProperties("error", "m", tc.props)); diff != "" {
				t.Errorf("annotation mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnnotationLog(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		a    Annotation
		want string
	}{
		{"error", Annotation{Level: "error", Message: "boom"}, "##[error]boom"},
		{"warning", Annotation{Level: "warning", Message: "hm"}, "##[warning]hm"},
		{"notice", Annotation{Level: "notice", Message: "fyi"}, "##[notice]fyi"},
		{"empty message is not logged", Annotation{Level: "error"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := tc.a.Log(); got != tc.want {
				t.Errorf("Log() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMakeRelative(t *testing.T) {
	t.Parallel()
	// IOUtil.MakeRelative on Linux.
	tests := []struct {
		what, path, folder, want string
	}{
		{"inside", "/w/repo/src/a.go", "/w/repo", "src/a.go"},
		{"folder with trailing slash", "/w/repo/a.go", "/w/repo/", "a.go"},
		{"same path", "/w/repo", "/w/repo", ""},
		{"sibling with a common prefix", "/w/repo2/a.go", "/w/repo", "/w/repo2/a.go"},
		{"outside", "/etc/passwd", "/w/repo", "/etc/passwd"},
		{"relative path", "src/a.go", "/w/repo", "src/a.go"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := makeRelative(tc.path, tc.folder); got != tc.want {
				t.Errorf("makeRelative(%q, %q) = %q, want %q", tc.path, tc.folder, got, tc.want)
			}
		})
	}
}

package report

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnnotationString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		a    Annotation
		want string
	}{
		{"full position", Annotation{Level: "error", File: "src/a.py", Line: 12, Col: 5, Message: "boom"}, "src/a.py:12:5: error: boom"},
		{"no column", Annotation{Level: "warning", File: "src/a.py", Line: 3, Message: "unused"}, "src/a.py:3: warning: unused"},
		{"whole file", Annotation{Level: "notice", File: "README.md", Message: "hi"}, "README.md: notice: hi"},
		{"no file", Annotation{Level: "error", Message: "Process completed with exit code 1."}, "error: Process completed with exit code 1."},
		{"column without line is dropped", Annotation{Level: "error", File: "a.go", Col: 4, Message: "x"}, "a.go: error: x"},
		{"title before message", Annotation{Level: "error", File: "a.go", Line: 1, Title: "vet", Message: "x"}, "a.go:1: error: vet: x"},
		{"level is case-insensitive", Annotation{Level: "Warning", File: "a.go", Line: 1, Message: "x"}, "a.go:1: warning: x"},
		{"unknown level is a notice", Annotation{Level: "debug", Message: "x"}, "notice: x"},
		{"first line of a multi-line message", Annotation{Level: "error", File: "a.go", Line: 1, Message: "one\r\ntwo"}, "a.go:1: error: one"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := tc.a.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// problemMatcher is the part of a VS Code problem matcher the test reads.
type problemMatcher struct {
	Owner        string   `json:"owner"`
	FileLocation []string `json:"fileLocation"`
	Pattern      struct {
		Regexp   string `json:"regexp"`
		Kind     string `json:"kind"`
		File     int    `json:"file"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Severity int    `json:"severity"`
		Message  int    `json:"message"`
	} `json:"pattern"`
}

// problem is what a matcher reads from one line.
type problem struct {
	File, Severity, Message string
	Line, Col               int
}

// TestProblemMatcher runs the regexps of testdata/problem-matcher.json
// (JavaScript regexps that are also valid RE2) over the whole text summary,
// colored and plain: they must find exactly the annotations, each once,
// with the right position, severity and message, and nothing else.
func TestProblemMatcher(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/problem-matcher.json")
	if err != nil {
		t.Fatal(err)
	}
	var matchers []problemMatcher
	if err := json.Unmarshal(raw, &matchers); err != nil {
		t.Fatal(err)
	}
	res := make([]*regexp.Regexp, len(matchers))
	for i, m := range matchers {
		if m.Owner == "" || !slices.Equal(m.FileLocation, []string{"relative", "${workspaceFolder}"}) {
			t.Errorf("matcher %d: owner %q, fileLocation %v: want an owner and paths relative to the workspace", i, m.Owner, m.FileLocation)
		}
		res[i] = regexp.MustCompile(m.Pattern.Regexp)
	}

	r := sampleReport()
	Conclude(r)
	var want []problem
	for _, a := range allAnnotations(r) {
		if a.File == "" {
			continue // nothing to point at: no matcher should take it
		}
		first, _, _ := strings.Cut(a.Message, "\n")
		msg := first
		if a.Title != "" {
			msg = a.Title + ": " + first
		}
		want = append(want, problem{File: a.File, Line: a.Line, Col: a.Col, Severity: a.level(), Message: msg})
	}
	if len(want) < 3 {
		t.Fatalf("sample report has %d located annotations; the test needs several", len(want))
	}

	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteText(&b, r, TextOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		var got []problem
		for l := range strings.SplitSeq(b.String(), "\n") {
			matched := 0
			for i, re := range res {
				m := re.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				matched++
				p := matchers[i].Pattern
				got = append(got, problem{
					File:     m[p.File],
					Line:     group(m, p.Line),
					Col:      group(m, p.Column),
					Severity: m[p.Severity],
					Message:  m[p.Message],
				})
			}
			if matched > 1 {
				t.Errorf("color %v: %d matchers read line %q; it would be reported twice", color, matched, l)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("color %v: problems read from the summary differ (-want +got):\n%s", color, diff)
		}
	}
}

// group is a numeric capture group, 0 when the pattern has none (index 0)
// or the optional group did not take part.
func group(m []string, i int) int {
	if i == 0 || m[i] == "" {
		return 0
	}
	n, _ := strconv.Atoi(m[i])
	return n
}

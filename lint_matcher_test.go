package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/fixtures"
)

// The README documents two ways for an editor to read rehearse's output: a
// VS Code problem matcher (a JSON block in README.md; the full one, with the
// pattern for whole-file annotations, is
// emulate/report/testdata/problem-matcher.json) and a vim 'errorformat'. The
// tests below read both from those files, apply them to what the binary
// prints for `lint` and for `run`, and check that they read every finding
// or annotation, with its file, line, column, level and message, once, and
// nothing else.

// editorProblem is what an editor reads from one line of output.
type editorProblem struct {
	File     string
	Line     int
	Col      int
	Severity string // error, warning or notice
	Message  string
}

// lineReader reads the problem on one line, if any.
type lineReader struct {
	name string
	read func(line string) (editorProblem, bool)
}

// problemMatcherPattern is the part of a VS Code problem matcher that says
// how a line is read.
type problemMatcherPattern struct {
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

// vscodeReaders returns one reader per documented problem matcher set: the
// README's task and the full matcher file. Each reader applies every
// matcher of its set to a line, as VS Code does, and fails the test when
// more than one reads the same line (the problem would be listed twice).
// The regexps are JavaScript's; these use nothing RE2 lacks.
func vscodeReaders(t *testing.T) []lineReader {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var task struct {
		ProblemMatcher json.RawMessage `json:"problemMatcher"`
	}
	block := fencedBlock(t, string(readme), "json", `"problemMatcher"`)
	if err := json.Unmarshal([]byte(block), &task); err != nil {
		t.Fatalf("README.md: the VS Code task is not JSON: %v\n%s", err, block)
	}
	const file = "emulate/report/testdata/problem-matcher.json"
	full, err := os.ReadFile(filepath.FromSlash(file))
	if err != nil {
		t.Fatal(err)
	}
	return []lineReader{
		vscodeReader(t, "README.md problemMatcher", task.ProblemMatcher),
		vscodeReader(t, file, full),
	}
}

func vscodeReader(t *testing.T, name string, raw json.RawMessage) lineReader {
	t.Helper()
	var ms []problemMatcherPattern
	if err := json.Unmarshal(raw, &ms); err != nil {
		var one problemMatcherPattern
		if err := json.Unmarshal(raw, &one); err != nil {
			t.Fatalf("%s: not a problem matcher: %v", name, err)
		}
		ms = []problemMatcherPattern{one}
	}
	res := make([]*regexp.Regexp, len(ms))
	for i, m := range ms {
		if m.Pattern.Regexp == "" || m.Pattern.File == 0 || m.Pattern.Severity == 0 || m.Pattern.Message == 0 {
			t.Fatalf("%s: matcher %d lacks a regexp or the file, severity or message group: %+v", name, i, m)
		}
		res[i] = regexp.MustCompile(m.Pattern.Regexp)
	}
	return lineReader{name: name, read: func(line string) (editorProblem, bool) {
		var got []editorProblem
		for i, re := range res {
			g := re.FindStringSubmatch(line)
			if g == nil {
				continue
			}
			p := ms[i].Pattern
			got = append(got, editorProblem{
				File: g[p.File], Line: numberGroup(g, p.Line), Col: numberGroup(g, p.Column),
				Severity: g[p.Severity], Message: g[p.Message],
			})
		}
		if len(got) > 1 {
			t.Errorf("%s: %d matchers read %q: VS Code would list it %d times", name, len(got), line, len(got))
		}
		if len(got) == 0 {
			return editorProblem{}, false
		}
		return got[0], true
	}}
}

// numberGroup is capture group i as a number: 0 when the pattern has no
// such group (i is 0) or the optional group did not take part.
func numberGroup(g []string, i int) int {
	if i <= 0 || i >= len(g) || g[i] == "" {
		return 0
	}
	n, _ := strconv.Atoi(g[i])
	return n
}

// fencedBlock returns the body of the first ```lang block of md that
// contains marker.
func fencedBlock(t *testing.T, md, lang, marker string) string {
	t.Helper()
	rest := md
	for {
		i := strings.Index(rest, "```"+lang+"\n")
		if i < 0 {
			t.Fatalf("README.md has no ```%s block with %s", lang, marker)
		}
		rest = rest[i+len("```"+lang+"\n"):]
		body, after, ok := strings.Cut(rest, "\n```")
		if !ok {
			t.Fatalf("README.md: unclosed ```%s block", lang)
		}
		if strings.Contains(body, marker) {
			return body
		}
		rest = after
	}
}

// vimReader returns a reader for the 'errorformat' the README gives as
// `:set errorformat=...`.
//
// Translation. `:set` takes `\ ` for a space and `\\` for a backslash, and
// the option is a comma-separated list of formats. Vim turns each format
// into a regexp (quickfix.c, efm_to_regpat) anchored with ^ and $ and tries
// them in order, the first that matches reading the line:
//
//	%f  file name: .\{-1,} (as few characters as possible, at least one)
//	    when a literal character follows it, else \f\+ (file-name characters)
//	%l  line number: \d\+
//	%c  column: \d\+
//	%t  error type, one character: . (e error, w warning, n note, i info)
//	%m  message: .\+
//	%*[set]  a scanf-style skip: [set]\+
//	%%  a literal %
//
// Other characters are literal. The Go regexp below is the same with RE2's
// syntax: (.+?), (\d+), (.), (.+), [set]+. \f\+ is approximated by \S+,
// (this 'errorformat' never needs it), and the formats' other regexp
// characters (. ^ $ ~ [ \) are refused so that the translation stays exact.
func vimReader(t *testing.T) lineReader {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const set = ":set errorformat="
	i := strings.Index(string(readme), set)
	if i < 0 {
		t.Fatal("README.md documents no `:set errorformat=`")
	}
	value, _, ok := strings.Cut(string(readme[i+len(set):]), "`")
	if !ok {
		t.Fatal("README.md: the errorformat is not closed by a backtick")
	}
	var formats []string
	var cur strings.Builder
	for j := 0; j < len(value); j++ {
		switch c := value[j]; {
		case c == '\\' && j+1 < len(value):
			j++
			if value[j] == ',' { // an escaped comma stays escaped for the format
				cur.WriteByte('\\')
			}
			cur.WriteByte(value[j])
		case c == ',':
			formats = append(formats, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	formats = append(formats, cur.String())

	type format struct {
		re                         *regexp.Regexp
		file, line, col, kind, msg int
		text                       string
	}
	var fs []format
	for _, efm := range formats {
		f := format{text: efm}
		var pat strings.Builder
		pat.WriteString("^")
		group := 0
		capture := func(re string) int {
			group++
			pat.WriteString("(" + re + ")")
			return group
		}
		for j := 0; j < len(efm); j++ {
			c := efm[j]
			if c != '%' {
				if strings.IndexByte(`.^$~[\`, c) >= 0 {
					t.Fatalf("errorformat %q: regexp character %q is not translated by this test", efm, c)
				}
				pat.WriteString(regexp.QuoteMeta(string(c)))
				continue
			}
			j++
			if j >= len(efm) {
				t.Fatalf("errorformat %q ends with %%", efm)
			}
			switch efm[j] {
			case 'f':
				if j+1 < len(efm) && efm[j+1] != '%' && efm[j+1] != '\\' {
					f.file = capture(`.+?`)
				} else {
					f.file = capture(`\S+`)
				}
			case 'l':
				f.line = capture(`\d+`)
			case 'c':
				f.col = capture(`\d+`)
			case 't':
				f.kind = capture(`.`)
			case 'm':
				f.msg = capture(`.+`)
			case '%':
				pat.WriteString("%")
			case '*':
				end := strings.IndexByte(efm[j:], ']')
				if j+1 >= len(efm) || efm[j+1] != '[' || end < 0 {
					t.Fatalf("errorformat %q: only %%*[set] skips are translated", efm)
				}
				pat.WriteString(efm[j+1:j+end+1] + "+")
				j += end
			default:
				t.Fatalf("errorformat %q: %%%c is not translated by this test", efm, efm[j])
			}
		}
		pat.WriteString("$")
		f.re = regexp.MustCompile(pat.String())
		if f.file == 0 || f.msg == 0 {
			t.Fatalf("errorformat %q reads no file or no message", efm)
		}
		fs = append(fs, f)
	}
	kinds := map[string]string{"e": "error", "w": "warning", "n": "notice", "i": "info"}
	return lineReader{name: "README.md errorformat", read: func(line string) (editorProblem, bool) {
		for _, f := range fs {
			g := f.re.FindStringSubmatch(line)
			if g == nil {
				continue
			}
			p := editorProblem{File: g[f.file], Line: numberGroup(g, f.line), Col: numberGroup(g, f.col), Message: g[f.msg]}
			if f.kind > 0 {
				p.Severity = kinds[g[f.kind]]
			}
			return p, true
		}
		return editorProblem{}, false
	}}
}

// readAll applies r to every line of outputs.
func readAll(r lineReader, outputs ...string) []editorProblem {
	var got []editorProblem
	for _, out := range outputs {
		for line := range strings.SplitSeq(out, "\n") {
			if p, ok := r.read(line); ok {
				got = append(got, p)
			}
		}
	}
	return got
}

// TestLintOutputInEditors: every finding lint prints is read by the
// documented problem matchers and errorformat with its position, its level
// and its message, and nothing else is (the -v source lines, the notes
// about missing checkers on stderr).
func TestLintOutputInEditors(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "invalid/warnings-only")
	// Errors beside the fixture's warnings, and a message with colons.
	err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "errors.yml"), []byte(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    needs: [nope]
    steps:
      - run: echo "${{ foo.bar }}"
      - run: echo "${{ github.no_such_thing }}"
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}

	// What lint should report, from the validator itself, with the
	// checkers lint finds on this PATH.
	opts := workflow.Options{Root: dir}
	if p, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = p
	}
	if p, ok := lookPath([]string{"pyflakes", "pyflakes3"}); ok {
		opts.Pyflakes = p
	}
	res, err := workflow.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	var want []editorProblem
	levels := map[string]bool{}
	for _, f := range res.Findings {
		want = append(want, editorProblem{File: f.Path, Line: f.Line, Col: f.Column, Severity: f.Severity.String(), Message: f.Message + " [" + f.Kind + "]"})
		levels[f.Severity.String()] = true
	}
	if !levels["error"] || !levels["warning"] || len(want) < 4 {
		t.Fatalf("the sample needs errors and warnings, got %+v", want)
	}

	readers := append(vscodeReaders(t), vimReader(t))
	for _, args := range [][]string{{"lint"}, {"lint", "-v"}} {
		r := runBin(t, dir, nil, args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (errors)", args, r.code)
		}
		for _, rd := range readers {
			got := readAll(rd, r.stdout, r.stderr)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%v read by %s (-want +got):\n%s\noutput:\n%s%s", args, rd.name, d, r.stdout, r.stderr)
			}
		}
	}
}

// TestRunAnnotationsInEditors: the annotations `run` prints, with the
// progress of the README's VS Code task (plain) and of its vim makeprg
// (quiet), are read by the documented matchers and errorformat, each once:
// the README's matcher and the errorformat take those with a line, the full
// matcher file also the whole-file ones; an annotation without a file is
// read by none.
func TestRunAnnotationsInEditors(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "annotate.yml"), []byte(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "::error file=app.py,line=3,col=5::boom here"
          echo "::warning file=src/lib.py,line=2::unused: thing"
          echo "::notice file=README.md::whole file"
          echo "::error::no file"
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	withLine := []editorProblem{
		{File: "app.py", Line: 3, Col: 5, Severity: "error", Message: "boom here"},
		{File: "src/lib.py", Line: 2, Severity: "warning", Message: "unused: thing"},
	}
	wholeFile := editorProblem{File: "README.md", Severity: "notice", Message: "whole file"}

	vs := vscodeReaders(t)
	for _, progress := range []string{"plain", "quiet"} {
		r := runBin(t, dir, []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, "run", "--executor", "host", "--progress", progress, "-W", ".github/workflows/annotate.yml")
		if r.code != 0 {
			t.Fatalf("--progress %s: exit %d\n%s%s", progress, r.code, r.stdout, r.stderr)
		}
		check := func(rd lineReader, want []editorProblem) {
			t.Helper()
			got := readAll(rd, r.stdout, r.stderr)
			// Annotations are listed by the report in its own order:
			// compare as sets, each once.
			if d := cmp.Diff(sortProblems(want), sortProblems(got)); d != "" {
				t.Errorf("--progress %s read by %s (-want +got):\n%s\noutput:\n%s%s", progress, rd.name, d, r.stdout, r.stderr)
			}
		}
		check(vs[0], withLine)
		check(vs[1], append(append([]editorProblem(nil), withLine...), wholeFile))
		check(vimReader(t), withLine)
	}
}

// sortProblems returns ps in a fixed order, to compare them as sets.
func sortProblems(ps []editorProblem) []editorProblem {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b editorProblem) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

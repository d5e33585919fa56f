package step

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rehearse-dev/rehearse/emulate/mask"
)

// stepDeadline bounds the processing of one fuzzed step output or file
// command file, at most a few MB: linear work takes milliseconds.
const stepDeadline = 10 * time.Second

// within runs fn and fails t when it takes longer than d; a hang is a bug
// as much as a panic is.
func within(t *testing.T, d time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s took more than %v", what, d)
	}
}

// FuzzCommands: a step's output, whatever it holds, goes through a
// Processor within stepDeadline without a panic, and once the masks its
// commands register are applied (as the executor applies them, before the
// display lines are written) no display line shows a value ::add-mask:: or
// a long ::stop-commands:: token registered. Seeds: the golden command logs
// and hostile shapes (a 1 MB line, masks split by other commands).
func FuzzCommands(f *testing.F) {
	logs, _ := filepath.Glob(filepath.Join("testdata", "commands", "*.log"))
	for _, p := range logs {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), strings.Contains(string(b), "#opts debug"))
	}
	f.Add("::add-mask::s3cr%0At\n::echo::on\n::add-mask::  padded  \nline s3cr t padded\n::stop-commands::tok-en-123\n::add-mask::x\n::tok-en-123::\n", true)
	f.Add("##[add-mask]a;b%3Bc\ntext ##[error file=x;line=3]boom\n::error file=a%2Cb,line=1,col=2::m%25%0Dx\n", false)
	f.Add("::debug::"+strings.Repeat("::", 1<<19)+"\n"+strings.Repeat("x", 1<<20), true)
	f.Fuzz(func(t *testing.T, output string, debug bool) {
		p := NewProcessor(ProcessorOptions{Debug: debug, Workspace: "/home/runner/work/r/r"})
		m := mask.New()
		within(t, stepDeadline, "processing the output", func() {
			for line := range strings.SplitSeq(output, "\n") {
				display, effects := p.Line(line)
				var masks []string
				for _, e := range effects {
					switch e.Kind {
					case EffectAddMask:
						m.Add(e.Mask)
						masks = append(masks, e.Mask)
						for l := range strings.FieldsFuncSeq(e.Mask, func(r rune) bool { return r == '\r' || r == '\n' }) {
							masks = append(masks, strings.TrimFunc(l, unicode.IsSpace))
						}
					case EffectMaskValue:
						m.AddValue(e.Mask)
						masks = append(masks, e.Mask)
					}
				}
				for _, d := range display {
					shown := m.Mask(d)
					for _, s := range masks {
						// The log is masked line by line, and a "*" in a
						// value can meet the "***" that replaced another
						// occurrence: neither is a leak.
						if s != "" && !strings.ContainsAny(s, "\r\n*") && strings.Contains(shown, s) {
							t.Fatalf("line %q shows %q, which it registered as a mask, as %q", line, s, shown)
						}
					}
				}
			}
		})
	})
}

// escapeData and escapeProperty are @actions/core's toCommandValue escaping
// (actions/toolkit packages/core/src/command.ts), which the Processor undoes.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// FuzzIssueCommand: an ::error::, ::warning:: or ::notice:: command written
// by @actions/core (escaped data and properties) gives back exactly the
// message, file, title and line it was written with.
func FuzzIssueCommand(f *testing.F) {
	f.Add(uint8(0), "ZeroDivisionError: division by zero", "tests/test_math.py", "test_div", uint16(12))
	f.Add(uint8(1), "50% done: a,b\r\nnext%0A", "dir with space/a:b,c.py", "t::x", uint16(1))
	f.Add(uint8(2), "%25%0A literally", "%3A", "%", uint16(0))
	f.Fuzz(func(t *testing.T, level uint8, msg, file, title string, line uint16) {
		lvl := []string{"error", "warning", "notice"}[int(level)%3]
		var props []string
		if file != "" {
			props = append(props, "file="+escapeProperty(file))
		}
		if title != "" {
			props = append(props, "title="+escapeProperty(title))
		}
		// The runner trims the property list, so line goes last: a value
		// ending in blanks keeps them.
		props = append(props, fmt.Sprintf("line=%d", line))
		cmd := "::" + lvl + " " + strings.Join(props, ",") + "::" + escapeData(msg)
		_, effects := NewProcessor(ProcessorOptions{}).Line(cmd)
		if strings.TrimSpace(msg) == "" {
			return // the runner uploads no annotation for a blank message
		}
		if len(effects) != 1 || effects[0].Kind != EffectAnnotation {
			t.Fatalf("%q gave effects %+v, want one annotation", cmd, effects)
		}
		a := effects[0].Annotation
		// The runner splits key=value with String.Split('=', 2,
		// RemoveEmptyEntries), which drops the "=" a value starts with, and
		// it ignores a blank file.
		wantFile, wantTitle := strings.TrimLeft(file, "="), strings.TrimLeft(title, "=")
		if strings.TrimSpace(wantFile) == "" {
			wantFile = ""
		}
		if a.Level != lvl || a.Message != msg || a.File != wantFile || a.Title != wantTitle || a.Line != int(line) {
			t.Errorf("%q gave %+v, want level %q message %q file %q title %q line %d", cmd, *a, lvl, msg, wantFile, wantTitle, line)
		}
	})
}

// FuzzEnvFile: any GITHUB_ENV, GITHUB_OUTPUT or GITHUB_PATH file parses
// and applies within stepDeadline, on Linux and on Windows, without a
// panic; a parse error names a line of the file; GITHUB_PATH lines are
// added as adding them one by one would. Seeds: the shapes of the runner's
// tests, a 1 MB line, 100,000 paths, an unterminated heredoc, UTF-16.
func FuzzEnvFile(f *testing.F) {
	f.Add([]byte("MY_ENV=MY VALUE\nMY_ENV_2<<EOF\nline one\r\nline two\nEOF\n"))
	f.Add([]byte("\xEF\xBB\xBFA<<EOF\r\nx\r\nEOF\r\n=x\nB==c\n"))
	f.Add([]byte("\xFF\xFEA\x00=\x00b\x00\n\x00"))
	f.Add([]byte("A<<EOF\nnever closed\n"))
	f.Add([]byte("A<<EOF\nx\nEOF"))
	f.Add([]byte("NOT A COMMAND\n<<EOF\n"))
	f.Add([]byte("A=" + strings.Repeat("x", 1<<20) + "\n/usr/local/bin\n"))
	var paths strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&paths, "/p/%d\n", i%70_000)
	}
	f.Add([]byte(paths.String()))
	f.Fuzz(func(t *testing.T, data []byte) {
		within(t, stepDeadline, "parsing the file", func() {
			for _, runnerOS := range []string{"Linux", "Windows"} {
				_, err := ParseEnvFileFor(runnerOS, data)
				if err == nil {
					continue
				}
				fe, ok := err.(*FileCommandError)
				if !ok {
					t.Fatalf("%s: error %T %v is not a *FileCommandError", runnerOS, err, err)
				}
				lines := strings.Count(decodeText(data), "\n") + 1
				if fe.Line < 1 || fe.Line > lines {
					t.Fatalf("%s: error %q on line %d of a %d-line file", runnerOS, fe.Message, fe.Line, lines)
				}
			}
			existing := []string{"/usr/local/bin", "/a"}
			dirs := ParsePathFile(data)
			got := AddPaths(existing, dirs...)
			if len(dirs) <= 1000 && !slices.Equal(got, addPathsOneByOne(existing, dirs...)) {
				t.Fatalf("AddPaths(%q, %q) = %q, not what adding them one by one gives", existing, dirs, got)
			}
		})
	})
}

// FuzzEnvFileRoundTrip: a name and value written as @actions/core writes
// them to GITHUB_OUTPUT (NAME<<DELIMITER with a delimiter the value does
// not contain, or NAME=VALUE for a one-line value) parse back unchanged.
func FuzzEnvFileRoundTrip(f *testing.F) {
	f.Add("result", "line one\nline two")
	f.Add("json", `{"a": "b=c<<d"}`)
	f.Add("empty", "")
	f.Add("crlf", "a\r\nb\r")
	f.Add("eq", "==\n\n")
	f.Fuzz(func(t *testing.T, name, value string) {
		if name == "" || strings.ContainsAny(name, "=\r\n") || strings.Contains(name+"<", "<<") ||
			strings.HasPrefix(name, "\uFEFF") || !utf8.ValidString(name) || !utf8.ValidString(value) {
			// Not a name the runner can read back (one ending in "<" runs
			// into the "<<"), or text it re-decodes.
			return
		}
		delim := "ghadelimiter_0"
		for i := 1; strings.Contains(value, delim); i++ {
			delim = fmt.Sprintf("ghadelimiter_%d", i)
		}
		files := []string{name + "<<" + delim + "\n" + value + "\n" + delim + "\n"}
		if !strings.Contains(value, "\n") {
			files = append(files, name+"="+value+"\n")
		}
		for _, file := range files {
			got, err := ParseEnvFileFor("Linux", []byte(file))
			if err != nil || len(got) != 1 || got[0] != (KeyValue{name, value}) {
				t.Errorf("%q parsed as %q, %v; want %q=%q", file, got, err, name, value)
			}
		}
	})
}

package step

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

// runnerFile builds a file the way the runner's L0 tests do
// (TestUtil.WriteContent): a UTF-8 byte order mark and the lines joined by
// the newline, with no newline after the last one.
func runnerFile(newline string, lines ...string) []byte {
	return append([]byte{0xEF, 0xBB, 0xBF}, strings.Join(lines, newline)...)
}

func lf(lines ...string) []byte { return runnerFile("\n", lines...) }

func TestParseEnvFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		data []byte
		want []KeyValue
	}{
		// actions/runner src/Test/L0/Worker/SetEnvFileCommandL0.cs and FileCommandTestBase.cs.
		{"L0 EmptyFile", lf(), nil},
		{"L0 Simple", lf("MY_ENV=MY VALUE"), []KeyValue{{"MY_ENV", "MY VALUE"}}},
		{"L0 Simple_SkipEmptyLines", lf("", "MY_ENV=my value", "", "MY_ENV_2=my second value", ""),
			[]KeyValue{{"MY_ENV", "my value"}, {"MY_ENV_2", "my second value"}}},
		{"L0 Simple_EmptyValue", lf("MY_ENV="), []KeyValue{{"MY_ENV", ""}}},
		{"L0 Simple_MultipleValues", lf("MY_ENV=my value", "MY_ENV_2=", "MY_ENV_3=my third value"),
			[]KeyValue{{"MY_ENV", "my value"}, {"MY_ENV_2", ""}, {"MY_ENV_3", "my third value"}}},
		{"L0 Simple_SpecialCharacters", lf("MY_ENV==abc", "MY_ENV_2=def=ghi", "MY_ENV_3=jkl="),
			[]KeyValue{{"MY_ENV", "=abc"}, {"MY_ENV_2", "def=ghi"}, {"MY_ENV_3", "jkl="}}},
		{"L0 Heredoc", lf("MY_ENV<<EOF", "line one", "line two", "line three", "EOF"),
			[]KeyValue{{"MY_ENV", "line one\nline two\nline three"}}},
		{"L0 Heredoc_EmptyValue", lf("MY_ENV<<EOF", "EOF"), []KeyValue{{"MY_ENV", ""}}},
		{"L0 Heredoc_SkipEmptyLines", lf("", "MY_ENV<<EOF", "hello", "world", "EOF", "", "MY_ENV_2<<EOF", "HELLO", "AGAIN", "EOF", ""),
			[]KeyValue{{"MY_ENV", "hello\nworld"}, {"MY_ENV_2", "HELLO\nAGAIN"}}},
		{"L0 Heredoc_SpecialCharacters", lf(
			"MY_ENV<<=EOF", "hello", "one", "=EOF",
			"MY_ENV_2<<<EOF", "hello", "two", "<EOF",
			"MY_ENV_3<<EOF", "hello", "", "three", "", "EOF",
			"MY_ENV_4<<EOF", "hello=four", "EOF",
			"MY_ENV_5<<EOF", " EOF", "EOF"),
			[]KeyValue{{"MY_ENV", "hello\none"}, {"MY_ENV_2", "hello\ntwo"}, {"MY_ENV_3", "hello\n\nthree\n"}, {"MY_ENV_4", "hello=four"}, {"MY_ENV_5", " EOF"}}},
		{"L0 Heredoc_EdgeCases", lf(
			"MY_ENV_1<<EOF", "hello", "", "three", "", "EOF",
			"MY_ENV_2<<EOF", "hello=two", "EOF",
			"MY_ENV_3<<EOF", " EOF", "EOF",
			"MY_ENV_4<<EOF", "EOF EOF", "EOF"),
			[]KeyValue{{"MY_ENV_1", "hello\n\nthree\n"}, {"MY_ENV_2", "hello=two"}, {"MY_ENV_3", " EOF"}, {"MY_ENV_4", "EOF EOF"}}},
		{"L0 Heredoc_PreservesNewline on linux", []byte("MY_ENV<<EOF\nhello\nworld\nEOF\n"), []KeyValue{{"MY_ENV", "hello\nworld"}}},
		// PR #2627 made "NAME=x<<EOF" an error; the runner reverted it, so the
		// first "=" still wins and the L0 EqualBeforeMultilineIndicator case
		// parses as three NAME=VALUE lines.
		{"equals before << is NAME=VALUE (PR #2627 reverted)", lf(
			"PREFIX_Issue 999:  Better handling for the `=` character<<khkIhPxsVA==",
			"RandomDataThatJustHappensToContainAnEquals=Character",
			"khkIhPxsVA=="),
			[]KeyValue{
				{"PREFIX_Issue 999:  Better handling for the `", "` character<<khkIhPxsVA=="},
				{"RandomDataThatJustHappensToContainAnEquals", "Character"},
				{"khkIhPxsVA", "="},
			}},
		{"<< in a value", lf("stdout=hi there << hello world"), []KeyValue{{"stdout", "hi there << hello world"}}},
		{"an empty name passes (the runner tests the line, not the name)", lf("=value"), []KeyValue{{"", "value"}}},
		{"names are not validated", lf("my var.x=1"), []KeyValue{{"my var.x", "1"}}},
		{"duplicates are kept in order", lf("A=1", "A=2"), []KeyValue{{"A", "1"}, {"A", "2"}}},
		{"lines are not trimmed", lf("  A = b  "), []KeyValue{{"  A ", " b  "}}},
		{"CRLF on linux keeps the CR in a value", []byte("A=b\r\nC=d\r\n"), []KeyValue{{"A", "b\r"}, {"C", "d\r"}}},
		{"CRLF heredoc on linux matches a delimiter with CR", []byte("K<<EOF\r\nx\r\ny\r\nEOF\r\n"), []KeyValue{{"K", "x\r\ny\r"}}},
		{"a heredoc value line may look like an entry", lf("K<<EOF", "A=1", "B<<C", "EOF"), []KeyValue{{"K", "A=1\nB<<C"}}},
		{"no BOM", []byte("A=1\n"), []KeyValue{{"A", "1"}}},
		{"UTF-16LE with BOM (Windows PowerShell Out-File)", utf16LE("A=é\r\nB=2\r\n"), []KeyValue{{"A", "é\r"}, {"B", "2\r"}}},
		{"invalid UTF-8 becomes U+FFFD per maximal subpart", []byte("A=\xE2\x82x\n"), []KeyValue{{"A", "\uFFFDx"}}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := ParseEnvFileFor("Linux", tc.data)
			if err != nil {
				t.Fatalf("ParseEnvFileFor(Linux) error: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseEnvFileFor(Linux) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The end markers of the runner's L0 Heredoc_EndMarkerVariations theory.
var endMarkers = []string{
	"=EOF", "==EOF", "EO=F", "EO==F", "EOF=", "EOF==",
	"<EOF", "<<EOF", "EO<F", "EO<<F", "EOF<", "EOF<<",
	"+EOF", "++EOF", "EO+F", "EO++F", "EOF+", "EOF++",
	"/EOF", "//EOF", "EO/F", "EO//F", "EOF/", "EOF//",
	"<<//++==", "contrivedBase64==", "khkIhPxsVA==", "D+Y8zE/EOw==", "wuOWG4S6FQ==",
	"7wigCJ//iw==", "uifTuYTs8K4=", "M7N2ITg/04c=", "Xhh+qp+Y6iM=", "5tdblQajc/b+EGBZXo0w",
	"jk/UMjIx/N0eVcQYOUfw", "/n5lsw73Cwl35Hfuscdz", "ZvnAEW+9O0tXp3Fmb3Oh",
}

func TestParseEnvFileEndMarkerVariations(t *testing.T) {
	t.Parallel()
	for _, eof := range endMarkers {
		t.Run("L0 Heredoc_EndMarkerVariations "+eof, func(t *testing.T) {
			t.Parallel()
			data := lf(
				"MY_ENV_1<<"+eof, "hello", "one", eof,
				"MY_ENV_2<<"+eof, "hello=two", eof,
				"MY_ENV_3<<"+eof, " "+eof, eof,
				"MY_ENV_4<<"+eof, eof+" "+eof, eof)
			want := []KeyValue{{"MY_ENV_1", "hello\none"}, {"MY_ENV_2", "hello=two"}, {"MY_ENV_3", " " + eof}, {"MY_ENV_4", eof + " " + eof}}
			got, err := ParseEnvFileFor("Linux", data)
			if err != nil {
				t.Fatalf("ParseEnvFileFor(Linux) error: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEnvFileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		data        []byte
		wantMessage string
		wantLine    int
		wantBefore  []KeyValue // entries returned with the error
	}{
		{"L0 Heredoc_MissingNewLine", lf("MY_OUTPUT<<EOF line one line two line three EOF"),
			"Invalid value. Matching delimiter not found 'EOF line one line two line three EOF'", 1, nil},
		{"L0 Heredoc_MissingNewLineMultipleLines", lf("MY_OUTPUT<<EOF line one", "   line two", "   line three EOF"),
			"Invalid value. EOF marker missing new line.", 1, nil},
		{"delimiter glued to the last value line", []byte("A=1\nBODY<<EOF\nsome text\"EOF\n"),
			"Invalid value. Matching delimiter not found 'EOF'", 2, []KeyValue{{"A", "1"}}},
		{"empty delimiter", lf("NAME<<"), "Invalid format 'NAME<<'. Name must not be empty and delimiter must not be empty", 1, nil},
		{"empty heredoc name", lf("A=1", "<<EOF", "x", "EOF"),
			"Invalid format '<<EOF'. Name must not be empty and delimiter must not be empty", 2, []KeyValue{{"A", "1"}}},
		{"neither = nor <<", lf("A=1", "", "just text", "B=2"), "Invalid format 'just text'", 3, []KeyValue{{"A", "1"}}},
		{"CRLF delimiter on linux does not match a plain one", []byte("K<<EOF\r\nx\r\nEOF"),
			"Invalid value. EOF marker missing new line.", 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := ParseEnvFileFor("Linux", tc.data)
			var fe *FileCommandError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseEnvFileFor(Linux) error = %v, want a *FileCommandError", err)
			}
			if fe.Error() != tc.wantMessage || fe.Line != tc.wantLine {
				t.Errorf("error = line %d %q, want line %d %q", fe.Line, fe.Error(), tc.wantLine, tc.wantMessage)
			}
			if diff := cmp.Diff(tc.wantBefore, got); diff != "" {
				t.Errorf("entries before the error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEnvFileFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, runnerOS string
		data           []byte
		want           []KeyValue
	}{
		{"windows strips CRLF", "Windows", []byte("A=b\r\nK<<EOF\r\nx\r\ny\r\nEOF\r\n"), []KeyValue{{"A", "b"}, {"K", "x\r\ny"}}},
		{"L0 Heredoc_PreservesNewline (LF file on windows)", "Windows", lf("MY_ENV<<EOF", "hello", "world", "EOF"), []KeyValue{{"MY_ENV", "hello\nworld"}}},
		{"linux keeps CR", "Linux", []byte("A=b\r\n"), []KeyValue{{"A", "b\r"}}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := ParseEnvFileFor(tc.runnerOS, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnableToProcessFileCommand(t *testing.T) {
	t.Parallel()
	if got, want := UnableToProcessFileCommand("output"), "Unable to process file command 'output' successfully."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParsePathFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		data []byte
		want []string
	}{
		{"empty", nil, nil},
		{"one per line in order", []byte("/opt/a/bin\n/opt/b/bin\n"), []string{"/opt/a/bin", "/opt/b/bin"}},
		{"empty lines skipped", []byte("\n/a\n\n\n/b"), []string{"/a", "/b"}},
		{"CRLF and bare CR end lines too (ReadAllLines)", []byte("/a\r\n/b\r/c"), []string{"/a", "/b", "/c"}},
		{"white space is kept", []byte("  /a \n \n"), []string{"  /a ", " "}},
		{"UTF-8 BOM removed", []byte("\xEF\xBB\xBF/a\n"), []string{"/a"}},
		{"UTF-16LE BOM", utf16LE(`C:\tools` + "\r\n"), []string{`C:\tools`}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, ParsePathFile(tc.data)); diff != "" {
				t.Errorf("ParsePathFile mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAddPathsAndPathEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		runnerOS string
		steps    [][]string // GITHUB_PATH files of successive steps
		current  string
		wantList []string
		wantPath string
	}{
		{"nothing added leaves PATH alone", "Linux", nil, "/usr/bin:/bin", nil, "/usr/bin:/bin"},
		{"later lines come first on PATH", "Linux", [][]string{{"/a", "/b"}}, "/usr/bin", []string{"/a", "/b"}, "/b:/a:/usr/bin"},
		{"a later step goes in front", "Linux", [][]string{{"/a"}, {"/b"}}, "/usr/bin", []string{"/a", "/b"}, "/b:/a:/usr/bin"},
		{"re-adding moves to the front (RemoveAll then Add)", "Linux", [][]string{{"/a", "/b"}, {"/a"}}, "/usr/bin", []string{"/b", "/a"}, "/a:/b:/usr/bin"},
		{"duplicate in one file", "Linux", [][]string{{"/a", "/b", "/a"}}, "/usr/bin", []string{"/b", "/a"}, "/a:/b:/usr/bin"},
		{"empty PATH gets no trailing separator", "Linux", [][]string{{"/a"}}, "", []string{"/a"}, "/a"},
		{"already prefixed is not repeated (PathUtil.PrependPath)", "Linux", [][]string{{"/a"}}, "/a:/usr/bin", []string{"/a"}, "/a:/usr/bin"},
		{"windows separator", "Windows", [][]string{{`C:\a`, `C:\b`}}, `C:\Windows`, []string{`C:\a`, `C:\b`}, `C:\b;C:\a;C:\Windows`},
		{"windows prefix check ignores case", "Windows", [][]string{{`C:\a`}}, `c:\A;C:\Windows`, []string{`C:\a`}, `c:\A;C:\Windows`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			var list []string
			for _, dirs := range tc.steps {
				list = AddPaths(list, dirs...)
			}
			if diff := cmp.Diff(tc.wantList, list); diff != "" {
				t.Errorf("AddPaths mismatch (-want +got):\n%s", diff)
			}
			if got := PathEnv(tc.runnerOS, list, tc.current); got != tc.wantPath {
				t.Errorf("PathEnv = %q, want %q", got, tc.wantPath)
			}
		})
	}
}

func TestAddPathsDoesNotModifyItsInput(t *testing.T) {
	t.Parallel()
	in := []string{"/a", "/b", "/c"}
	_ = AddPaths(in, "/a")
	if diff := cmp.Diff([]string{"/a", "/b", "/c"}, in); diff != "" {
		t.Errorf("input changed (-want +got):\n%s", diff)
	}
}

// addPathsOneByOne is AddPaths as the runner words it (PrependPath.RemoveAll
// then Add, per directory): the reference for the one-pass version.
func addPathsOneByOne(list []string, dirs ...string) []string {
	for _, dir := range dirs {
		kept := list[:0:0]
		for _, existing := range list {
			if existing != dir {
				kept = append(kept, existing)
			}
		}
		list = append(kept, dir)
	}
	return list
}

// TestAddPathsOnePass: the one-pass AddPaths (a 100,000-line GITHUB_PATH
// took minutes one directory at a time) gives what removing and appending
// each directory in turn gives.
func TestAddPathsOnePass(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what       string
		list, dirs []string
	}{
		{"nothing added", []string{"/a", "/a"}, nil},
		{"into nothing", nil, []string{"/a", "/b", "/a", "/c", "/b"}},
		{"moves existing entries", []string{"/a", "/b", "/c", "/b"}, []string{"/b", "/d"}},
		{"repeats in both", []string{"/x", "/a", "/x", "/b"}, []string{"/a", "/a", "/y", "/x", "/y"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			want := addPathsOneByOne(tc.list, tc.dirs...)
			if diff := cmp.Diff(want, AddPaths(tc.list, tc.dirs...)); diff != "" {
				t.Errorf("AddPaths mismatch (-one by one +one pass):\n%s", diff)
			}
		})
	}
}

// BenchmarkAddPaths adds a 100,000-line GITHUB_PATH file.
func BenchmarkAddPaths(b *testing.B) {
	var file strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&file, "/opt/tool/%d/bin\n", i%60_000)
	}
	dirs := ParsePathFile([]byte(file.String()))
	for b.Loop() {
		AddPaths([]string{"/usr/local/bin"}, dirs...)
	}
}

func TestBlockedEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, name  string
		blocked     bool
		wantMessage string
	}{
		{"NODE_OPTIONS", "NODE_OPTIONS", true, "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command."},
		{"any case, message keeps the list spelling", "node_Options", true, "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command."},
		{"other names pass", "NODE_ENV", false, ""},
		{"PATH may be set", "PATH", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := BlockedEnv(tc.name); got != tc.blocked {
				t.Errorf("BlockedEnv(%q) = %v, want %v", tc.name, got, tc.blocked)
			}
			if got := BlockedEnvMessage(tc.name); got != tc.wantMessage {
				t.Errorf("BlockedEnvMessage(%q) = %q, want %q", tc.name, got, tc.wantMessage)
			}
		})
	}
}

// utf16LE encodes s as UTF-16LE with a byte order mark.
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

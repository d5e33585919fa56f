package dotenv

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// parseDeadline bounds one Parse of a fuzzed file of at most a few MB.
const parseDeadline = 10 * time.Second

// lineError is the start of every Parse error: it names the line.
var lineError = regexp.MustCompile(`^line (\d+): `)

// FuzzParse: any --secret-file, --var-file or --env-file text parses within
// parseDeadline without a panic, and an error names a line of the file.
// Seeds: the forms the package reads, a 1 MB line, a multi-line secret of
// 100,000 lines, an unclosed quote.
func FuzzParse(f *testing.F) {
	f.Add("# c\nexport A=x # trailing\n\nB = two \r\nC='a\\nb $X'\n")
	f.Add("KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nB=1\nJ='{\"user\":\"u\"}'\n")
	f.Add("A=\"a\\nb \\\"q\\\"\\\\\" # comment\nJUSTKEY\n")
	f.Add("A=\"abc\nB=1")
	f.Add("A=" + strings.Repeat("x", 1<<20) + "\n")
	f.Add("CERTS=\"" + strings.Repeat("MIIBszCCAVmgAwIBAgIU\n", 100_000) + "\"\n")
	f.Fuzz(func(t *testing.T, text string) {
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, err = Parse(text)
		}()
		select {
		case <-done:
		case <-time.After(parseDeadline):
			t.Fatalf("Parse of %d bytes took more than %v", len(text), parseDeadline)
		}
		if err == nil {
			return
		}
		m := lineError.FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("error %q names no line", err)
		}
		lines := strings.Count(strings.ReplaceAll(text, "\r\n", "\n"), "\n") + 1
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > lines {
			t.Fatalf("error %q names a line outside the %d-line file", err, lines)
		}
	})
}

// quoteValue writes value in double quotes with the escapes Parse undoes.
func quoteValue(value string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`).Replace(value) + `"`
}

// FuzzRoundTrip: a value written in double quotes, with its backslashes,
// quotes and line breaks escaped, after export or not, followed by a
// comment or not, reads back unchanged, and so does a value written across
// lines (a pasted key) when it holds no quote or backslash.
func FuzzRoundTrip(f *testing.F) {
	f.Add("SSH_KEY", "-----BEGIN KEY-----\nabc\n-----END KEY-----", true)
	f.Add("A", `p@ss "w'rd" \ # not a comment`, false)
	f.Add("EMPTY", "", true)
	f.Add("T", " \t padded \t ", false)
	f.Fuzz(func(t *testing.T, key, value string, comment bool) {
		if key == "" || strings.ContainsAny(key, "=#\"'\r\n") || key != strings.TrimSpace(key) || strings.HasPrefix(key, "export ") {
			return // not a key Parse reads
		}
		suffix := "\n"
		if comment {
			suffix = " # set by hand\n"
		}
		files := []string{
			key + "=" + quoteValue(value) + suffix,
			"export " + key + "=" + quoteValue(value) + suffix + "OTHER=1\n",
		}
		first, _, _ := strings.Cut(value, "\n")
		if !strings.ContainsAny(value, "\"\\\r") && first == strings.TrimRightFunc(first, unicode.IsSpace) {
			// The first line is trimmed with the key, so a value written
			// as it is keeps no white space at its end.
			files = append(files, key+`="`+value+`"`+suffix)
		}
		for _, file := range files {
			got, err := Parse(file)
			if err != nil || got[key] != value {
				t.Errorf("%q read as %q, %v; want %s=%q", file, got, err, key, value)
			}
		}
	})
}

package step

import (
	"fmt"
	"strings"
)

// KeyValue is one entry of a GITHUB_ENV, GITHUB_OUTPUT or GITHUB_STATE file,
// or of a step's environment.
type KeyValue struct{ Key, Value string }

// FileCommandError is a GITHUB_ENV, GITHUB_OUTPUT or GITHUB_STATE file that the
// runner rejects. Error returns the runner's own text, unchanged and
// capitalised, because the step log shows it verbatim after
// [UnableToProcessFileCommand].
type FileCommandError struct {
	// Line is the 1-based line of the entry that failed. For an unterminated
	// heredoc it is the line of NAME<<DELIMITER.
	Line int
	// Message is the runner's exception message.
	Message string
}

// Error returns the runner's message.
func (e *FileCommandError) Error() string { return e.Message }

// UnableToProcessFileCommand is the first of the two errors the runner logs
// when a file command fails. The second is the [FileCommandError] text.
// contextName is the file's context name: "env", "output", "state", "path"
// or "step_summary". The failure also fails the step
// (FileCommandManager.ProcessFiles).
func UnableToProcessFileCommand(contextName string) string {
	return fmt.Sprintf("Unable to process file command '%s' successfully.", contextName)
}

// ParseEnvFileFor parses a GITHUB_ENV, GITHUB_OUTPUT or GITHUB_STATE file as
// the runner on runnerOS does (FileCommandManager.cs, EnvFileKeyValuePairs).
// Entries are returned in file order. Duplicates are kept, and the
// consumer's map makes the last one win. The rules:
//
//   - On Linux and macOS lines end at LF only. A CR before it stays in the
//     value, and a CRLF heredoc delimiter therefore never matches a
//     delimiter without a CR. On Windows lines also end at CRLF, so a
//     heredoc written with CRLF keeps CRLF between its lines but loses the
//     CRLF before the delimiter.
//   - Empty lines between entries are skipped. Lines are not trimmed.
//   - NAME=VALUE is used when the first "=" comes before the first "<<". The
//     value is everything after that "=", so it may contain "=" and "<<".
//   - NAME<<DELIMITER is used when "<<" comes first. The value is every line
//     up to the first line that equals DELIMITER exactly. The newline before
//     the delimiter is not part of the value.
//   - A name is never validated. "=x" yields an empty name because the
//     runner checks the wrong variable (it tests the line, not the name).
//
// On error the entries before the failing line are returned too, because
// the runner has applied them by the time it throws.
func ParseEnvFileFor(runnerOS string, data []byte) ([]KeyValue, error) {
	return parseEnvText(decodeText(data), isWindows(runnerOS))
}

func parseEnvText(text string, crlf bool) ([]KeyValue, error) {
	var out []KeyValue
	r := lineReader{text: text, crlf: crlf}
	for {
		line, _, ok := r.next()
		if !ok {
			return out, nil
		}
		if line == "" {
			continue
		}
		lineNo := r.lineNo
		equals := strings.Index(line, "=")
		heredoc := strings.Index(line, "<<")
		switch {
		case equals >= 0 && (heredoc < 0 || equals < heredoc):
			// The runner guards this branch with string.IsNullOrEmpty(line),
			// which is never true here, so an empty name passes.
			out = append(out, KeyValue{Key: line[:equals], Value: line[equals+1:]})
		case heredoc >= 0 && (equals < 0 || heredoc < equals):
			name, delimiter := line[:heredoc], line[heredoc+2:]
			if name == "" || delimiter == "" {
				return out, &FileCommandError{Line: lineNo, Message: fmt.Sprintf("Invalid format '%s'. Name must not be empty and delimiter must not be empty", line)}
			}
			start, end := r.index, r.index
			for {
				body, newline, ok := r.next()
				if ok && body == delimiter {
					break
				}
				if !ok {
					return out, &FileCommandError{Line: lineNo, Message: fmt.Sprintf("Invalid value. Matching delimiter not found '%s'", delimiter)}
				}
				if newline == "" {
					// The last line of the file has no line break, so the
					// delimiter cannot follow on a line of its own.
					return out, &FileCommandError{Line: lineNo, Message: "Invalid value. EOF marker missing new line."}
				}
				end = r.index - len(newline)
			}
			value := ""
			if end > start {
				value = text[start:end]
			}
			out = append(out, KeyValue{Key: name, Value: value})
		default:
			return out, &FileCommandError{Line: lineNo, Message: fmt.Sprintf("Invalid format '%s'", line)}
		}
	}
}

// lineReader is EnvFileKeyValuePairs.ReadLine: it returns each line and the
// line break that ended it, or "" for a last line without one.
type lineReader struct {
	text   string
	index  int
	lineNo int
	crlf   bool
}

func (r *lineReader) next() (line, newline string, ok bool) {
	if r.index >= len(r.text) {
		return "", "", false
	}
	r.lineNo++
	start := r.index
	lf := strings.IndexByte(r.text[start:], '\n')
	if lf < 0 {
		r.index = len(r.text)
		return r.text[start:], "", true
	}
	lf += start
	if r.crlf && lf > start && r.text[lf-1] == '\r' {
		r.index = lf + 1
		return r.text[start : lf-1], "\r\n", true
	}
	r.index = lf + 1
	return r.text[start:lf], "\n", true
}

// ParsePathFile parses a GITHUB_PATH file (AddPathFileCommand). Each
// non-empty line is one directory, in file order. Lines are not trimmed, so a
// line of spaces is a directory. The file is read with File.ReadAllLines,
// which ends lines at CR, LF or CRLF on every OS. Apply the result with
// [AddPaths].
func ParsePathFile(data []byte) []string {
	var out []string
	text := decodeText(data)
	for text != "" {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			out = append(out, text)
			break
		}
		if i > 0 {
			out = append(out, text[:i])
		}
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
	return out
}

// AddPaths adds directories to the runner's prepend-path list (the job-wide
// Global.PrependPath) as GITHUB_PATH and ::add-path:: do. Each directory is
// first removed wherever it already is and then appended. The list is oldest
// first, and [PathEnv] reverses it, so the directory added last comes first
// on PATH. For a GITHUB_PATH file with lines A then B, PATH becomes
// "B:A:<earlier additions>:<PATH>".
//
// The result is computed in one pass, not one removal per directory: a
// step that writes 100,000 lines to GITHUB_PATH took minutes that way.
// Removing and appending each directory in turn leaves the entries of list
// that are not added again, in their order, followed by each added
// directory once, at the place of its last occurrence in dirs.
func AddPaths(list []string, dirs ...string) []string {
	if len(dirs) == 0 {
		return list
	}
	last := make(map[string]int, len(dirs))
	for i, dir := range dirs {
		last[dir] = i
	}
	out := make([]string, 0, len(list)+len(last))
	for _, existing := range list {
		if _, added := last[existing]; !added {
			out = append(out, existing)
		}
	}
	for i, dir := range dirs {
		if last[dir] == i {
			out = append(out, dir)
		}
	}
	return out
}

// PathEnv is the PATH value a step gets from the prepend-path list and the
// PATH it would otherwise have (Handler.AddPrependPathToEnvironment and
// PathUtil.PrependPath). The list is joined newest first with the runner OS's
// separator and put in front of current. Nothing is added when the list is
// empty or when current already starts with exactly that prefix. The runner
// searches the same value for the shell program.
func PathEnv(runnerOS string, list []string, current string) string {
	if len(list) == 0 {
		return current
	}
	sep := ":"
	if isWindows(runnerOS) {
		sep = ";"
	}
	reversed := make([]string, len(list))
	for i, dir := range list {
		reversed[len(list)-1-i] = dir
	}
	prepend := strings.Join(reversed, sep)
	if current == "" {
		// No trailing separator: on Linux and macOS an empty PATH entry means
		// the current directory.
		return prepend
	}
	if hasPathPrefix(runnerOS, current, prepend+sep) {
		return current
	}
	return prepend + sep + current
}

// hasPathPrefix compares as IOUtil.FilePathStringComparison does: ordinal,
// and case-insensitive on Windows.
func hasPathPrefix(runnerOS, s, prefix string) bool {
	if isWindows(runnerOS) {
		return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
	}
	return strings.HasPrefix(s, prefix)
}

// setEnvBlockList holds the names the runner refuses to set from GITHUB_ENV
// or ::set-env::, compared case-insensitively. NODE_OPTIONS would let a step
// inject code into every later JavaScript action.
var setEnvBlockList = []string{"NODE_OPTIONS"}

// BlockedEnv reports whether the runner refuses to set name from GITHUB_ENV
// (and from ::set-env::). The runner skips the entry, logs
// [BlockedEnvMessage] as an error annotation, and does not fail the step.
func BlockedEnv(name string) bool {
	_, ok := blockedEnv(name)
	return ok
}

func blockedEnv(name string) (string, bool) {
	for _, blocked := range setEnvBlockList {
		if strings.EqualFold(blocked, name) {
			return blocked, true
		}
	}
	return "", false
}

// BlockedEnvMessage is the error the runner logs when GITHUB_ENV sets a
// blocked name. The name is spelled as in the block list, whatever case the
// file used. It returns "" for a name that is not blocked.
func BlockedEnvMessage(name string) string {
	blocked, ok := blockedEnv(name)
	if !ok {
		return ""
	}
	return fmt.Sprintf("Can't store %s output parameter using '$GITHUB_ENV' command.", blocked)
}

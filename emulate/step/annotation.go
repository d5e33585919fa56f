package step

import (
	"fmt"
	"strings"
)

// Annotation is an error, warning or notice the runner attaches to the step:
// from ::error::, ::warning:: and ::notice::, and from the runner's own
// errors and warnings about commands. Positions follow the runner's
// conversion to an annotation (Sdk/RSWebApi/Contracts/IssueExtensions.cs,
// ToAnnotation): a missing Line or Col is 0, a missing EndLine is Line, and
// a missing EndColumn is Col.
//
// Message is the raw message. The runner masks secrets in it and then cuts it
// to [MaxAnnotationMessageLength] UTF-16 code units before upload, and the
// reporter must do the same.
type Annotation struct {
	// Level is "error", "warning" or "notice".
	Level string
	// File is the path the command gave, made relative to the workspace when
	// it lies inside it, with "/" separators. It is "" for none.
	File string
	// Line, EndLine, Col and EndColumn are the 1-based position; see above
	// for the defaults.
	Line, EndLine, Col, EndColumn int
	// Title is the title property, or "".
	Title string
	// Message is the command's data, or the runner's own message.
	Message string
}

// MaxAnnotationMessageLength is the number of UTF-16 code units of an
// annotation message the runner keeps (ExecutionContext._maxIssueMessageLength).
// The log line keeps the whole message.
const MaxAnnotationMessageLength = 4096

// Log returns the step-log line for an issue of this level: "##[error]",
// "##[warning]" or "##[notice]" and the message. It is "" for an empty
// message, which the runner does not log.
func (a Annotation) Log() string {
	if a.Message == "" {
		return ""
	}
	return "##[" + a.Level + "]" + a.Message
}

// The property names of issue commands (IssueCommandProperties).
const (
	propFile      = "file"
	propLine      = "line"
	propEndLine   = "endLine"
	propCol       = "col"
	propEndColumn = "endColumn"
	propTitle     = "title"
)

// validateLinesAndColumns is IssueCommandExtension.ValidateLinesAndColumns.
// It repairs or drops inconsistent positions and returns the debug messages
// the runner logs while doing so. Like the runner it keeps the parsed numbers
// from before a repair, so a line copied from endLine still counts as 0 in
// the "endLine cannot be less than line" check.
func validateLinesAndColumns(command string, p properties) []string {
	var debug []string
	line, _ := p.get(propLine)
	endLine, _ := p.get(propEndLine)
	col, _ := p.get(propCol)
	endCol, _ := p.get(propEndColumn)

	lineNumber, hasStartLine := tryParseInt(line)
	endLineNumber, hasEndLine := tryParseInt(endLine)
	colNumber, hasStartColumn := tryParseInt(col)
	endColNumber, hasEndColumn := tryParseInt(endCol)
	hasColumn := hasStartColumn || hasEndColumn

	if hasEndLine && !hasStartLine {
		debug = append(debug, fmt.Sprintf("Invalid %s command value. '%s' can only be set if '%s' is provided", command, propEndLine, propLine))
		p.set(propLine, endLine)
		hasStartLine = true
		line = endLine
	}
	if hasEndColumn && !hasStartColumn {
		debug = append(debug, fmt.Sprintf("Invalid %s command value. '%s' can only be set if '%s' is provided", command, propEndColumn, propCol))
		p.set(propCol, endCol)
		hasStartColumn = true
	}
	if !hasStartLine && hasColumn {
		debug = append(debug, fmt.Sprintf("Invalid %s command value. '%s' and '%s' can only be set if '%s' value is provided.", command, propCol, propEndColumn, propLine))
		p.remove(propCol)
		p.remove(propEndColumn)
	}
	if hasEndLine && line != endLine && hasColumn {
		debug = append(debug, fmt.Sprintf("Invalid %s command value. '%s' and '%s' cannot be set if '%s' and '%s' are different values.", command, propCol, propEndColumn, propLine, propEndLine))
		p.remove(propCol)
		p.remove(propEndColumn)
	}
	if hasStartLine && hasEndLine && endLineNumber < lineNumber {
		debug = append(debug, fmt.Sprintf("Invalid %s command value. '%s' cannot be less than '%s'.", command, propEndLine, propLine))
		p.remove(propLine)
		p.remove(propEndLine)
	}
	if hasStartColumn && hasEndColumn && endColNumber < colNumber {
		debug = append(debug, fmt.Sprintf("Invalid %s command value. '%s' cannot be less than '%s'.", command, propEndColumn, propCol))
		p.remove(propCol)
		p.remove(propEndColumn)
	}
	return debug
}

// annotationFromProperties builds the annotation the runner uploads for an
// issue command with the given (validated) properties.
func annotationFromProperties(level, message string, p properties) Annotation {
	a := Annotation{Level: level, Message: message}
	if file, ok := p.get(propFile); ok && strings.TrimSpace(file) != "" {
		a.File = file
	}
	a.Title, _ = p.get(propTitle)
	a.Line = numberProperty(p, propLine, 0)
	a.EndLine = numberProperty(p, propEndLine, a.Line)
	a.Col = numberProperty(p, propCol, 0)
	a.EndColumn = numberProperty(p, propEndColumn, a.Col)
	return a
}

func numberProperty(p properties, key string, fallback int) int {
	if s, ok := p.get(key); ok {
		if n, ok := tryParseInt(s); ok {
			return n
		}
	}
	return fallback
}

// makeRelative is IOUtil.MakeRelative on Linux and macOS: path relative to
// folder when folder is a prefix ending at a separator, "" when they are
// equal, and path unchanged otherwise.
func makeRelative(path, folder string) string {
	if !strings.HasPrefix(path, folder) {
		return path
	}
	if len(path) == len(folder) {
		return ""
	}
	if len(folder) > 0 && folder[len(folder)-1] == '/' {
		return path[len(folder):]
	}
	if path[len(folder)] == '/' {
		return path[len(folder)+1:]
	}
	return path
}

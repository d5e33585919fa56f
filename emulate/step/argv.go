package step

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ParseArguments splits a command-line argument string into arguments the
// way .NET's Process does on Linux and macOS. The runner hands the shell one
// argument string (ProcessStartInfo.Arguments). .NET splits that string with
// the Windows C runtime rules, not POSIX shell rules:
//
//   - spaces and tabs separate arguments outside double quotes;
//   - double quotes group, and single quotes are ordinary characters;
//   - 2n backslashes before a quote become n backslashes and the quote
//     toggles quoting, and 2n+1 backslashes become n backslashes and a
//     literal quote;
//   - backslashes not followed by a quote are literal;
//   - inside quotes, "" is a literal quote.
//
// Source: dotnet/runtime
// src/libraries/System.Diagnostics.Process/src/System/Diagnostics/Process.Unix.cs
// (ParseArgumentsIntoList, GetNextArgument).
func ParseArguments(arguments string) []string {
	var out []string
	i := 0
	for i < len(arguments) {
		for i < len(arguments) && (arguments[i] == ' ' || arguments[i] == '\t') {
			i++
		}
		if i == len(arguments) {
			break
		}
		var arg string
		arg, i = nextArgument(arguments, i)
		out = append(out, arg)
	}
	return out
}

// nextArgument is GetNextArgument: it reads one argument that starts at i and
// returns it with the index just past it.
func nextArgument(s string, i int) (string, int) {
	var b strings.Builder
	inQuotes := false
	for i < len(s) {
		backslashes := 0
		for i < len(s) && s[i] == '\\' {
			i++
			backslashes++
		}
		if backslashes > 0 {
			if i >= len(s) || s[i] != '"' {
				b.WriteString(strings.Repeat(`\`, backslashes))
			} else {
				b.WriteString(strings.Repeat(`\`, backslashes/2))
				if backslashes%2 != 0 {
					b.WriteByte('"')
					i++
				}
			}
			continue
		}
		c := s[i]
		if c == '"' {
			if inQuotes && i < len(s)-1 && s[i+1] == '"' {
				// "" inside quotes is a literal quote and stays in quotes.
				b.WriteByte('"')
				i++
			} else {
				inQuotes = !inQuotes
			}
			i++
			continue
		}
		if (c == ' ' || c == '\t') && !inQuotes {
			break
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), i
}

// errFormat is what .NET's string.Format throws as FormatException.
var errFormat = errors.New("input string was not in a correct format")

// formatOne applies .NET composite formatting (string.Format) with a single
// string argument: {0} is replaced, {{ and }} are literal braces, and an
// alignment such as {0,-10} pads with spaces. A format specifier ({0:x}) is
// ignored because a string is not IFormattable. An index other than 0 or an
// unmatched brace is an error, as .NET throws FormatException.
func formatOne(format, arg string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); {
		c := format[i]
		switch {
		case c == '{' && i+1 < len(format) && format[i+1] == '{':
			b.WriteByte('{')
			i += 2
		case c == '}' && i+1 < len(format) && format[i+1] == '}':
			b.WriteByte('}')
			i += 2
		case c == '}':
			return "", fmt.Errorf("%w: unmatched '}' at offset %d", errFormat, i)
		case c == '{':
			end := strings.IndexByte(format[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("%w: unmatched '{' at offset %d", errFormat, i)
			}
			item := format[i+1 : i+end]
			s, err := formatItem(item, arg)
			if err != nil {
				return "", fmt.Errorf("%w: format item {%s} at offset %d: %v", errFormat, item, i, err)
			}
			b.WriteString(s)
			i += end + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// formatItem evaluates the inside of one {index[,alignment][:format]} item.
func formatItem(item, arg string) (string, error) {
	spec := item
	if k := strings.IndexByte(spec, ':'); k >= 0 {
		spec = spec[:k] // the format string does not apply to a string argument
	}
	index, alignment, hasAlignment := spec, "", false
	if k := strings.IndexByte(spec, ','); k >= 0 {
		index, alignment, hasAlignment = spec[:k], spec[k+1:], true
	}
	index = strings.TrimRight(index, " ")
	if index == "" || strings.Trim(index, "0123456789") != "" {
		return "", errors.New("expected an index")
	}
	if n, err := strconv.Atoi(index); err != nil || n != 0 {
		return "", errors.New("index must be 0: the runner passes only the script path")
	}
	if !hasAlignment {
		return arg, nil
	}
	width, err := strconv.Atoi(strings.TrimSpace(alignment))
	if err != nil {
		return "", errors.New("expected an alignment number")
	}
	pad := abs(width) - len([]rune(arg))
	switch {
	case pad <= 0:
		return arg, nil
	case width > 0:
		return strings.Repeat(" ", pad) + arg, nil
	default:
		return arg + strings.Repeat(" ", pad), nil
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

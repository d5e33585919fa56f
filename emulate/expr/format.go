package expr

import (
	"strconv"
	"strings"
)

// evalFormat: format(fmt, arg0, arg1, ...). {N} is replaced by argument N
// converted with ToString, {{ and }} are literal braces. The whole format
// string is checked before any argument is evaluated, and each argument is
// evaluated only when referenced, once, in order of first use (actions/runner
// src/Sdk/Expressions/Sdk/Functions/Format.cs). Format specifiers ({0:x})
// parse but are rejected, as on GitHub.
func evalFormat(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	fv, err := ev.eval(c.Args[0], level+1)
	if err != nil {
		return nil, resultMemory{}, err
	}
	format := ToString(fv)
	segs, ferr := parseFormat(format, len(c.Args)-1)
	if ferr != "" {
		return nil, resultMemory{}, evalError(c.Off, "%s", ferr)
	}

	counter := &memCounter{node: c, max: MaxMemory}
	for _, s := range segs {
		if s.arg < 0 {
			if err := counter.addString(s.text); err != nil {
				return nil, resultMemory{}, err
			}
		}
	}
	type argValue struct {
		v    Value
		s    string
		done bool
	}
	args := make([]argValue, len(c.Args)-1)
	var b strings.Builder
	for _, s := range segs {
		if s.arg < 0 {
			b.WriteString(s.text)
			continue
		}
		a := &args[s.arg]
		if !a.done {
			v, err := ev.eval(c.Args[s.arg+1], level+1)
			if err != nil {
				return nil, resultMemory{}, err
			}
			*a = argValue{v: v, s: ToString(v), done: true}
		}
		if s.spec != "" {
			return nil, resultMemory{}, evalError(c.Off, "The format specifiers '%s' are not valid for objects of type '%s'", s.spec, kindOf(a.v))
		}
		if a.s != "" {
			if err := counter.addString(a.s); err != nil {
				return nil, resultMemory{}, err
			}
			b.WriteString(a.s)
		}
	}
	return b.String(), resultMemory{}, nil
}

// formatSegment is literal text (arg < 0) or a reference to argument arg.
type formatSegment struct {
	text string
	arg  int
	spec string
}

// parseFormat splits a format string into segments. On failure it returns
// GitHub's message, which quotes the whole format string.
func parseFormat(format string, nargs int) ([]formatSegment, string) {
	invalid := "The following format string is invalid: " + format
	var segs []formatSegment
	lit := func(s string) {
		if s != "" {
			segs = append(segs, formatSegment{text: s, arg: -1})
		}
	}
	i := 0
	for i < len(format) {
		lb := indexFrom(format, '{', i)
		rb := indexFrom(format, '}', i)
		switch {
		case lb >= 0 && (rb < 0 || rb > lb):
			if charAt(format, lb+1) == '{' {
				lit(format[i : lb+1])
				i = lb + 2
				continue
			}
			if rb <= lb+1 {
				return nil, invalid
			}
			arg, argEnd, ok := readArgIndex(format, lb+1)
			if !ok {
				return nil, invalid
			}
			spec, end, ok := readFormatSpecifiers(format, argEnd)
			if !ok {
				return nil, invalid
			}
			if arg > nargs-1 {
				return nil, "The following format string references more arguments than were supplied: " + format
			}
			lit(format[i:lb])
			segs = append(segs, formatSegment{arg: arg, spec: spec})
			i = end + 1
		case rb >= 0:
			if charAt(format, rb+1) != '}' {
				return nil, invalid
			}
			lit(format[i : rb+1])
			i = rb + 2
		default:
			lit(format[i:])
			i = len(format)
		}
	}
	return segs, ""
}

// readArgIndex reads the decimal argument index at i; it must fit in a byte,
// as the runner parses it with Byte.TryParse. It returns the index and the
// offset after the digits.
func readArgIndex(s string, i int) (int, int, bool) {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return 0, 0, false
	}
	n, err := strconv.ParseUint(s[i:j], 10, 8)
	if err != nil {
		return 0, 0, false
	}
	return int(n), j, true
}

// readFormatSpecifiers reads an optional ":spec" and the closing brace at i,
// returning the specifiers (with }} unescaped) and the offset of the brace.
func readFormatSpecifiers(s string, i int) (string, int, bool) {
	switch charAt(s, i) {
	case '}':
		return "", i, true
	case ':':
	default:
		return "", 0, false
	}
	var spec strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] != '}':
			spec.WriteByte(s[j])
		case charAt(s, j+1) == '}':
			spec.WriteByte('}')
			j++
		default:
			return spec.String(), j, true
		}
	}
	return "", 0, false
}

func indexFrom(s string, c byte, from int) int {
	i := strings.IndexByte(s[from:], c)
	if i < 0 {
		return -1
	}
	return from + i
}

// charAt is the byte at i, or 0 past the end (Format.cs SafeCharAt).
func charAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

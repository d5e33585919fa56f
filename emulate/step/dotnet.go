package step

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf16"
)

// AllowUnsecureCommands reports whether a value of
// ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables ::set-env:: and ::add-path::.
// The runner reads it with bool.TryParse, which accepts "true" in any case
// with surrounding white space and nothing else ("1" and "yes" do not count).
// The runner checks its own process environment first and then the step's
// env context (ActionCommandManager.cs, SetEnvCommandExtension).
func AllowUnsecureCommands(value string) bool {
	return strings.EqualFold(strings.TrimFunc(value, unicode.IsSpace), "true")
}

// AllowUnsecureStopTokens reports whether a value of
// ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS lets ::stop-commands:: use an
// empty token, "pause-logging" or a command name. The runner reads it with
// StringUtil.ConvertToBoolean, which accepts "1", "true" and "$true" in any
// case (Runner.Sdk/Util/StringUtil.cs).
func AllowUnsecureStopTokens(value string) bool {
	switch strings.ToLower(value) {
	case "1", "true", "$true":
		return true
	}
	return false
}

// tryParseInt is .NET's int.TryParse(string) with the invariant culture:
// optional white space around an optional sign and decimal digits that fit
// in an Int32.
func tryParseInt(s string) (int, bool) {
	s = strings.TrimFunc(s, isDotNetNumberSpace)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
		if n > math.MaxInt32+1 {
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	if n > math.MaxInt32 || n < math.MinInt32 {
		return 0, false
	}
	return int(n), true
}

// isDotNetNumberSpace is the white space NumberStyles.AllowLeadingWhite and
// AllowTrailingWhite accept: U+0009 to U+000D and U+0020.
func isDotNetNumberSpace(r rune) bool {
	return r == ' ' || (r >= '\t' && r <= '\r')
}

// utf16Len is the length of s as .NET counts it (String.Length counts UTF-16
// code units), which the runner compares against its length limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

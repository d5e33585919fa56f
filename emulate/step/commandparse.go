package step

import (
	"strings"
	"unicode"
)

// actionCommand is a parsed workflow command (Runner.Common/ActionCommand.cs).
type actionCommand struct {
	name  string // as written; command names match case-insensitively
	props properties
	data  string
}

// properties are a command's key=value pairs. The runner keeps them in an
// OrdinalIgnoreCase dictionary in which a later key overwrites an earlier
// one.
type properties map[string]string

func (p properties) get(key string) (string, bool) {
	v, ok := p[strings.ToLower(key)]
	return v, ok
}

func (p properties) set(key, value string) { p[strings.ToLower(key)] = value }

func (p properties) remove(key string) { delete(p, strings.ToLower(key)) }

// The escapes the runner undoes, in the order it undoes them. Each mapping
// is a full string replacement, so "%250A" becomes "%0A" and not a newline.
var (
	// Data of ::name:: commands.
	dataEscapes = []escape{{"\r", "%0D"}, {"\n", "%0A"}, {"%", "%25"}}
	// Property values of ::name:: commands.
	propertyEscapes = []escape{{"\r", "%0D"}, {"\n", "%0A"}, {":", "%3A"}, {",", "%2C"}, {"%", "%25"}}
	// Data and property values of the legacy ##[name] form.
	legacyEscapes = []escape{{";", "%3B"}, {"\r", "%0D"}, {"\n", "%0A"}, {"]", "%5D"}, {"%", "%25"}}
)

type escape struct{ token, replacement string }

func unescape(s string, mappings []escape) string {
	for _, m := range mappings {
		s = strings.ReplaceAll(s, m.replacement, m.token)
	}
	return s
}

// parseCommand tries the ::name:: form and then the legacy ##[name] form, as
// ActionCommandManager.TryProcessCommand does. registered holds lower-cased
// command names. A line that names an unregistered command is not a command.
func parseCommand(line string, registered map[string]bool) (actionCommand, bool) {
	if c, ok := parseV2(line, registered); ok {
		return c, true
	}
	return parseLegacy(line, registered)
}

// parseV2 is ActionCommand.TryParseV2: "::name k=v,k2=v2::data" after any
// leading white space.
func parseV2(message string, registered map[string]bool) (actionCommand, bool) {
	message = strings.TrimLeftFunc(message, unicode.IsSpace)
	if !strings.HasPrefix(message, "::") {
		return actionCommand{}, false
	}
	end := strings.Index(message[2:], "::")
	if end < 0 {
		return actionCommand{}, false
	}
	end += 2
	info := message[2:end]
	name, rest, hasProps := strings.Cut(info, " ")
	if name == "" || !registered[strings.ToLower(name)] {
		// An empty name fails ArgUtil.NotNullOrEmpty, which TryParseV2 turns
		// into "not a command".
		return actionCommand{}, false
	}
	c := actionCommand{name: name, props: properties{}}
	if hasProps {
		rest = strings.TrimFunc(rest, unicode.IsSpace)
		for _, prop := range strings.Split(rest, ",") {
			if key, value, ok := splitProperty(prop); ok {
				c.props.set(key, unescape(value, propertyEscapes))
			}
		}
	}
	c.data = unescape(message[end+2:], dataEscapes)
	return c, true
}

// parseLegacy is ActionCommand.TryParse: "##[name k=v;k2=v2]data". The prefix
// may appear anywhere in the line, so "text ##[error]oops" is an error
// command whose message is "oops".
func parseLegacy(message string, registered map[string]bool) (actionCommand, bool) {
	prefix := strings.Index(message, "##[")
	if prefix < 0 {
		return actionCommand{}, false
	}
	rb := strings.IndexByte(message[prefix:], ']')
	if rb < 0 {
		return actionCommand{}, false
	}
	rb += prefix
	info := message[prefix+3 : rb]
	name, rest, hasProps := strings.Cut(info, " ")
	if name == "" || !registered[strings.ToLower(name)] {
		return actionCommand{}, false
	}
	c := actionCommand{name: name, props: properties{}}
	if hasProps {
		for _, prop := range strings.Split(rest, ";") {
			if key, value, ok := splitProperty(prop); ok {
				c.props.set(key, unescape(value, legacyEscapes))
			}
		}
	}
	c.data = unescape(message[rb+1:], legacyEscapes)
	return c, true
}

// splitProperty is .NET's prop.Split('=', 2, RemoveEmptyEntries) followed by
// the runner's "exactly two parts" check. Empty entries do not count toward
// the limit of two: "=a=b" gives a and b, "a==b" gives a and b, "a=b=c"
// gives a and b=c, and "a=" and "=a" give one part and are ignored. Keys are
// not trimmed, so " line=3" sets a property named " line".
func splitProperty(s string) (key, value string, ok bool) {
	s = strings.TrimLeft(s, "=")
	key, rest, found := strings.Cut(s, "=")
	if key == "" || !found {
		return "", "", false
	}
	rest = strings.TrimLeft(rest, "=")
	if rest == "" {
		return "", "", false
	}
	return key, rest, true
}

package step

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCommand(t *testing.T) {
	t.Parallel()
	registered := map[string]bool{"do-something": true, "error": true, "set-output": true}
	tests := []struct {
		what string
		line string
		ok   bool
		want actionCommand
	}{
		// actions/runner src/Test/L0/Worker/ActionCommandL0.cs, CommandParserV2Test.
		{"L0 V2 property with trailing comma", "::do-something k1=v1,::msg", true,
			actionCommand{name: "do-something", props: properties{"k1": "v1"}, data: "msg"}},
		{"L0 V2 no properties no data", "::do-something::", true,
			actionCommand{name: "do-something", props: properties{}}},
		{"L0 V2 escapes", "::do-something k1=;=%2C=%0D=%0A=]=%3A,::;-%0D-%0A-]-:-,", true,
			actionCommand{name: "do-something", props: properties{"k1": ";=,=\r=\n=]=:"}, data: ";-\r-\n-]-:-,"}},
		{"L0 V2 double escapes are undone once", "::do-something k1=;=%252C=%250D=%250A=]=%253A,::;-%250D-%250A-]-:-,", true,
			actionCommand{name: "do-something", props: properties{"k1": ";=%2C=%0D=%0A=]=%3A"}, data: ";-%0D-%0A-]-:-,"}},
		{"L0 V2 empty values are dropped", "::do-something k1=,k2=,::", true,
			actionCommand{name: "do-something", props: properties{}}},
		{"L0 V2 property without data", "::do-something k1=v1::", true,
			actionCommand{name: "do-something", props: properties{"k1": "v1"}}},
		{"L0 V2 leading white space", "   ::do-something k1=v1,::msg", true,
			actionCommand{name: "do-something", props: properties{"k1": "v1"}, data: "msg"}},
		{"L0 V2 text before the command", "   >>>   ::do-something k1=v1,::msg", false, actionCommand{}},
		// CommandParserTest (legacy ##[ form).
		{"L0 legacy property", "##[do-something k1=v1;]msg", true,
			actionCommand{name: "do-something", props: properties{"k1": "v1"}, data: "msg"}},
		{"L0 legacy bare", "##[do-something]", true, actionCommand{name: "do-something", props: properties{}}},
		{"L0 legacy escapes", "##[do-something k1=%3B=%0D=%0A=%5D;]%3B-%0D-%0A-%5D", true,
			actionCommand{name: "do-something", props: properties{"k1": ";=\r=\n=]"}, data: ";-\r-\n-]"}},
		{"L0 legacy double escapes", "##[do-something k1=%253B=%250D=%250A=%255D;]%253B-%250D-%250A-%255D", true,
			actionCommand{name: "do-something", props: properties{"k1": "%3B=%0D=%0A=%5D"}, data: "%3B-%0D-%0A-%5D"}},
		{"L0 legacy empty values", "##[do-something k1=;k2=;]", true, actionCommand{name: "do-something", props: properties{}}},
		{"L0 legacy anywhere in the line", ">>>   ##[do-something k1=v1;]msg", true,
			actionCommand{name: "do-something", props: properties{"k1": "v1"}, data: "msg"}},
		// Further rules of TryParseV2 and TryParse.
		{"names match case-insensitively", "::ERROR::x", true, actionCommand{name: "ERROR", props: properties{}, data: "x"}},
		{"unregistered name is not a command", "::nope::x", false, actionCommand{}},
		{"V2 failing falls back to a legacy command in the line", "::nope::##[error]x", true,
			actionCommand{name: "error", props: properties{}, data: "x"}},
		{"no closing ::", "::error x", false, actionCommand{}},
		{"space before the name", ":: error::x", false, actionCommand{}},
		{"empty name", "::::x", false, actionCommand{}},
		{"data keeps trailing white space and later ::", "::error::a::b  ", true,
			actionCommand{name: "error", props: properties{}, data: "a::b  "}},
		{"property keys are case-insensitive, later wins", "::error Line=1,line=2::m", true,
			actionCommand{name: "error", props: properties{"line": "2"}, data: "m"}},
		{"property keys are not trimmed", "::error file=a, line=3::m", true,
			actionCommand{name: "error", props: properties{"file": "a", " line": "3"}, data: "m"}},
		{"property list is trimmed", "::error   file=a  ::m", true,
			actionCommand{name: "error", props: properties{"file": "a"}, data: "m"}},
		{"extra = signs (Split with RemoveEmptyEntries)", "::set-output name==x=y::v", true,
			actionCommand{name: "set-output", props: properties{"name": "x=y"}, data: "v"}},
		{"%25 is undone last", "::error::100%250A", true, actionCommand{name: "error", props: properties{}, data: "100%0A"}},
		{"%3A is not undone in data", "::error::a%3Ab", true, actionCommand{name: "error", props: properties{}, data: "a%3Ab"}},
		{"legacy ; separates properties", "##[error file=a;line=2]m", true,
			actionCommand{name: "error", props: properties{"file": "a", "line": "2"}, data: "m"}},
		{"legacy without ]", "##[error", false, actionCommand{}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, ok := parseCommand(tc.line, registered)
			if ok != tc.ok {
				t.Fatalf("parseCommand(%q) ok = %v, want %v", tc.line, ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(actionCommand{})); diff != "" {
				t.Errorf("parseCommand(%q) mismatch (-want +got):\n%s", tc.line, diff)
			}
		})
	}
}

func TestSplitProperty(t *testing.T) {
	t.Parallel()
	// .NET "s".Split('=', 2, StringSplitOptions.RemoveEmptyEntries) and the
	// runner's pair.Length == 2 check.
	tests := []struct {
		what, in   string
		key, value string
		ok         bool
	}{
		{"simple", "a=b", "a", "b", true},
		{"value keeps later =", "a=b=c", "a", "b=c", true},
		{"empty entries do not count toward the limit", "a==b", "a", "b", true},
		{"leading = skipped", "=a=b", "a", "b", true},
		{"no value", "a=", "", "", false},
		{"only = after key", "a==", "", "", false},
		{"no key", "=b", "", "", false},
		{"no =", "ab", "", "", false},
		{"white space value kept", "a= ", "a", " ", true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			k, v, ok := splitProperty(tc.in)
			if k != tc.key || v != tc.value || ok != tc.ok {
				t.Errorf("splitProperty(%q) = %q, %q, %v; want %q, %q, %v", tc.in, k, v, ok, tc.key, tc.value, tc.ok)
			}
		})
	}
}

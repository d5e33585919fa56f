package toolchain

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTOML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		src     string
		want    map[string]string
		wantTop []string
	}{
		{"tables and strings", "[project]\nname = \"demo\"\nrequires-python = '>=3.9'\n",
			map[string]string{"project.name": "demo", "project.requires-python": ">=3.9"}, []string{"project"}},
		{"dotted and quoted keys", "tool.\"poetry\".dependencies.python = \"^3.10\"\n",
			map[string]string{"tool.poetry.dependencies.python": "^3.10"}, []string{"tool"}},
		{"inline tables", "[tool]\npoetry = { dependencies = { python = \"~3.11\" }, name = 'x' }\n",
			map[string]string{"tool.poetry.dependencies.python": "~3.11", "tool.poetry.name": "x"}, []string{"tool"}},
		{"arrays, numbers and comments are skipped", "# c\n[project]\nclassifiers = [\n  \"A ] B\", # tricky\n  'C',\n]\nversion = 3 # n\nok = true\nname = \"n\"\n",
			map[string]string{"project.name": "n"}, []string{"project"}},
		{"escapes", `s = "a\tb\u00e9\"q"` + "\n",
			map[string]string{"s": "a\tbé\"q"}, []string{"s"}},
		{"multi-line basic string", "s = \"\"\"\nline \\\n   joined\"\"\"\n",
			map[string]string{"s": "line joined"}, []string{"s"}},
		{"multi-line literal string keeps backslashes", "s = '''\nC:\\path\n'''\n",
			map[string]string{"s": "C:\\path\n"}, []string{"s"}},
		{"array of tables", "[[tool.x]]\nname = \"a\"\n",
			map[string]string{"tool.x.name": "a"}, []string{"tool"}},
		{"empty", "", map[string]string{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			doc, err := parseTOML(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, doc.strings); diff != "" {
				t.Errorf("strings mismatch (-want +got):\n%s", diff)
			}
			for _, k := range tc.wantTop {
				if !doc.top[k] {
					t.Errorf("top-level key %q not recorded", k)
				}
			}
		})
	}
}

func TestParseTOMLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, src string
	}{
		{"unterminated string", "a = \"x\n"},
		{"missing equals", "a \"x\"\n"},
		{"unclosed table", "[a\nb = 1\n"},
		{"bad escape", `a = "\q"`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if _, err := parseTOML(tc.src); err == nil {
				t.Errorf("parseTOML(%q) succeeded, want an error", tc.src)
			}
		})
	}
}

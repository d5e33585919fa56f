package matrix

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

func TestDisplayName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 95)
	tests := []struct {
		what    string
		job     string
		hasExpr bool
		cell    Cell
		want    string
	}{
		{
			what: "axis values in axis order",
			job:  "test",
			cell: Cell{Values: obj("os", "ubuntu-latest", "python", "3.12")},
			want: "test (ubuntu-latest, 3.12)",
		},
		{
			what: "numbers print with G15: the YAML 3.10 shows as 3.1",
			job:  "test",
			cell: Cell{Values: obj("python", 3.1, "node", 16, "big", 1e15, "tiny", 0.00001)},
			want: "test (3.1, 16, 1E+15, 1E-05)",
		},
		{
			what: "booleans print lower-case",
			job:  "test",
			cell: Cell{Values: obj("experimental", true, "x", false)},
			want: "test (true, false)",
		},
		{
			what: "values added by include on an original combination are left out",
			job:  "build",
			cell: Cell{Values: obj("os", "windows-latest", "node", 16, "npm", 6), Added: []string{"npm"}},
			want: "build (windows-latest, 16)",
		},
		{
			what: "a job made by include alone names all its values",
			job:  "includes_only",
			cell: Cell{Values: obj("site", "production", "datacenter", "site-a")},
			want: "includes_only (production, site-a)",
		},
		{
			what: "objects and arrays are walked depth first without keys",
			job:  "test",
			cell: Cell{Values: obj(
				"os", "ubuntu-latest",
				"node", obj("version", 20, "env", "NODE_OPTIONS=--openssl-legacy-provider"),
				"list", arr("a", arr(1, obj("k", true))),
			)},
			want: "test (ubuntu-latest, 20, NODE_OPTIONS=--openssl-legacy-provider, a, 1, true)",
		},
		{
			what: "null and empty strings are skipped",
			job:  "test",
			cell: Cell{Values: obj("a", nil, "b", "", "c", "x", "d", obj(), "e", arr())},
			want: "test (x)",
		},
		{
			what: "no scalar at all gives no parentheses",
			job:  "test",
			cell: Cell{Values: obj("a", nil, "b", "")},
			want: "test",
		},
		{
			what: "a job without a matrix keeps its name",
			job:  "build",
			want: "build",
		},
		{
			what:    "a name with an expression gets no suffix",
			job:     "Build on linux",
			hasExpr: true,
			cell:    Cell{Values: obj("os", "linux")},
			want:    "Build on linux",
		},
		{
			what:    "an evaluated name is not cut",
			job:     strings.Repeat("y", 150),
			hasExpr: true,
			want:    strings.Repeat("y", 150),
		},
		{
			what: "no name gives no name",
			job:  "",
			cell: Cell{Values: obj("os", "linux")},
			want: "",
		},
		// actions/runner: src/Sdk/WorkflowParser/Conversion/JobNameBuilder.cs
		{
			what: "100 characters are kept",
			job:  long,
			cell: Cell{Values: obj("v", "ab")},
			want: long + " (ab)",
		},
		{
			what: "101 characters keep 97 and get an ellipsis",
			job:  long,
			cell: Cell{Values: obj("v", "abc")},
			want: long + " (...",
		},
		{
			what: "a long name without a matrix is cut too",
			job:  strings.Repeat("z", 120),
			want: strings.Repeat("z", 97) + "...",
		},
		{
			what: "length counts UTF-16 code units: an emoji is two",
			job:  strings.Repeat("é", 96) + "🚀🚀",
			want: strings.Repeat("é", 96) + "🚀🚀",
		},
		{
			what: "51 emoji are 102 code units and are cut",
			job:  strings.Repeat("🚀", 51),
			want: strings.Repeat("🚀", 48) + "\uFFFD...",
		},
		{
			what: "a cut inside a surrogate pair leaves a replacement character",
			job:  strings.Repeat("a", 96) + "🚀🚀",
			cell: Cell{Values: obj("v", "b")},
			want: strings.Repeat("a", 96) + "\uFFFD...",
		},
		{
			what: "a cut after a whole emoji keeps it",
			job:  strings.Repeat("a", 95) + "🚀🚀",
			cell: Cell{Values: obj("v", "b")},
			want: strings.Repeat("a", 95) + "🚀...",
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			diff(t, "name", tc.want, DisplayName(tc.job, tc.hasExpr, tc.cell))
		})
	}
}

// TestDisplayNameOfExpandedCells checks names end to end on the documented
// include example (github/docs: data/reusables/actions/jobs/matrix-include.md).
func TestDisplayNameOfExpandedCells(t *testing.T) {
	t.Parallel()
	cells, err := Expand(Spec{
		Axes: []Axis{axis("fruit", "apple", "pear"), axis("animal", "cat", "dog")},
		Include: []*expr.Object{
			obj("color", "green"),
			obj("color", "pink", "animal", "cat"),
			obj("fruit", "apple", "shape", "circle"),
			obj("fruit", "banana"),
			obj("fruit", "banana", "animal", "cat"),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cells {
		got = append(got, DisplayName("example_matrix", false, c))
	}
	want := []string{
		"example_matrix (apple, cat)",
		"example_matrix (apple, dog)",
		"example_matrix (pear, cat)",
		"example_matrix (pear, dog)",
		"example_matrix (banana)",
		"example_matrix (banana, cat)",
	}
	diff(t, "names", want, got)
}

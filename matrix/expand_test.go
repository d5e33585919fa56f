package matrix

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Each case's want is the matrix context of each job, in creation order, as
// compact JSON in key order; added lists Cell.Added per job where not empty.
func TestExpand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		spec  Spec
		want  []string
		added map[int][]string
	}{
		// github/docs: data/reusables/actions/jobs/using-matrix-strategy.md
		// "the above matrix will create the jobs in the following order".
		{
			what: "docs: jobs are created in axis order, first axis slowest",
			spec: Spec{Axes: []Axis{
				axis("version", 10, 12, 14),
				axis("os", "ubuntu-latest", "windows-latest"),
			}},
			want: []string{
				`{"version":10,"os":"ubuntu-latest"}`,
				`{"version":10,"os":"windows-latest"}`,
				`{"version":12,"os":"ubuntu-latest"}`,
				`{"version":12,"os":"windows-latest"}`,
				`{"version":14,"os":"ubuntu-latest"}`,
				`{"version":14,"os":"windows-latest"}`,
			},
		},
		// github/docs: data/reusables/actions/jobs/single-dimension-matrix.md
		{
			what: "docs: single-dimension matrix runs three jobs",
			spec: Spec{Axes: []Axis{axis("version", 10, 12, 14)}},
			want: []string{`{"version":10}`, `{"version":12}`, `{"version":14}`},
		},
		// github/docs: data/reusables/actions/jobs/matrix-include.md, the
		// six combinations listed there, in that order.
		{
			what: "docs: include adds to combinations it does not overwrite, else becomes a job",
			spec: Spec{
				Axes: []Axis{axis("fruit", "apple", "pear"), axis("animal", "cat", "dog")},
				Include: []*expr.Object{
					obj("color", "green"),
					obj("color", "pink", "animal", "cat"),
					obj("fruit", "apple", "shape", "circle"),
					obj("fruit", "banana"),
					obj("fruit", "banana", "animal", "cat"),
				},
			},
			want: []string{
				`{"fruit":"apple","animal":"cat","color":"pink","shape":"circle"}`,
				`{"fruit":"apple","animal":"dog","color":"green","shape":"circle"}`,
				`{"fruit":"pear","animal":"cat","color":"pink"}`,
				`{"fruit":"pear","animal":"dog","color":"green"}`,
				`{"fruit":"banana"}`,
				`{"fruit":"banana","animal":"cat"}`,
			},
			added: map[int][]string{
				0: {"color", "shape"}, 1: {"color", "shape"}, 2: {"color"}, 3: {"color"},
			},
		},
		// github/docs: data/reusables/actions/jobs/matrix-include.md "will
		// create seven jobs, testing five versions for perl and only two for
		// macos".
		{
			what: "docs: perl versions with two extra macos jobs make seven",
			spec: Spec{
				Axes: []Axis{
					axis("os", "ubuntu-latest"),
					axis("perl", "5.16", "5.20", "5.26", "5.30", "latest"),
				},
				Include: []*expr.Object{
					obj("os", "macos-latest", "perl", "5.26"),
					obj("os", "macos-latest", "perl", "latest"),
				},
			},
			want: []string{
				`{"os":"ubuntu-latest","perl":"5.16"}`,
				`{"os":"ubuntu-latest","perl":"5.20"}`,
				`{"os":"ubuntu-latest","perl":"5.26"}`,
				`{"os":"ubuntu-latest","perl":"5.30"}`,
				`{"os":"ubuntu-latest","perl":"latest"}`,
				`{"os":"macos-latest","perl":"5.26"}`,
				`{"os":"macos-latest","perl":"latest"}`,
			},
		},
		// github/docs: data/reusables/actions/jobs/matrix-expand-with-include.md
		{
			what: "docs: include adds npm to the windows-latest node 16 job only",
			spec: Spec{
				Axes: []Axis{axis("os", "windows-latest", "ubuntu-latest"), axis("node", 12, 14, 16)},
				Include: []*expr.Object{
					obj("os", "windows-latest", "node", 16, "npm", 6),
				},
			},
			want: []string{
				`{"os":"windows-latest","node":12}`,
				`{"os":"windows-latest","node":14}`,
				`{"os":"windows-latest","node":16,"npm":6}`,
				`{"os":"ubuntu-latest","node":12}`,
				`{"os":"ubuntu-latest","node":14}`,
				`{"os":"ubuntu-latest","node":16}`,
			},
			added: map[int][]string{2: {"npm"}},
		},
		// github/docs: data/reusables/actions/jobs/matrix-add-with-include.md
		// "this matrix will run 10 jobs".
		{
			what: "docs: include with a new axis value adds a tenth job",
			spec: Spec{
				Axes: []Axis{
					axis("os", "macos-latest", "windows-latest", "ubuntu-latest"),
					axis("version", 12, 14, 16),
				},
				Include: []*expr.Object{obj("os", "windows-latest", "version", 17)},
			},
			want: []string{
				`{"os":"macos-latest","version":12}`,
				`{"os":"macos-latest","version":14}`,
				`{"os":"macos-latest","version":16}`,
				`{"os":"windows-latest","version":12}`,
				`{"os":"windows-latest","version":14}`,
				`{"os":"windows-latest","version":16}`,
				`{"os":"ubuntu-latest","version":12}`,
				`{"os":"ubuntu-latest","version":14}`,
				`{"os":"ubuntu-latest","version":16}`,
				`{"os":"windows-latest","version":17}`,
			},
		},
		// github/docs: data/reusables/actions/jobs/matrix-add-with-include.md
		// "the following workflow would run two jobs, one for each include
		// entry".
		{
			what: "docs: include-only matrix runs one job per entry",
			spec: Spec{Include: []*expr.Object{
				obj("site", "production", "datacenter", "site-a"),
				obj("site", "staging", "datacenter", "site-b"),
			}},
			want: []string{
				`{"site":"production","datacenter":"site-a"}`,
				`{"site":"staging","datacenter":"site-b"}`,
			},
		},
		// github/docs: data/reusables/actions/jobs/matrix-exclude.md "will run
		// nine jobs".
		{
			what: "docs: exclude removes full and partial matches",
			spec: Spec{
				Axes: []Axis{
					axis("os", "macos-latest", "windows-latest"),
					axis("version", 12, 14, 16),
					axis("environment", "staging", "production"),
				},
				Exclude: []*expr.Object{
					obj("os", "macos-latest", "version", 12, "environment", "production"),
					obj("os", "windows-latest", "version", 16),
				},
			},
			want: []string{
				`{"os":"macos-latest","version":12,"environment":"staging"}`,
				`{"os":"macos-latest","version":14,"environment":"staging"}`,
				`{"os":"macos-latest","version":14,"environment":"production"}`,
				`{"os":"macos-latest","version":16,"environment":"staging"}`,
				`{"os":"macos-latest","version":16,"environment":"production"}`,
				`{"os":"windows-latest","version":12,"environment":"staging"}`,
				`{"os":"windows-latest","version":12,"environment":"production"}`,
				`{"os":"windows-latest","version":14,"environment":"staging"}`,
				`{"os":"windows-latest","version":14,"environment":"production"}`,
			},
		},
		// github/docs: data/reusables/actions/jobs/multi-dimension-matrix.md
		// "This matrix produces 4 jobs with corresponding contexts".
		{
			what: "docs: an axis of objects",
			spec: Spec{Axes: []Axis{
				axis("os", "ubuntu-latest", "macos-latest"),
				axis("node",
					obj("version", 14),
					obj("version", 20, "env", "NODE_OPTIONS=--openssl-legacy-provider")),
			}},
			want: []string{
				`{"os":"ubuntu-latest","node":{"version":14}}`,
				`{"os":"ubuntu-latest","node":{"version":20,"env":"NODE_OPTIONS=--openssl-legacy-provider"}}`,
				`{"os":"macos-latest","node":{"version":14}}`,
				`{"os":"macos-latest","node":{"version":20,"env":"NODE_OPTIONS=--openssl-legacy-provider"}}`,
			},
		},
		// github/docs: content/actions/how-tos/write-workflows/
		// choose-what-workflows-do/run-job-variations.md "Handling failures":
		// "the following workflow will start four jobs".
		{
			what: "docs: include naming two axes with an unmatched value adds a job",
			spec: Spec{
				Axes:    []Axis{axis("version", 6, 7, 8), axis("experimental", false)},
				Include: []*expr.Object{obj("version", 9, "experimental", true)},
			},
			want: []string{
				`{"version":6,"experimental":false}`,
				`{"version":7,"experimental":false}`,
				`{"version":8,"experimental":false}`,
				`{"version":9,"experimental":true}`,
			},
		},
		// github/docs (older): data/reusables/actions/jobs/
		// section-using-a-build-matrix-for-your-jobs-matrix.md, "Including
		// additional values in combinations".
		{
			what: "docs (older): npm 6 only for windows-latest with node 8",
			spec: Spec{
				Axes: []Axis{
					axis("os", "macos-latest", "windows-latest", "ubuntu-18.04"),
					axis("node", 8, 10, 12, 14),
				},
				Include: []*expr.Object{obj("os", "windows-latest", "node", 8, "npm", 6)},
			},
			want: []string{
				`{"os":"macos-latest","node":8}`,
				`{"os":"macos-latest","node":10}`,
				`{"os":"macos-latest","node":12}`,
				`{"os":"macos-latest","node":14}`,
				`{"os":"windows-latest","node":8,"npm":6}`,
				`{"os":"windows-latest","node":10}`,
				`{"os":"windows-latest","node":12}`,
				`{"os":"windows-latest","node":14}`,
				`{"os":"ubuntu-18.04","node":8}`,
				`{"os":"ubuntu-18.04","node":10}`,
				`{"os":"ubuntu-18.04","node":12}`,
				`{"os":"ubuntu-18.04","node":14}`,
			},
			added: map[int][]string{4: {"npm"}},
		},
		// Same file, "Including new combinations".
		{
			what: "docs (older): an experimental node 15 job on ubuntu",
			spec: Spec{
				Axes: []Axis{
					axis("node", 14),
					axis("os", "macos-latest", "windows-latest", "ubuntu-18.04"),
				},
				Include: []*expr.Object{obj("node", 15, "os", "ubuntu-18.04", "experimental", true)},
			},
			want: []string{
				`{"node":14,"os":"macos-latest"}`,
				`{"node":14,"os":"windows-latest"}`,
				`{"node":14,"os":"ubuntu-18.04"}`,
				`{"node":15,"os":"ubuntu-18.04","experimental":true}`,
			},
		},
		// Same file, "Excluding configurations from a matrix".
		{
			what: "docs (older): exclude node 8 on macOS leaves eleven jobs",
			spec: Spec{
				Axes: []Axis{
					axis("os", "macos-latest", "windows-latest", "ubuntu-18.04"),
					axis("node", 8, 10, 12, 14),
				},
				Exclude: []*expr.Object{obj("os", "macos-latest", "node", 8)},
			},
			want: []string{
				`{"os":"macos-latest","node":10}`,
				`{"os":"macos-latest","node":12}`,
				`{"os":"macos-latest","node":14}`,
				`{"os":"windows-latest","node":8}`,
				`{"os":"windows-latest","node":10}`,
				`{"os":"windows-latest","node":12}`,
				`{"os":"windows-latest","node":14}`,
				`{"os":"ubuntu-18.04","node":8}`,
				`{"os":"ubuntu-18.04","node":10}`,
				`{"os":"ubuntu-18.04","node":12}`,
				`{"os":"ubuntu-18.04","node":14}`,
			},
		},
		// github/docs: data/reusables/actions/jobs/matrix-exclude.md "All
		// include combinations are processed after exclude. This allows you
		// to use include to add back combinations that were previously
		// excluded."
		{
			what: "docs: include adds back an excluded combination, as a new last job",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux", "windows"), axis("arch", "x64", "arm64")},
				Exclude: []*expr.Object{obj("os", "windows")},
				Include: []*expr.Object{obj("os", "windows", "arch", "x64", "note", "back")},
			},
			want: []string{
				`{"os":"linux","arch":"x64"}`,
				`{"os":"linux","arch":"arm64"}`,
				`{"os":"windows","arch":"x64","note":"back"}`,
			},
		},
		// actions/runner: src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs,
		// examples 1 to 3 in the comment on Build.
		{
			what: "runner MatrixBuilder example 2: exclude",
			spec: Spec{
				Axes:    []Axis{axis("arch", "x64", "x86"), axis("os", "linux", "windows")},
				Exclude: []*expr.Object{obj("arch", "x86", "os", "linux")},
			},
			want: []string{
				`{"arch":"x64","os":"linux"}`,
				`{"arch":"x64","os":"windows"}`,
				`{"arch":"x86","os":"windows"}`,
			},
		},
		{
			what: "runner MatrixBuilder example 3: include adds a value",
			spec: Spec{
				Axes:    []Axis{axis("arch", "x64", "x86"), axis("os", "linux", "windows")},
				Include: []*expr.Object{obj("arch", "x64", "os", "linux", "publish", true)},
			},
			want: []string{
				`{"arch":"x64","os":"linux","publish":true}`,
				`{"arch":"x64","os":"windows"}`,
				`{"arch":"x86","os":"linux"}`,
				`{"arch":"x86","os":"windows"}`,
			},
			added: map[int][]string{0: {"publish"}},
		},
		// Example 4 of that comment claims the extra job is {arch: x64, os:
		// macos}. The code under it (GetUnmatchedVectors) yields only the
		// entry's own keys, which is also what the docs show for
		// {fruit: banana}; the code wins.
		{
			what: "runner MatrixBuilder example 4: an unmatched include is a job of its own keys only",
			spec: Spec{
				Axes:    []Axis{axis("arch", "x64", "x86"), axis("os", "linux", "windows")},
				Include: []*expr.Object{obj("arch", "x64"), obj("os", "macos")},
			},
			want: []string{
				`{"arch":"x64","os":"linux"}`,
				`{"arch":"x64","os":"windows"}`,
				`{"arch":"x86","os":"linux"}`,
				`{"arch":"x86","os":"windows"}`,
				`{"os":"macos"}`,
			},
		},
		// actions/languageservices: workflow-parser/testdata/reader/job-strategy.yml (job "build").
		{
			what: "languageservices job-strategy: include and exclude on the same axis value",
			spec: Spec{
				Axes: []Axis{axis("node-version", 4, 6, 8, 10), axis("npm-version", 1, 2, 3)},
				Include: []*expr.Object{
					obj("node-version", 4, "npm", 2),
				},
				Exclude: []*expr.Object{obj("node-version", 4, "npm-version", 2)},
			},
			want: []string{
				`{"node-version":4,"npm-version":1,"npm":2}`,
				`{"node-version":4,"npm-version":3,"npm":2}`,
				`{"node-version":6,"npm-version":1}`,
				`{"node-version":6,"npm-version":2}`,
				`{"node-version":6,"npm-version":3}`,
				`{"node-version":8,"npm-version":1}`,
				`{"node-version":8,"npm-version":2}`,
				`{"node-version":8,"npm-version":3}`,
				`{"node-version":10,"npm-version":1}`,
				`{"node-version":10,"npm-version":2}`,
				`{"node-version":10,"npm-version":3}`,
			},
			added: map[int][]string{0: {"npm"}, 1: {"npm"}},
		},
		// rhysd/actionlint: rule_matrix.go (#249), an exclude naming part of
		// object values.
		{
			what: "exclude matches object values on the keys it names",
			spec: Spec{
				Axes: []Axis{
					axis("os", obj("name", "Ubuntu", "matrix", "ubuntu"), obj("name", "Windows", "matrix", "windows")),
					axis("arch", obj("name", "ARM", "matrix", "arm"), obj("name", "Intel", "matrix", "intel")),
				},
				Exclude: []*expr.Object{obj("os", obj("matrix", "windows"), "arch", obj("matrix", "arm"))},
			},
			want: []string{
				`{"os":{"name":"Ubuntu","matrix":"ubuntu"},"arch":{"name":"ARM","matrix":"arm"}}`,
				`{"os":{"name":"Ubuntu","matrix":"ubuntu"},"arch":{"name":"Intel","matrix":"intel"}}`,
				`{"os":{"name":"Windows","matrix":"windows"},"arch":{"name":"Intel","matrix":"intel"}}`,
			},
		},
		{
			what: "include matches object values on the keys it names",
			spec: Spec{
				Axes: []Axis{axis("node", obj("version", 14, "npm", 6), obj("version", 20, "npm", 10))},
				Include: []*expr.Object{
					obj("node", obj("version", 20), "lts", true),
					obj("node", obj("version", 22), "lts", false),
				},
			},
			want: []string{
				`{"node":{"version":14,"npm":6}}`,
				`{"node":{"version":20,"npm":10},"lts":true}`,
				`{"node":{"version":22},"lts":false}`,
			},
			added: map[int][]string{1: {"lts"}},
		},
		{
			what: "arrays match element by element on the elements the filter lists",
			spec: Spec{
				Axes:    []Axis{axis("cfg", arr(1, 2), arr(3, 4), arr(3))},
				Exclude: []*expr.Object{obj("cfg", arr(3))},
			},
			want: []string{`{"cfg":[1,2]}`},
		},
		{
			what: "an empty object in an exclude has no leaf and matches everything",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux"), axis("node", obj("v", 1))},
				Include: []*expr.Object{obj("os", "windows")},
				Exclude: []*expr.Object{obj("node", obj())},
			},
			want: []string{`{"os":"windows"}`},
		},
		// MatrixFilter compares with GitHub's ==: strings ignore case.
		{
			what: "exclude compares strings ignoring case",
			spec: Spec{
				Axes:    []Axis{axis("os", "ubuntu-latest", "windows-latest")},
				Exclude: []*expr.Object{obj("os", "Windows-Latest")},
			},
			want: []string{`{"os":"ubuntu-latest"}`},
		},
		// A string is compared with a number as a number: the YAML 3.10 is
		// the number 3.1 and "3.10" converts to 3.1 as well.
		{
			what: "exclude compares a string value with a number as numbers",
			spec: Spec{
				Axes:    []Axis{axis("python", "3.9", "3.10", "3.11")},
				Exclude: []*expr.Object{obj("python", 3.1)},
			},
			want: []string{`{"python":"3.9"}`, `{"python":"3.11"}`},
		},
		{
			what: "include matches a number axis with a numeric string and keeps the axis value",
			spec: Spec{
				Axes:    []Axis{axis("node", 14, 16)},
				Include: []*expr.Object{obj("node", "16", "npm", 8)},
			},
			want:  []string{`{"node":14}`, `{"node":16,"npm":8}`},
			added: map[int][]string{1: {"npm"}},
		},
		// null, "" and 0 all convert to the number 0.
		{
			what: "null in a filter also matches the empty string, 0 and false",
			spec: Spec{
				Axes:    []Axis{axis("x", nil, "", 0, false, "a", 1)},
				Exclude: []*expr.Object{obj("x", nil)},
			},
			want: []string{`{"x":"a"}`, `{"x":1}`},
		},
		{
			what: "axis names in include and exclude are matched ignoring case",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux", "windows"), axis("arch", "x64")},
				Include: []*expr.Object{obj("OS", "linux", "Extra", 1)},
				Exclude: []*expr.Object{obj("ARCH", "x64", "Os", "windows")},
			},
			want:  []string{`{"os":"linux","arch":"x64","Extra":1}`},
			added: map[int][]string{0: {"Extra"}},
		},
		{
			what: "a later include overwrites an added value in place",
			spec: Spec{
				Axes: []Axis{axis("os", "linux")},
				Include: []*expr.Object{
					obj("a", 1, "b", 2),
					obj("c", 3, "a", 4),
				},
			},
			want:  []string{`{"os":"linux","a":4,"b":2,"c":3}`},
			added: map[int][]string{0: {"a", "b", "c"}},
		},
		{
			what: "an include that only names axis values it matches adds nothing and no job",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux", "windows")},
				Include: []*expr.Object{obj("os", "windows")},
			},
			want: []string{`{"os":"linux"}`, `{"os":"windows"}`},
		},
		{
			what: "identical unmatched includes make two jobs",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux")},
				Include: []*expr.Object{obj("os", "mac"), obj("os", "mac")},
			},
			want: []string{`{"os":"linux"}`, `{"os":"mac"}`, `{"os":"mac"}`},
		},
		{
			what: "unmatched include lists its axis keys first, then the others",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux"), axis("arch", "x64")},
				Include: []*expr.Object{obj("note", "n", "arch", "arm64", "os", "linux")},
			},
			want: []string{`{"os":"linux","arch":"x64"}`, `{"arch":"arm64","os":"linux","note":"n"}`},
		},
		{
			what: "an include that only matched an excluded combination becomes a job",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux", "windows")},
				Exclude: []*expr.Object{obj("os", "windows")},
				Include: []*expr.Object{obj("os", "windows", "shell", "pwsh")},
			},
			want: []string{`{"os":"linux"}`, `{"os":"windows","shell":"pwsh"}`},
		},
		// MatrixFilter.AddExpression prints the number into the expression
		// with G15 and parses it back, so 0.30000000000000004 becomes 0.3.
		{
			what: "numbers with more than 15 significant digits do not match themselves",
			spec: Spec{
				Axes:    []Axis{axis("x", 0.30000000000000004)},
				Include: []*expr.Object{obj("x", 0.30000000000000004, "y", 1)},
			},
			want: []string{`{"x":0.3}`, `{"x":0.3,"y":1}`},
		},
		// WorkflowTemplateEvaluator.EvaluateStrategy: no configuration means
		// the job runs once without a matrix.
		{
			what: "everything excluded gives no cells and no error",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux", "windows")},
				Exclude: []*expr.Object{obj("os", "linux"), obj("os", "windows")},
			},
			want: []string{},
		},
		{
			what: "an empty spec gives no cells",
			spec: Spec{},
			want: []string{},
		},
		{
			what: "values keep their types",
			spec: Spec{Axes: []Axis{axis("v", nil, true, 3.1, "3.10", arr("a"), obj("k", "v"))}},
			want: []string{
				`{"v":null}`, `{"v":true}`, `{"v":3.1}`, `{"v":"3.10"}`, `{"v":["a"]}`, `{"v":{"k":"v"}}`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			cells, err := Expand(tc.spec)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			got := renderCells(cells)
			diff(t, "cells", tc.want, got)
			gotAdded := map[int][]string{}
			for i, c := range cells {
				if len(c.Added) > 0 {
					gotAdded[i] = c.Added
				}
			}
			wantAdded := tc.added
			if wantAdded == nil {
				wantAdded = map[int][]string{}
			}
			diff(t, "added keys", wantAdded, gotAdded)
		})
	}
}

func TestExpandErrors(t *testing.T) {
	t.Parallel()
	many := make([]any, 257)
	for i := range many {
		many[i] = i
	}
	tests := []struct {
		what string
		spec Spec
		want []*Error
	}{
		// WorkflowTemplateConverter.ConvertToStrategy
		{
			what: "empty axis",
			spec: Spec{Axes: []Axis{axis("os", "linux"), {Name: "node"}}},
			want: []*Error{{Message: "Matrix vector 'node' does not contain any values", Section: SectionAxis, Axis: "node"}},
		},
		{
			what: "only exclude defines no vector",
			spec: Spec{Exclude: []*expr.Object{obj("os", "linux")}},
			want: []*Error{
				{Message: "Matrix must define at least one vector", Section: SectionMatrix},
				{Message: "Matrix exclude key 'os' does not match any key within the matrix", Section: SectionExclude, Key: "os"},
			},
		},
		{
			what: "an empty axis still counts as a vector but not as an exclude key",
			spec: Spec{
				Axes:    []Axis{{Name: "os"}},
				Exclude: []*expr.Object{obj("os", "linux")},
			},
			want: []*Error{
				{Message: "Matrix vector 'os' does not contain any values", Section: SectionAxis, Axis: "os"},
				{Message: "Matrix exclude key 'os' does not match any key within the matrix", Section: SectionExclude, Key: "os"},
			},
		},
		// MatrixBuilder.MatrixInclude / MatrixExclude
		{
			what: "empty include and exclude entries and unknown exclude keys, in GitHub's order",
			spec: Spec{
				Axes:    []Axis{axis("os", "linux")},
				Include: []*expr.Object{obj("os", "linux"), obj()},
				Exclude: []*expr.Object{obj("Arch", "x64", "os", "linux", "abi", "gnu"), obj()},
			},
			want: []*Error{
				{Message: "Matrix include mapping does not contain any values", Section: SectionInclude, Index: 1},
				{Message: "Matrix exclude key 'Arch' does not match any key within the matrix", Section: SectionExclude, Key: "Arch"},
				{Message: "Matrix exclude key 'abi' does not match any key within the matrix", Section: SectionExclude, Key: "abi"},
				{Message: "Matrix exclude filter must not be empty", Section: SectionExclude, Index: 1},
			},
		},
		{
			what: "axis names differing only in case",
			spec: Spec{Axes: []Axis{axis("os", "a"), axis("OS", "b"), {Name: "x"}}},
			want: []*Error{{Message: "An item with the same key has already been added. Key: OS", Section: SectionAxis, Axis: "OS"}},
		},
		{
			what: "GitHub keeps at most ten errors",
			spec: Spec{Axes: []Axis{
				{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}, {Name: "e"}, {Name: "f"},
				{Name: "g"}, {Name: "h"}, {Name: "i"}, {Name: "j"}, {Name: "k"},
			}},
			want: func() []*Error {
				var out []*Error
				for _, n := range "abcdefghij" {
					out = append(out, errEmptyAxis(string(n)))
				}
				return out
			}(),
		},
		// JobFactory.ExpandContexts; github.com: "Strategy produced more than 256".
		{
			what: "257 jobs from the product",
			spec: Spec{Axes: []Axis{axis("n", many...)}},
			want: []*Error{{Message: "Strategy produced more than 256", Section: SectionMatrix}},
		},
		{
			what: "257 jobs with an unmatched include",
			spec: Spec{
				Axes:    []Axis{axis("n", many[:256]...)},
				Include: []*expr.Object{obj("n", "extra")},
			},
			want: []*Error{{Message: "Strategy produced more than 256", Section: SectionMatrix}},
		},
		{
			what: "257 include-only jobs",
			spec: Spec{Include: func() []*expr.Object {
				var out []*expr.Object
				for i := range 257 {
					out = append(out, obj("i", i))
				}
				return out
			}()},
			want: []*Error{{Message: "Strategy produced more than 256", Section: SectionMatrix}},
		},
		{
			what: "a product beyond Int32 overflows as in C#",
			spec: Spec{Axes: func() []Axis {
				var out []Axis
				for i := range 31 {
					out = append(out, axis(fmt.Sprint("a", i), 1, 2))
				}
				return out
			}()},
			want: []*Error{{Message: "Arithmetic operation resulted in an overflow.", Section: SectionMatrix}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			cells, err := Expand(tc.spec)
			if err == nil {
				t.Fatalf("Expand gave %d cells and no error", len(cells))
			}
			if cells != nil {
				t.Errorf("Expand gave %d cells with an error", len(cells))
			}
			diff(t, "errors", tc.want, errorsOf(t, err))
			var first *Error
			if !errors.As(err, &first) || first.Message != tc.want[0].Message {
				t.Errorf("errors.As found %v, want the first error %q", first, tc.want[0].Message)
			}
		})
	}
}

func TestExpandLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		spec Spec
		want int
	}{
		{
			what: "256 jobs are allowed",
			spec: Spec{Axes: []Axis{axis("a", 1, 2, 3, 4), axis("b", 1, 2, 3, 4), axis("c", 1, 2, 3, 4), axis("d", 1, 2, 3, 4)}},
			want: 256,
		},
		{
			what: "a large product that exclude brings to 256 is allowed",
			spec: Spec{
				Axes:    []Axis{axis("a", 1, 2, 3, 4, 5), axis("b", 1, 2, 3, 4), axis("c", 1, 2, 3, 4), axis("d", 1, 2, 3, 4)},
				Exclude: []*expr.Object{obj("a", 1)},
			},
			want: 256,
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			cells, err := Expand(tc.spec)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if len(cells) != tc.want {
				t.Errorf("got %d cells, want %d", len(cells), tc.want)
			}
		})
	}
}

func TestSectionString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		s    Section
		want string
	}{
		{"matrix", SectionMatrix, "matrix"},
		{"axis", SectionAxis, "axis"},
		{"include", SectionInclude, "include"},
		{"exclude", SectionExclude, "exclude"},
		{"unknown", Section(9), "Section(9)"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			diff(t, "string", tc.want, tc.s.String())
		})
	}
}

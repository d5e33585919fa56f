package matrix

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestGolden expands every job of testdata/docs.yaml (the docs' matrix
// examples) and compares the jobs' display names and matrix contexts with
// testdata/docs.golden. Run `go test ./matrix -run Golden -update` to
// rewrite the golden file, then review it against the docs.
func TestGolden(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join("testdata", "docs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		t.Fatal(err)
	}
	jobs := lookup(root.Content[0], "jobs")
	var b strings.Builder
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		id, job := jobs.Content[i].Value, jobs.Content[i+1]
		name := id
		if n := lookup(job, "name"); n != nil {
			name = n.Value
		}
		spec, err := FromValue(yamlValue(lookup(lookup(job, "strategy"), "matrix")))
		if err != nil {
			t.Fatalf("job %s: %v", id, err)
		}
		cells, err := Expand(spec)
		if err != nil {
			t.Fatalf("job %s: %v", id, err)
		}
		b.WriteString("# " + id + ": " + strconv.Itoa(len(cells)) + " jobs\n")
		for _, c := range cells {
			b.WriteString(DisplayName(name, false, c) + "\t" + render(c.Values) + "\n")
		}
	}
	golden := filepath.Join("testdata", "docs.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "docs.golden", strings.Split(string(want), "\n"), strings.Split(b.String(), "\n"))
}

func lookup(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// yamlValue types scalars as GitHub's YAML reader does for these examples:
// plain null, booleans and numbers become Null, Boolean and Number; quoted
// scalars stay strings.
func yamlValue(n *yaml.Node) expr.Value {
	switch n.Kind {
	case yaml.MappingNode:
		o := expr.NewObject()
		for i := 0; i+1 < len(n.Content); i += 2 {
			o.Set(n.Content[i].Value, yamlValue(n.Content[i+1]))
		}
		return o
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, yamlValue(c))
		}
		return out
	}
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		return n.Value
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return n.Value == "true"
	case "!!int", "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value
}

package matrix

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
)

// expandDeadline bounds one expansion of a fuzzed matrix. A 256-cell matrix
// with a few hundred include and exclude entries expands in milliseconds.
const expandDeadline = 10 * time.Second

// FuzzExpand: any strategy.matrix, given as the JSON a dynamic matrix
// (${{ fromJSON(...) }}) evaluates to, expands within expandDeadline
// without panicking into at most 256 cells, each with a display name of at
// most 100 UTF-16 code units; or fails with [*Error]s that point at a part
// of the matrix that exists. Seeds: the docs' examples, the matrix
// fixtures, and long axes, include and exclude lists.
func FuzzExpand(f *testing.F) {
	sources := []string{filepath.Join("testdata", "docs.yaml")}
	more, _ := filepath.Glob("../fixtures/matrix/.github/workflows/*.yml")
	for _, file := range append(sources, more...) {
		for _, m := range yamlMatrices(f, file) {
			f.Add(m)
		}
	}
	for _, m := range hostileMatrices() {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, src string) {
		v, err := expr.FromJSON(src)
		if err != nil {
			return
		}
		var (
			spec  Spec
			cells []Cell
			names []string
		)
		done := make(chan struct{})
		go func() {
			defer close(done)
			if spec, err = FromValue(v); err != nil {
				return
			}
			if cells, err = Expand(spec); err != nil {
				return
			}
			for _, c := range cells {
				names = append(names, DisplayName("build", false, c))
			}
			Strategies(true, 0, len(cells))
		}()
		select {
		case <-done:
		case <-time.After(expandDeadline):
			t.Fatalf("expanding a matrix of %d axes, %d includes and %d excludes took more than %v", len(spec.Axes), len(spec.Include), len(spec.Exclude), expandDeadline)
		}
		if err != nil {
			checkErrors(t, spec, err)
			if cells != nil {
				t.Errorf("Expand failed (%v) and still returned %d cells", err, len(cells))
			}
			return
		}
		if len(cells) > maxJobs {
			t.Errorf("Expand returned %d cells, more than GitHub's %d", len(cells), maxJobs)
		}
		for i, c := range cells {
			if c.Values == nil {
				t.Fatalf("cell %d has no values", i)
			}
			if n := len(utf16.Encode([]rune(names[i]))); n > 100 {
				t.Errorf("display name %q is %d UTF-16 code units, more than 100", names[i], n)
			}
		}
	})
}

// checkErrors: each error of a failed expansion is a [*Error] whose
// section names a part of spec (an axis it has, an include or exclude entry
// within the list), so the loader can point at the YAML node.
func checkErrors(t *testing.T, spec Spec, err error) {
	t.Helper()
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var me *Error
		if !errors.As(e, &me) {
			t.Fatalf("error %T %v is not a *matrix.Error", e, e)
		}
		if me.Message == "" {
			t.Errorf("error without a message: %#v", me)
		}
		switch me.Section {
		case SectionMatrix:
		case SectionAxis:
			if !hasAxis(spec, me.Axis) && len(spec.Axes) > 0 {
				t.Errorf("error %q names axis %q, which the matrix does not have", me.Message, me.Axis)
			}
		case SectionInclude:
			if me.Index < 0 || (len(spec.Include) > 0 && me.Index >= len(spec.Include)) {
				t.Errorf("error %q points at include %d of %d", me.Message, me.Index, len(spec.Include))
			}
		case SectionExclude:
			if me.Index < 0 || (len(spec.Exclude) > 0 && me.Index >= len(spec.Exclude)) {
				t.Errorf("error %q points at exclude %d of %d", me.Message, me.Index, len(spec.Exclude))
			}
		default:
			t.Errorf("error %q has section %v", me.Message, me.Section)
		}
	}
}

func hasAxis(spec Spec, name string) bool {
	for _, a := range spec.Axes {
		if a.Name == name {
			return true
		}
	}
	return false
}

// yamlMatrices returns each job's strategy.matrix in file as JSON.
func yamlMatrices(f *testing.F, file string) []string {
	f.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		f.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		f.Fatalf("%s: %v", file, err)
	}
	jobs := lookup(root.Content[0], "jobs")
	if jobs == nil {
		return nil
	}
	var out []string
	for i := 1; i < len(jobs.Content); i += 2 {
		m := lookup(lookup(jobs.Content[i], "strategy"), "matrix")
		if m == nil {
			continue
		}
		b, err := trigger.EncodeJSON(yamlValue(m))
		if err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		out = append(out, string(b))
	}
	return out
}

// hostileMatrices are the shapes that make expansion slow: long axes, a
// product past GitHub's limits, long include and exclude lists.
func hostileMatrices() []string {
	list := func(n int, item func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = item(i)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	num := func(i int) string { return fmt.Sprint(i) }
	return []string{
		`{"a": ` + list(300, num) + `}`,
		`{"a": ` + list(16, num) + `, "b": ` + list(16, num) + `}`,
		`{"a": ` + list(50, num) + `, "b": ` + list(50, num) + `, "c": ` + list(50, num) + `, "d": ` + list(50, num) + `, "e": ` + list(50, num) + `, "f": ` + list(50, num) + `}`,
		`{"a": ` + list(16, num) + `, "b": ` + list(16, num) + `, "exclude": ` + list(500, func(i int) string { return fmt.Sprintf(`{"a": %d, "b": %d}`, i%16, i%17) }) + `}`,
		`{"a": ` + list(16, num) + `, "b": ` + list(16, num) + `, "include": ` + list(300, func(i int) string { return fmt.Sprintf(`{"a": %d, "c": %d}`, i%20, i) }) + `}`,
		`{"a": [{"x": {"y": [1, 2, {"z": "` + strings.Repeat("long", 50) + `"}]}}], "include": [{"a": {"x": {"y": [1]}}, "n": 1}]}`,
	}
}

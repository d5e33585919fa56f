package matrix

import (
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

func TestFromValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   expr.Value
		want Spec
	}{
		{
			what: "axes in key order, include and exclude",
			in: obj(
				"os", arr("linux", "windows"),
				"include", arr(obj("os", "mac")),
				"node", arr(16, 18),
				"exclude", arr(obj("os", "windows", "node", 16)),
			),
			want: Spec{
				Axes:    []Axis{axis("os", "linux", "windows"), axis("node", 16, 18)},
				Include: []*expr.Object{obj("os", "mac")},
				Exclude: []*expr.Object{obj("os", "windows", "node", 16)},
			},
		},
		{
			what: "include-only matrix",
			in:   obj("include", arr(obj("a", 1))),
			want: Spec{Include: []*expr.Object{obj("a", 1)}},
		},
		// GitHub's switch on "include"/"exclude" is case-sensitive.
		{
			what: "Include with a capital is an axis",
			in:   obj("Include", arr(obj("a", 1))),
			want: Spec{Axes: []Axis{axis("Include", obj("a", 1))}},
		},
		{
			what: "an empty axis is kept for Expand to report",
			in:   obj("os", arr()),
			want: Spec{Axes: []Axis{axis("os")}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := FromValue(tc.in)
			if err != nil {
				t.Fatalf("FromValue: %v", err)
			}
			diff(t, "spec", renderSpec(tc.want), renderSpec(got))
		})
	}
}

func TestFromValueErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   expr.Value
		want *Error
	}{
		{
			what: "matrix is not an object",
			in:   "abc",
			want: &Error{Message: "Unexpected type 'StringToken' encountered while reading 'matrix'. The type 'MappingToken' was expected.", Section: SectionMatrix},
		},
		{
			what: "axis is not an array",
			in:   obj("os", "linux"),
			want: &Error{Message: "Unexpected type 'StringToken' encountered while reading 'matrix vector value'. The type 'SequenceToken' was expected.", Section: SectionAxis, Axis: "os"},
		},
		{
			what: "include is not an array",
			in:   obj("os", arr("a"), "include", obj()),
			want: &Error{Message: "Unexpected type 'MappingToken' encountered while reading 'matrix includes'. The type 'SequenceToken' was expected.", Section: SectionInclude},
		},
		{
			what: "exclude item is not an object",
			in:   obj("os", arr("a"), "exclude", arr(obj("os", "a"), nil)),
			want: &Error{Message: "Unexpected type 'NullToken' encountered while reading 'matrix excludes item'. The type 'MappingToken' was expected.", Section: SectionExclude, Index: 1},
		},
		// emqx/emqx#16727 quotes this for an include that evaluated to [].
		{
			what: "an include that evaluates to [] defines no vector",
			in:   obj("include", arr()),
			want: &Error{Message: "Matrix must define at least one vector", Section: SectionMatrix},
		},
		{
			what: "an empty object defines no vector",
			in:   obj(),
			want: &Error{Message: "Matrix must define at least one vector", Section: SectionMatrix},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := FromValue(tc.in)
			diff(t, "errors", []*Error{tc.want}, errorsOf(t, err))
		})
	}
}

// renderSpec prints a Spec for comparison (Objects have unexported fields).
func renderSpec(s Spec) []string {
	var out []string
	for _, a := range s.Axes {
		out = append(out, "axis "+a.Name+" "+render(a.Values))
	}
	for _, o := range s.Include {
		out = append(out, "include "+render(o))
	}
	for _, o := range s.Exclude {
		out = append(out, "exclude "+render(o))
	}
	return out
}

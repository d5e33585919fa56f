package expr

import (
	"testing"
)

func benchEnv(b *testing.B) *Env {
	b.Helper()
	v, err := FromJSON(`{
		"github": {"event_name": "push", "ref": "refs/heads/main", "sha": "2ce6b095f4cceb616efed52266e3e3c0367ba795",
			"repository": "monalisa/testing", "run_number": 845,
			"event": {"commits": [{"id": "a1", "message": "Update main.yml", "author": {"name": "mona", "email": "m@example.com"}},
				{"id": "b2", "message": "Fix tests", "author": {"name": "lisa", "email": "l@example.com"}}],
				"head_commit": {"id": "b2", "timestamp": "2022-08-09T12:40:12-05:00"}, "forced": false}},
		"matrix": {"os": "ubuntu-latest", "python": "3.12"}
	}`)
	if err != nil {
		b.Fatal(err)
	}
	env := &Env{Contexts: map[string]Value{}}
	v.(*Object).Range(func(k string, v Value) bool {
		env.Contexts[k] = v
		return true
	})
	return env
}

// BenchmarkCondition parses and evaluates a typical if: expression.
func BenchmarkCondition(b *testing.B) {
	env := benchEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		v, err := Evaluate("github.event_name == 'push' && contains(github.ref, 'main')", env)
		if err != nil || v != true {
			b.Fatal(v, err)
		}
	}
}

// BenchmarkFormat parses and evaluates a format() call.
func BenchmarkFormat(b *testing.B) {
	env := benchEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		v, err := Evaluate("format('{0}-py{1}-{2}-{{literal}}', matrix.os, matrix.python, github.run_number)", env)
		if err != nil || v != "ubuntu-latest-py3.12-845-{literal}" {
			b.Fatal(v, err)
		}
	}
}

// BenchmarkToJSON renders a medium object (the github context).
func BenchmarkToJSON(b *testing.B) {
	env := benchEnv(b)
	n, err := Parse("toJSON(github)")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Eval(n, env); err != nil {
			b.Fatal(err)
		}
	}
}

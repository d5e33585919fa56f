package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes r as indented JSON: the fields of [Report] and the types
// it holds, in their declared order, and nothing else. Lists and maps that
// are nil print as [] and {} so that a consumer reads one shape whether or
// not a job had outputs, and a zero [Report.Version] prints as
// [FormatVersion]. r itself is not changed.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Step names and log lines are full of <, > and &; escaping them as
	// \u003c would make the report harder to read for no gain.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(normalized(r)); err != nil {
		return fmt.Errorf("could not write the JSON report: %w", err)
	}
	return nil
}

// normalized returns a copy of r with the nil lists and maps filled in.
// It copies every level it touches, so the caller's report stays as it was.
func normalized(r *Report) *Report {
	c := *r
	if c.Version == 0 {
		c.Version = FormatVersion
	}
	c.Workflows = make([]*WorkflowResult, len(r.Workflows))
	for i, w := range r.Workflows {
		wc := *w
		wc.Errors = nonNil(w.Errors)
		wc.Jobs = make([]*JobResult, len(w.Jobs))
		for k, j := range w.Jobs {
			jc := *j
			jc.Outputs = nonNilMap(j.Outputs)
			jc.Annotations = nonNil(j.Annotations)
			jc.LogTail = nonNil(j.LogTail)
			jc.Steps = make([]*StepResult, len(j.Steps))
			for s, st := range j.Steps {
				sc := *st
				sc.Outputs = nonNilMap(st.Outputs)
				jc.Steps[s] = &sc
			}
			wc.Jobs[k] = &jc
		}
		c.Workflows[i] = &wc
	}
	c.Artifacts = nonNil(r.Artifacts)
	return &c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

package run

import (
	"encoding/json"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/mask"
	"github.com/rehearse-dev/rehearse/emulate/report"
)

// maskSecrets registers every secret with the masker, as the runner does
// when a job starts. A secret that is a JSON object or array also registers
// each of its string leaves. GitHub masks only the whole value (its docs
// advise against structured secrets for this reason), so a step that prints
// fromJSON(secrets.X).password there shows the password; a rehearsal never
// shows it, since the values are real secrets on a developer's machine.
func maskSecrets(m *mask.Masker, secrets map[string]string) {
	for _, s := range secrets {
		m.Add(s)
		for _, leaf := range jsonLeaves(s) {
			m.Add(leaf)
		}
	}
}

// jsonLeaves returns the string values inside s when s is a JSON object or
// array, and nothing otherwise.
func jsonLeaves(s string) []string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(t), &v); err != nil {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// maskReport passes every text of the report through the masker: names,
// reasons, outputs, summaries, log tails and every annotation field. Most
// are masked where they are made; this is the last line of defence for a
// secret that reached a field some other way (a workflow command's file=,
// a job name built from an expression).
func maskReport(rep *report.Report, m *mask.Masker) {
	if m == nil {
		return
	}
	mm := func(s *string) { *s = m.Mask(*s) }
	for _, w := range rep.Workflows {
		for i := range w.Errors {
			mm(&w.Errors[i])
		}
		for _, j := range w.Jobs {
			mm(&j.Name)
			mm(&j.Reason)
			mm(&j.FailedStep)
			mm(&j.Summary)
			mm(&j.Hint)
			for i := range j.LogTail {
				mm(&j.LogTail[i])
			}
			for k, v := range j.Outputs {
				j.Outputs[k] = m.Mask(v)
			}
			for i := range j.Annotations {
				a := &j.Annotations[i]
				mm(&a.File)
				mm(&a.Title)
				mm(&a.Message)
			}
			for _, s := range j.Steps {
				mm(&s.Name)
				mm(&s.Reason)
				for k, v := range s.Outputs {
					s.Outputs[k] = m.Mask(v)
				}
			}
		}
	}
	for i := range rep.Artifacts {
		mm(&rep.Artifacts[i].Name)
	}
}

package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestWriteTextBuilders: a run over several builders says which builder
// ran each cell, how long it waited, and which cells ran again.
func TestWriteTextBuilders(t *testing.T) {
	t.Parallel()
	r := &Report{Workflows: []*WorkflowResult{{Name: "CI", Jobs: []*JobResult{
		{Name: "test (1)", Conclusion: Success, Executor: "container", Builder: "unix:///a.sock", Placement: "least loaded (0 of 2 slots busy)"},
		{Name: "test (2)", Conclusion: Success, Executor: "container", Builder: "unix:///b.sock", Placement: "only builder with a free slot", QueueMS: 2500,
			Retried: "builder unix:///a.sock was lost: connection refused"},
		{Name: "lint", Conclusion: Success, Executor: "host"},
	}}}}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "Builders\n" +
		"  CI / test (1): unix:///a.sock (least loaded (0 of 2 slots busy))\n" +
		"  CI / test (2): unix:///b.sock, waited 2.5s for it (only builder with a free slot)\n" +
		"    retried: builder unix:///a.sock was lost: connection refused\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("summary does not have\n%s\nin:\n%s", want, b.String())
	}
}

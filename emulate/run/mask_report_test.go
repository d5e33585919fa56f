package run_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestSecretsMaskedInEveryReportField: a secret in any property of a
// workflow command (file, title, the message), an output, a step summary or
// a failure's log never reaches the report, its JSON or its text summary.
func TestSecretsMaskedInEveryReportField(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-VALUE-9271"
	const wf = `
on: push
jobs:
  leak:
    runs-on: ubuntu-latest
    outputs: {o: "${{ steps.s.outputs.o }}"}
    steps:
      - id: s
        run: |
          echo "::notice file=${{ secrets.TOKEN }}.py,line=1,col=2,title=t ${{ secrets.TOKEN }}::m ${{ secrets.TOKEN }}"
          echo "::warning file=src/${{ secrets.TOKEN }}/a.py::w"
          echo "::error title=${{ secrets.TOKEN }}::e"
          echo "o=${{ secrets.TOKEN }}" >> "$GITHUB_OUTPUT"
          echo "## ${{ secrets.TOKEN }}" >> "$GITHUB_STEP_SUMMARY"
          echo "failing with ${{ secrets.TOKEN }}"
          exit 1
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}, secrets: map[string]string{"TOKEN": secret}})
	j := job(t, rep, "leak")
	if len(j.Annotations) < 3 {
		t.Fatalf("annotations: %+v\n%s", j.Annotations, explain(j))
	}
	var js, text bytes.Buffer
	if err := report.WriteJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteText(&text, rep, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for what, out := range map[string]string{"JSON report": js.String(), "summary": text.String()} {
		if strings.Contains(out, secret) {
			t.Errorf("the secret is in the %s:\n%s", what, out)
		}
		if !strings.Contains(out, "***") {
			t.Errorf("the %s shows no masked value:\n%s", what, out)
		}
	}
}

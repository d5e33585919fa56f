package run_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStreamsMergeWholeLines: a step's stdout and stderr are merged line
// by line, as the runner reads each stream: a line of stderr does not cut
// a stdout line written in two pieces, and a secret written in pieces on
// one stream is masked in the log.
func TestStreamsMergeWholeLines(t *testing.T) {
	t.Parallel()
	const secret = "pieces-of-a-secret-8812"
	const wf = `
on: push
jobs:
  streams:
    runs-on: ubuntu-latest
    steps:
      - run: |
          printf 'out-start '; sleep 0.2
          echo 'err line' >&2; sleep 0.2
          echo 'out-end'
          printf 'pieces-of-'; sleep 0.2; printf 'a-secret'; sleep 0.2; echo '-8812'
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}, secrets: map[string]string{"S": secret}})
	j := job(t, rep, "streams")
	if j.Conclusion != "success" {
		t.Fatalf("%s\n%s", j.Conclusion, explain(j))
	}
	data, err := os.ReadFile(filepath.Join(rep.LogDir, "ci.yml", "streams.log"))
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	for _, want := range []string{"Z err line\n", "Z out-start out-end\n", "Z ***\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks the line %q:\n%s", strings.TrimPrefix(want, "Z "), log)
		}
	}
	if strings.Contains(log, secret) || strings.Contains(log, "out-start err") {
		t.Errorf("a line was cut or the secret shows:\n%s", log)
	}
}

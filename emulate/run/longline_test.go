package run_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLongLineInPieces: a step printing a 5 MB line without a break, with
// a secret where the pieces are cut, logs it in pieces that never show
// the secret; a workflow command inside the line is text; the report's log
// tail is shortened; the lines around it are whole.
func TestLongLineInPieces(t *testing.T) {
	t.Parallel()
	const secret = "split-across-pieces-7731"
	const wf = `
on: push
jobs:
  long:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo before
          python3 -c '
          import sys
          piece = "x" * 1048570 + "split-across-pieces-7731"
          sys.stdout.write(piece * 5 + "::add-mask::x" + "\n")
          '
          echo after
          exit 1
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}, secrets: map[string]string{"S": secret}})
	j := job(t, rep, "long")
	if j.Conclusion != "failure" {
		t.Fatalf("%s\n%s", j.Conclusion, explain(j))
	}
	f, err := os.Open(filepath.Join(rep.LogDir, "ci.yml", "long.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	var lines []string
	xs := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "split-across") || strings.Contains(line, "7731") || strings.Contains(line, "pieces-") {
			t.Fatalf("the log shows part of the secret near %q", line[max(0, strings.Index(line, "pieces")-20):])
		}
		if strings.Contains(line, "xxxx") {
			xs++
			if len(line) > 1<<20+64 {
				t.Errorf("a log line of %d bytes", len(line))
			}
		} else {
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if xs < 5 {
		t.Errorf("the long line is in %d log lines, want 5 or more", xs)
	}
	log := strings.Join(lines, "\n")
	for _, want := range []string{"Z before", "Z after"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	// A mask of "x" would have masked every later x.
	if strings.Contains(log, "Z ***\n") {
		t.Errorf("a workflow command inside a long line was run")
	}
	tail := strings.Join(j.LogTail, "\n")
	if !strings.Contains(tail, "more bytes in the log file") || len(tail) > 64<<10 {
		t.Errorf("the report's log tail is %d bytes and not shortened", len(tail))
	}
}

package progress

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// script is a run of three jobs, interleaved as parallel jobs interleave:
// a job that succeeds, one that fails with colored and self-redrawing
// output, and one skipped without starting. Times are offsets from the
// start of the run.
func script(start time.Time) []Event {
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	lint := func(e Event) Event { e.JobKey, e.JobName, e.Workflow = "ci.yml:lint", "Lint", "CI"; return e }
	test := func(e Event) Event {
		e.JobKey, e.JobName, e.Workflow = "ci.yml:test.0", "Unit Tests (3.9, ubuntu-latest)", "CI"
		return e
	}
	deploy := func(e Event) Event { e.JobKey, e.JobName, e.Workflow = "cd.yml:deploy", "Deploy", "CD"; return e }
	return []Event{
		lint(Event{Kind: JobQueued, Total: 3, Time: at(0)}),
		test(Event{Kind: JobQueued, Total: 3, Time: at(0)}),
		deploy(Event{Kind: JobQueued, Total: 3, Time: at(0)}),
		lint(Event{Kind: JobStarted, Time: at(0)}),
		lint(Event{Kind: StepStarted, Step: "Run actions/checkout@v4", Time: at(10)}),
		test(Event{Kind: JobStarted, Time: at(100)}),
		lint(Event{Kind: Output, Step: "Run actions/checkout@v4", Line: "Syncing repository: octo/app", Time: at(300)}),
		test(Event{Kind: StepStarted, Step: "Run pytest", Time: at(200)}),
		lint(Event{Kind: StepFinished, Step: "Run actions/checkout@v4", Conclusion: report.Success, Time: at(810)}),
		test(Event{Kind: Output, Step: "Run pytest", Line: "\x1b[1mtests/test_app.py\x1b[0m \x1b[32m.\x1b[31mF\x1b[0m", Time: at(900)}),
		lint(Event{Kind: StepStarted, Step: "Run ruff check .", Time: at(900)}),
		test(Event{Kind: Output, Step: "Run pytest", Line: "Downloading numpy  10%\rDownloading numpy 100%\r\n", Time: at(950)}),
		test(Event{Kind: Output, Step: "Run pytest", Line: "", Time: at(960)}),
		lint(Event{Kind: Output, Step: "Run ruff check .", Line: "All checks passed!", Time: at(1000)}),
		test(Event{Kind: Output, Step: "Run pytest", Line: "E   assert 3 == 4\nE    +  where 3 = add(1, 2)", Time: at(1100)}),
		test(Event{Kind: StepFinished, Step: "Run pytest", Conclusion: report.Failure, Time: at(4100)}),
		test(Event{Kind: StepFinished, Step: "Upload coverage", Conclusion: report.Skipped, Time: at(4100)}),
		lint(Event{Kind: StepFinished, Step: "Run ruff check .", Conclusion: report.Success, Time: at(2000)}),
		test(Event{Kind: JobFinished, Conclusion: report.Failure, Time: at(4200)}),
		lint(Event{Kind: JobFinished, Conclusion: report.Success, Time: at(2100)}),
		deploy(Event{Kind: JobFinished, Conclusion: report.Skipped}), // no time: the display's clock
	}
}

func TestPlainGolden(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	var out syncBuffer
	d := New(Options{Mode: Plain, Out: &out, Now: func() time.Time { return start.Add(5 * time.Second) }})
	done := make(chan error, 1)
	go func() { done <- d.Run(t.Context()) }()
	for _, e := range script(start) {
		d.Send(e)
	}
	d.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	got := out.String()
	if strings.Contains(got, "\x1b") {
		t.Error("plain output contains an escape sequence")
	}
	golden.Check(t, "plain.golden", []byte(got))
}

// lineWriter records each Write so the test can check that every write
// is whole lines.
type lineWriter struct {
	mu     sync.Mutex
	writes []string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

// TestPlainConcurrent sends from 20 goroutines at once, more events than
// the queue holds: every line arrives, whole, once, and each job's lines
// stay in the order the job sent them.
func TestPlainConcurrent(t *testing.T) {
	t.Parallel()
	const jobs, lines = 20, 300
	var w lineWriter
	d := New(Options{Mode: Plain, Out: &w})
	done := make(chan error, 1)
	go func() { done <- d.Run(t.Context()) }()
	var wg sync.WaitGroup
	for j := range jobs {
		wg.Go(func() {
			name := fmt.Sprintf("job %02d", j)
			d.Send(Event{Kind: JobStarted, JobKey: name, JobName: name})
			for i := range lines {
				d.Send(Event{Kind: Output, JobKey: name, JobName: name, Line: fmt.Sprintf("line %d of %s %s", i, name, strings.Repeat("x", i%50))})
			}
			d.Send(Event{Kind: JobFinished, JobKey: name, JobName: name, Conclusion: report.Success})
		})
	}
	wg.Wait()
	d.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}

	next := map[string]int{}
	re := regexp.MustCompile(`^\[(job \d\d)\] (?:line (\d+) of (job \d\d) x*|job started|job finished: success \(\d+\.\ds\))$`)
	for _, wr := range w.writes {
		if !strings.HasSuffix(wr, "\n") {
			t.Fatalf("a write ends mid-line: %q", wr)
		}
		for l := range strings.SplitSeq(strings.TrimSuffix(wr, "\n"), "\n") {
			m := re.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("split or garbled line %q", l)
			}
			if m[2] == "" {
				continue
			}
			if m[1] != m[3] {
				t.Fatalf("line of %s printed under %s: %q", m[3], m[1], l)
			}
			n, _ := strconv.Atoi(m[2])
			if n != next[m[1]] {
				t.Fatalf("%s: got line %d, want line %d", m[1], n, next[m[1]])
			}
			next[m[1]]++
		}
	}
	if len(next) != jobs {
		t.Errorf("output from %d jobs, want %d", len(next), jobs)
	}
	for name, n := range next {
		if n != lines {
			t.Errorf("%s: %d lines, want %d", name, n, lines)
		}
	}
}

func TestPlainLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   string
		want []string
	}{
		{"plain text", "hello", []string{"hello"}},
		{"trailing newline", "hello\n", []string{"hello"}},
		{"CRLF", "hello\r\n", []string{"hello"}},
		{"embedded newlines", "a\nb", []string{"a", "b"}},
		{"colors", "\x1b[1;31mred\x1b[0m", []string{"red"}},
		{"cursor movement", "\x1b[2K\x1b[1Gdone", []string{"done"}},
		{"hyperlink", "\x1b]8;;https://example.com\x07link\x1b]8;;\x07", []string{"link"}},
		{"redrawn progress keeps the last state", "10%\r50%\r100%", []string{"100%"}},
		{"control characters", "bell\a and back\bspace\tand tab", []string{"bell and backspace\tand tab"}},
		{"empty", "", []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, plainLines(tc.in)); diff != "" {
				t.Errorf("plainLines(%q) differs (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

package progress

import (
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestTTY drives the live view inside a synctest bubble, where the ticker
// and the clock are fake and advance only when every goroutine waits, so
// each frame is deterministic. It checks the screen a person would see at
// three points of a run.
func TestTTY(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var out syncBuffer
		d := New(Options{
			Mode:   TTY,
			Out:    &out,
			Width:  func() int { return 72 },
			Height: func() int { return 24 },
		})
		if d.Mode() != TTY {
			t.Fatalf("mode %v, want tty", d.Mode())
		}
		done := make(chan error, 1)
		go func() { done <- d.Run(t.Context()) }()

		send := func(kind Kind, key, name string, more ...func(*Event)) {
			e := Event{Kind: kind, JobKey: key, JobName: name, Workflow: "CI"}
			for _, f := range more {
				f(&e)
			}
			d.Send(e)
		}
		step := func(s string) func(*Event) { return func(e *Event) { e.Step = s } }
		concl := func(c report.Conclusion) func(*Event) { return func(e *Event) { e.Conclusion = c } }
		total := func(n int) func(*Event) { return func(e *Event) { e.Total = n } }
		wait := func(d time.Duration) {
			time.Sleep(d)
			synctest.Wait()
		}

		for _, j := range [][2]string{{"lint", "Lint"}, {"test.0", "Unit Tests (3.9, ubuntu-latest)"}, {"deploy", "Deploy"}} {
			send(JobQueued, j[0], j[1], total(3))
		}
		send(JobStarted, "lint", "Lint")
		send(StepStarted, "lint", "Lint", step("Run ruff check ."))
		send(Output, "lint", "Lint", func(e *Event) { e.Line = "All checks passed!" })
		send(JobStarted, "test.0", "Unit Tests (3.9, ubuntu-latest)")
		send(StepStarted, "test.0", "Unit Tests (3.9, ubuntu-latest)", step("Run pytest -q --maxfail=1 tests/ and a step name too long for one line"))
		wait(2500 * time.Millisecond)

		check(t, "two jobs running", render(t, out.String()), []string{
			`^Jobs +0% \|\s+\| \(0/3\)  2 running$`,
			`^  Lint  ▸ Run ruff check \.  \(elapsed 2s\)$`,
			`^  Unit Tests \(3\.9, ubuntu-latest\)  ▸ Run pytest -q .*…  \(elapsed 2s\)$`,
		})

		wait(10 * time.Second)
		send(JobFinished, "lint", "Lint", concl(report.Success))
		wait(200 * time.Millisecond)
		check(t, "one job finished", render(t, out.String()), []string{
			`^✓ Lint  success  12\.5s$`,
			`^Jobs +33% \|█+ +\| \(1/3\)  1 running$`,
			`^  Unit Tests \(3\.9, ubuntu-latest\)  ▸ Run pytest .*  \(elapsed 12s\)$`,
		})

		send(JobFinished, "deploy", "Deploy", concl(report.Skipped))
		wait(50 * time.Second)
		send(JobFinished, "test.0", "Unit Tests (3.9, ubuntu-latest)", concl(report.Failure))
		d.Close()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
		check(t, "closed", render(t, out.String()), []string{
			`^✓ Lint  success  12\.5s$`,
			`^- Deploy  skipped$`,
			`^✗ Unit Tests \(3\.9, ubuntu-latest\)  failure  1m03s$`,
		})

		raw := out.String()
		if strings.Contains(raw, "All checks passed!") {
			t.Error("step output was drawn in TTY mode; it belongs in the log files")
		}
		for _, want := range []string{"\x1b[32m✓", "\x1b[31m✗", hideCursor, showCursor} {
			if !strings.Contains(raw, want) {
				t.Errorf("output has no %q", want)
			}
		}
		if !strings.HasSuffix(raw, showCursor) {
			t.Error("the cursor is left hidden")
		}
	})
}

// TestTTYFitsScreen checks that the live area stays inside a small
// terminal: no line wider than the width allows, and no more lines than
// the height, the rest summed up.
func TestTTYFitsScreen(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var out syncBuffer
		d := New(Options{Mode: TTY, Out: &out, NoColor: true, Width: func() int { return 40 }, Height: func() int { return 6 }})
		go func() { _ = d.Run(t.Context()) }()
		for i := range 8 {
			key := string(rune('a' + i))
			d.Send(Event{Kind: JobStarted, JobKey: key, JobName: "A job with a rather long name " + key})
		}
		time.Sleep(time.Second)
		synctest.Wait()
		rows := render(t, out.String())
		check(t, "eight jobs on six rows", rows, []string{
			`^Jobs +0% \|\s+\| \(0/8\)  8 running$`,
			`^  A job with a rather lo…  \(elapsed 1s\)$`,
			`^  A job with a rather lo…  \(elapsed 1s\)$`,
			`^  A job with a rather lo…  \(elapsed 1s\)$`,
			`^  … and 5 more running$`,
		})
		for _, r := range rows {
			if w := len([]rune(r)); w > 39 {
				t.Errorf("row %q is %d columns wide, the terminal 40", r, w)
			}
		}
		if strings.Contains(out.String(), "\x1b[3") {
			t.Error("NoColor output has colors")
		}
		d.Close()
	})
}

// check compares screen rows with one regexp each.
func check(t *testing.T, what string, rows []string, want []string) {
	t.Helper()
	ok := len(rows) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = regexp.MustCompile(want[i]).MatchString(rows[i])
	}
	if !ok {
		t.Errorf("%s: screen differs\nwant rows matching:\n\t%s\ngot:\n\t%s",
			what, strings.Join(want, "\n\t"), strings.Join(rows, "\n\t"))
	}
}

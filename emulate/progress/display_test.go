package progress

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

func TestQuiet(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	d := New(Options{Mode: Quiet, Out: &out})
	done := make(chan error, 1)
	go func() { done <- d.Run(t.Context()) }()
	for _, e := range script(time.Now()) {
		d.Send(e)
	}
	d.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if s := out.String(); s != "" {
		t.Errorf("quiet mode printed %q", s)
	}
}

func TestModeResolve(t *testing.T) {
	t.Parallel()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { devNull.Close() })
	tests := []struct {
		what string
		opts Options
		want Mode
	}{
		{"auto on a buffer is plain", Options{Out: &syncBuffer{}}, Plain},
		{"auto on a file that is not a terminal is plain", Options{Out: devNull}, Plain},
		{"auto without output is plain", Options{}, Plain},
		{"tty is kept off a terminal", Options{Mode: TTY, Out: &syncBuffer{}}, TTY},
		{"quiet", Options{Mode: Quiet, Out: &syncBuffer{}}, Quiet},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := New(tc.opts).Mode(); got != tc.want {
				t.Errorf("mode %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	for _, m := range []Mode{Auto, TTY, Plain, Quiet} {
		got, err := ParseMode(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", m.String(), got, err, m)
		}
	}
	_, err := ParseMode("json")
	if err == nil || err.Error() != `unknown progress mode "json" (expected: auto, tty, plain or quiet)` {
		t.Errorf("ParseMode(json) error = %v", err)
	}
	if s := Mode(9).String(); s != "Mode(9)" {
		t.Errorf("String of an unknown mode = %q", s)
	}
}

// TestStopped checks what happens when Run's context ends while jobs are
// still sending: Run returns the cause, and later events, more than the
// queue holds, neither block nor get lost.
func TestStopped(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	d := New(Options{Mode: Plain, Out: &out})
	cause := errors.New("interrupted")
	ctx, cancel := context.WithCancelCause(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	d.Send(Event{Kind: JobStarted, JobKey: "a", JobName: "a"})
	cancel(cause)
	if err := <-done; !errors.Is(err, cause) {
		t.Fatalf("Run returned %v, want the context's cause", err)
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for range 2 * bufferSize {
			d.Send(Event{Kind: Output, JobKey: "a", JobName: "a", Line: "late"})
		}
		d.Send(Event{Kind: JobFinished, JobKey: "a", JobName: "a", Conclusion: report.Cancelled})
	}()
	select {
	case <-sent:
	case <-time.After(10 * time.Second):
		t.Fatal("Send blocked after the display stopped")
	}
	d.Close()
	got := out.String()
	if n := strings.Count(got, "[a] late\n"); n != 2*bufferSize {
		t.Errorf("%d late lines printed, want %d", n, 2*bufferSize)
	}
	if !strings.HasPrefix(got, "[a] job started\n") || !strings.Contains(got, "late\n[a] job finished: cancelled (") {
		t.Errorf("lines out of order: starts %q, ends %q", got[:min(len(got), 30)], got[max(len(got)-40, 0):])
	}
}

func TestCloseWithoutRun(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	d := New(Options{Mode: Plain, Out: &out})
	d.Send(Event{Kind: JobStarted, JobKey: "a", JobName: "a"})
	d.Close()
	d.Close() // twice is fine
	if got := out.String(); got != "[a] job started\n" {
		t.Errorf("got %q, want the queued event drawn", got)
	}
	if err := d.Run(t.Context()); err != nil {
		t.Errorf("Run after Close = %v, want it to return at once", err)
	}
	if err := d.Run(t.Context()); err == nil {
		t.Error("a second Run did not fail")
	}
}

type brokenWriter struct{ writes int }

func (w *brokenWriter) Write([]byte) (int, error) {
	w.writes++
	return 0, errors.New("broken pipe")
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	w := &brokenWriter{}
	d := New(Options{Mode: Plain, Out: w})
	done := make(chan error, 1)
	go func() { done <- d.Run(t.Context()) }()
	for range 5 {
		d.Send(Event{Kind: Output, JobKey: "a", Line: "x"})
	}
	d.Close()
	err := <-done
	if err == nil || err.Error() != "could not write progress: broken pipe" {
		t.Errorf("Run returned %v, want the write error", err)
	}
	if w.writes != 1 {
		t.Errorf("%d writes after the first failed, want none", w.writes-1)
	}
}

package mask

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
)

func TestWriter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what   string
		writes []string
		want   string
	}{
		{"whole lines", []string{"token=hunter2\n", "ok\n"}, "token=***\nok\n"},
		{"secret split across writes", []string{"token=hun", "ter2 done\n"}, "token=*** done\n"},
		{"secret split byte by byte", strings.Split("a hunter2 b\n", ""), "a *** b\n"},
		{"several lines in one write", []string{"hunter2\nx\nhunter2\n"}, "***\nx\n***\n"},
		{"last line without a break is flushed by Close", []string{"end hunter2"}, "end ***"},
		{"CRLF passes through", []string{"hunter2\r\n"}, "***\r\n"},
		{"CR ends a line (progress output)", []string{"1% hunter2\r2% hunter2\r"}, "1% ***\r2% ***\r"},
		{"CR and LF in separate writes", []string{"hunter2\r", "\nnext\n"}, "***\r\nnext\n"},
		{"a secret is not matched across a line break", []string{"hunt\ner2\n"}, "hunt\ner2\n"},
		{"nothing written", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			m := New()
			m.Add("hunter2")
			var out bytes.Buffer
			w := m.Writer(&out)
			for _, s := range tc.writes {
				n, err := w.Write([]byte(s))
				if err != nil || n != len(s) {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tc.want {
				t.Errorf("output = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWriterMasksFromRegistration(t *testing.T) {
	t.Parallel()
	// A value added mid-line applies to that line, because the line is
	// masked when it ends. Earlier lines are already written.
	m := New()
	var out bytes.Buffer
	w := m.Writer(&out)
	fmt.Fprint(w, "before s3cret\n")
	fmt.Fprint(w, "during s3c")
	m.Add("s3cret")
	fmt.Fprint(w, "ret\n")
	w.Close()
	if got, want := out.String(), "before s3cret\nduring ***\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

func TestWriterClose(t *testing.T) {
	t.Parallel()
	m := New()
	var out bytes.Buffer
	w := m.Writer(&out)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if _, err := w.Write([]byte("x\n")); !errors.Is(err, errClosed) {
		t.Errorf("Write after Close = %v, want errClosed", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriterReportsWriteErrors(t *testing.T) {
	t.Parallel()
	w := New().Writer(failingWriter{})
	if _, err := w.Write([]byte("line\n")); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("Write = %v, want io.ErrClosedPipe", err)
	}
	if _, err := w.Write([]byte("partial")); err != nil {
		t.Errorf("buffered Write = %v, want nil", err)
	}
	if err := w.Close(); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("Close = %v, want io.ErrClosedPipe", err)
	}
}

func TestWriterConcurrentWrites(t *testing.T) {
	t.Parallel()
	m := New()
	m.Add("hunter2")
	var out bytes.Buffer
	w := m.Writer(&out)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				fmt.Fprint(w, "pw hunter2\n")
			}
		}()
	}
	wg.Wait()
	w.Close()
	if strings.Contains(out.String(), "hunter2") {
		t.Error("a secret leaked through concurrent writes")
	}
	if got, want := strings.Count(out.String(), "pw ***\n"), 500; got != want {
		t.Errorf("got %d masked lines, want %d", got, want)
	}
}

// BenchmarkWriter measures masking throughput with 20 registered secrets,
// each with its encodings, on typical build output.
func BenchmarkWriter(b *testing.B) {
	m := New()
	for i := range 20 {
		m.AddSecret(fmt.Sprintf("ghp_%032d", i*7919))
	}
	var chunk strings.Builder
	for i := range 64 {
		fmt.Fprintf(&chunk, "[%04d] compiling module github.com/example/pkg%d with flags -trimpath -ldflags=-s\n", i, i)
		if i%16 == 0 {
			fmt.Fprintf(&chunk, "using token ghp_%032d for the registry\n", 7919)
		}
	}
	data := []byte(chunk.String())
	w := m.Writer(io.Discard)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.Write(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMaskNoSecretInLine(b *testing.B) {
	m := New()
	for i := range 20 {
		m.AddSecret(fmt.Sprintf("ghp_%032d", i*7919))
	}
	line := "compiling module github.com/example/pkg with flags -trimpath -ldflags=-s"
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		_ = m.Mask(line)
	}
}

package run

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rehearse-dev/rehearse/emulate/mask"
)

type splitLine struct {
	text  string
	piece bool
}

func collectLines(m *mask.Masker) (*lineSplitter, *[]splitLine) {
	var got []splitLine
	return &lineSplitter{masker: m, handle: func(s string, piece bool) {
		got = append(got, splitLine{s, piece})
	}}, &got
}

// TestLineSplitterLongLine: a line far past longLine, written in chunks of
// several sizes with secrets on the piece boundaries, comes out in pieces
// of bounded length that never show a secret, and the lines around it
// come out whole and unmarked.
func TestLineSplitterLongLine(t *testing.T) {
	const secret = "long-line-secret-0042"
	m := mask.New()
	m.AddValue(secret)
	var b strings.Builder
	for b.Len() < 3*longLine+1000 {
		b.WriteString("é-text-")
		// Secrets straddle each piece boundary at varied offsets.
		if n := b.Len() % longLine; n > longLine-40 {
			b.WriteString(secret)
		}
	}
	long := b.String()
	input := "first\n" + long + "\r\nlast"
	for _, chunk := range []int{1 << 15, 4093, 1 << 20} {
		w, got := collectLines(m)
		for rest := input; rest != ""; {
			n := min(chunk, len(rest))
			if _, err := w.Write([]byte(rest[:n])); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		lines := *got
		if len(lines) < 5 || lines[0] != (splitLine{"first", false}) || lines[len(lines)-1] != (splitLine{"last", false}) {
			t.Fatalf("chunk %d: %d lines, first %q, last %q", chunk, len(lines), lines[0].text, lines[len(lines)-1].text)
		}
		var joined strings.Builder
		for _, l := range lines[1 : len(lines)-1] {
			if !l.piece {
				t.Errorf("chunk %d: a part of the long line is not marked as a piece", chunk)
			}
			if len(l.text) > longLine {
				t.Errorf("chunk %d: a piece of %d bytes", chunk, len(l.text))
			}
			if !utf8.ValidString(l.text) {
				t.Errorf("chunk %d: a piece cuts a character in two", chunk)
			}
			joined.WriteString(l.text)
		}
		if strings.Contains(joined.String(), "secret") || strings.Contains(joined.String(), "0042") {
			t.Errorf("chunk %d: a piece shows (part of) the secret", chunk)
		}
		if want := strings.ReplaceAll(long, secret, "***"); len(joined.String()) < len(want) {
			t.Errorf("chunk %d: the pieces hold %d bytes, want at least %d", chunk, joined.Len(), len(want))
		}
	}
}

// TestLineSplitterLinesUnchanged: lines shorter than longLine come out as
// the runner reads them, also when written a byte at a time.
func TestLineSplitterLinesUnchanged(t *testing.T) {
	input := "a\nb\r\nc\rd\r\re"
	want := []splitLine{{"a", false}, {"b", false}, {"c", false}, {"d", false}, {"", false}, {"e", false}}
	w, got := collectLines(mask.New())
	for i := range len(input) {
		_, _ = w.Write([]byte{input[i]})
	}
	_ = w.Close()
	if len(*got) != len(want) {
		t.Fatalf("got %+v, want %+v", *got, want)
	}
	for i := range want {
		if (*got)[i] != want[i] {
			t.Errorf("line %d: got %+v, want %+v", i, (*got)[i], want[i])
		}
	}
}

// BenchmarkLineSplitterLongLine: a 50 MB line without a break, written as
// a pipe delivers it, with a secret registered. peak-heap-MB is the most
// heap in use seen while it passes (the aim: a few MB whatever the length).
func BenchmarkLineSplitterLongLine(b *testing.B) {
	m := mask.New()
	m.AddValue("a-registered-secret")
	chunk := []byte(strings.Repeat("0123456789abcdef", 2048))
	const total = 50 << 20
	var peak uint64
	var ms runtime.MemStats
	b.SetBytes(total)
	for b.Loop() {
		pieces := 0
		w := &lineSplitter{masker: m, handle: func(string, bool) {
			pieces++
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}}
		for n := 0; n < total; n += len(chunk) {
			_, _ = w.Write(chunk)
		}
		_ = w.Close()
		if pieces < total/longLine {
			b.Fatalf("%d pieces", pieces)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

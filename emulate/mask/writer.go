package mask

import (
	"bytes"
	"errors"
	"io"
	"sync"
)

// Writer returns a writer that masks its input line by line before writing
// it to w. A line ends at LF or CR, as the runner splits process output, and
// the line breaks pass through unchanged. Text is held until its line ends,
// so a secret split across two Write calls is still masked. Close masks and
// writes a last line that has no line break. Close does not close w.
//
// Each complete line is masked with the values registered at the time it
// ends. The runner also masks a value only from the moment it is
// registered. The writer is safe for concurrent use, and concurrent writes
// are applied whole, one after another.
func (m *Masker) Writer(w io.Writer) io.WriteCloser {
	return &lineWriter{m: m, w: w}
}

type lineWriter struct {
	m      *Masker
	w      io.Writer
	mu     sync.Mutex
	buf    []byte // the unfinished line
	closed bool
}

var errClosed = errors.New("write to a closed masking writer")

func (lw *lineWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.closed {
		return 0, errClosed
	}
	end := bytes.LastIndexAny(p, "\r\n")
	if end < 0 {
		lw.buf = append(lw.buf, p...)
		return len(p), nil
	}
	var out []byte
	if len(lw.buf) > 0 {
		lw.buf = append(lw.buf, p[:end+1]...)
		out = lw.maskLines(lw.buf)
		lw.buf = lw.buf[:0]
	} else {
		out = lw.maskLines(p[:end+1])
	}
	lw.buf = append(lw.buf, p[end+1:]...)
	if _, err := lw.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// maskLines masks each line of text, which ends with a line break, and keeps
// the breaks.
func (lw *lineWriter) maskLines(text []byte) []byte {
	out := make([]byte, 0, len(text))
	for len(text) > 0 {
		i := bytes.IndexAny(text, "\r\n")
		out = append(out, lw.m.Mask(string(text[:i]))...)
		out = append(out, text[i])
		text = text[i+1:]
	}
	return out
}

func (lw *lineWriter) Close() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.closed {
		return nil
	}
	lw.closed = true
	if len(lw.buf) == 0 {
		return nil
	}
	out := lw.m.Mask(string(lw.buf))
	lw.buf = nil
	_, err := io.WriteString(lw.w, out)
	return err
}

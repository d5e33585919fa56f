package run

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/mask"
	"github.com/rehearse-dev/rehearse/emulate/progress"
	"github.com/rehearse-dev/rehearse/emulate/step"
)

// jobLog is a job's log file: every line masked and timestamped, as the
// runner's raw logs are. Safe for concurrent use.
type jobLog struct {
	mu     sync.Mutex
	f      *os.File
	w      *bufio.Writer
	masker *mask.Masker
	sink   Sink
	key    string
	name   string
	wf     string
	// tail keeps the last lines of the current step for the report.
	tail []string
}

const tailLines = 20

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

func openJobLog(path string, m *mask.Masker, sink Sink, key, name, wf string) (*jobLog, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("could not create the job log %q: %w", path, err)
	}
	return &jobLog{f: f, w: bufio.NewWriter(f), masker: m, sink: sink, key: key, name: name, wf: wf}, nil
}

// line writes one line of the current step to the log and the progress
// view. Masking happens here, at the single exit of every output.
func (l *jobLog) line(step, s string) {
	// A message of several lines (an error with a hint) is several log
	// lines: the log and the plain view stay one line per entry.
	if strings.Contains(s, "\n") {
		first, rest, _ := strings.Cut(s, "\n")
		l.line(step, first)
		l.line(step, rest)
		return
	}
	s = l.masker.Mask(s)
	now := time.Now()
	l.mu.Lock()
	fmt.Fprintf(l.w, "%s %s\n", now.UTC().Format("2006-01-02T15:04:05.0000000Z"), s)
	// The report shows the tail as text: drop the colours the runner's
	// header lines carry (the log file keeps them, as GitHub's raw log does).
	l.tail = append(l.tail, ansiEscape.ReplaceAllString(s, ""))
	if len(l.tail) > tailLines {
		l.tail = l.tail[len(l.tail)-tailLines:]
	}
	l.mu.Unlock()
	l.sink.Send(progress.Event{Kind: progress.Output, Time: now, JobKey: l.key, JobName: l.name, Workflow: l.wf, Step: step, Line: s})
}

func (l *jobLog) resetTail() {
	l.mu.Lock()
	l.tail = nil
	l.mu.Unlock()
}

func (l *jobLog) lastLines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string{}, l.tail...)
}

func (l *jobLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.w.Flush(); err != nil {
		l.f.Close()
		return err
	}
	return l.f.Close()
}

// lineSplitter turns a process's output into whole lines for handle,
// keeping a partial last line until more arrives or Close. A process's
// stdout and stderr each get one ([lineSplitter.sibling]), so that their
// lines are merged whole, as the runner reads each stream line by line: a
// line of one stream never cuts a line of the other, and the masker always
// sees whole lines.
type lineSplitter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	handle func(string)
	// lines, shared with the siblings, hands one line at a time to handle.
	lines    *sync.Mutex
	siblings []*lineSplitter
}

// sibling is a splitter for another stream of the same process: its own
// partial line, the same handle, one line at a time; Close closes it too.
func (w *lineSplitter) sibling() *lineSplitter {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lines == nil {
		w.lines = &sync.Mutex{}
	}
	s := &lineSplitter{handle: w.handle, lines: w.lines}
	w.siblings = append(w.siblings, s)
	return s
}

func (w *lineSplitter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	w.split(false)
	return len(p), nil
}

// Close flushes a last line without a line break, its siblings' too.
func (w *lineSplitter) Close() error {
	w.mu.Lock()
	siblings := w.siblings
	w.split(true)
	w.buf.Reset()
	w.mu.Unlock()
	for _, s := range siblings {
		_ = s.Close()
	}
	return nil
}

// split hands each whole line of the buffer to handle, as the runner reads
// them (step.ScanLines: LF, CRLF or a bare CR ends a line); at EOF the
// last line too.
func (w *lineSplitter) split(atEOF bool) {
	for w.buf.Len() > 0 {
		advance, token, _ := step.ScanLines(w.buf.Bytes(), atEOF)
		if advance == 0 {
			return
		}
		line := string(token)
		w.buf.Next(advance)
		if w.lines != nil {
			w.lines.Lock()
			w.handle(line)
			w.lines.Unlock()
		} else {
			w.handle(line)
		}
	}
}

var _ io.WriteCloser = (*lineSplitter)(nil)

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
	"unicode/utf8"

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
	l.tail = append(l.tail, tailLine(ansiEscape.ReplaceAllString(s, "")))
	if len(l.tail) > tailLines {
		l.tail = l.tail[len(l.tail)-tailLines:]
	}
	l.mu.Unlock()
	l.sink.Send(progress.Event{Kind: progress.Output, Time: now, JobKey: l.key, JobName: l.name, Workflow: l.wf, Step: step, Line: s})
}

// tailLine shortens a line for the report's log tail, which is read, not
// searched: the log file has the whole line.
func tailLine(s string) string {
	const most = 4 << 10
	if len(s) <= most {
		return s
	}
	n := most
	for n > most-utf8.UTFMax && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%s… (%d more bytes in the log file)", s[:n], len(s)-n)
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

// longLine is the length past which a line is written in pieces instead of
// held whole, so that a process printing a huge line without a break costs
// bounded memory. The runner has no limit; a piece this long is past any
// line a reader looks at whole.
const longLine = 1 << 20

// lineSplitter turns a process's output into whole lines for handle,
// keeping a partial last line until more arrives or Close. A process's
// stdout and stderr each get one ([lineSplitter.sibling]), so that their
// lines are merged whole, as the runner reads each stream line by line: a
// line of one stream never cuts a line of the other, and the masker always
// sees whole lines.
//
// A line longer than [longLine] is handed on in pieces, each already masked
// (with masker's look-ahead, so that no secret escapes at a cut) and
// marked as a piece: a piece is never a workflow command.
type lineSplitter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	handle func(line string, piece bool)
	masker *mask.Masker
	// searched is how much of buf is known to hold no line break, so that
	// each Write searches only new bytes and a long line costs linear time.
	searched int
	// pieced says the current line was partly handed on; head is how many
	// leading bytes of buf a secret begun in that part still covers.
	pieced bool
	head   int
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
	s := &lineSplitter{handle: w.handle, masker: w.masker, lines: w.lines}
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
	w.searched = 0
	w.mu.Unlock()
	for _, s := range siblings {
		_ = s.Close()
	}
	return nil
}

// split hands each whole line of the buffer to handle, as the runner reads
// them (step.ScanLines: LF, CRLF or a bare CR ends a line); at EOF the
// last line too. Then it hands on the head of an overlong last line.
func (w *lineSplitter) split(atEOF bool) {
	for w.buf.Len() > 0 {
		data := w.buf.Bytes()
		advance, token, _ := step.ScanLines(data[w.searched:], atEOF)
		if advance == 0 && !atEOF {
			w.searched = len(data)
			if data[len(data)-1] == '\r' {
				w.searched-- // an LF may follow
			}
			w.flushLong(false)
			return
		}
		end := len(data) // at EOF, what is left after a CR
		if advance > 0 {
			end, advance = w.searched+len(token), w.searched+advance
		} else {
			advance = len(data)
		}
		w.searched = end
		consumed := w.flushLong(true)
		w.emit(w.buf.Bytes()[:end-consumed])
		w.buf.Next(advance - consumed)
		w.searched = 0
	}
}

// emit hands on a line, or the end of a line whose head went in pieces.
func (w *lineSplitter) emit(line []byte) {
	s := string(line)
	piece := w.pieced
	if piece && w.masker != nil {
		s, _ = w.masker.MaskPiece(s, len(s), w.head)
	}
	w.pieced, w.head = false, 0
	w.deliver(s, piece)
}

// flushLong hands on pieces of [longLine] bytes of the line in the first
// w.searched bytes of the buffer, and returns how many bytes it took. Of a
// line that goes on, it keeps back enough to see whole every secret that
// begins in a piece; of a line that ended (whole), it keeps back at most
// longLine bytes for emit.
func (w *lineSplitter) flushLong(whole bool) int {
	lookahead := 0
	if w.masker != nil {
		lookahead = max(w.masker.Longest()-1, 0)
	}
	keep := longLine + lookahead
	if whole {
		keep = longLine + 1
	}
	consumed := 0
	for w.searched >= keep {
		data := w.buf.Bytes()
		n := longLine
		for n > longLine-utf8.UTFMax && !utf8.RuneStart(data[n]) {
			n-- // never cut a character in two
		}
		piece := string(data[:n])
		if w.masker != nil {
			piece, w.head = w.masker.MaskPiece(string(data[:min(n+lookahead, w.searched)]), n, w.head)
		}
		w.pieced = true
		w.deliver(piece, true)
		w.buf.Next(n)
		w.searched -= n
		consumed += n
	}
	return consumed
}

func (w *lineSplitter) deliver(s string, piece bool) {
	if w.lines != nil {
		w.lines.Lock()
		defer w.lines.Unlock()
	}
	w.handle(s, piece)
}

var _ io.WriteCloser = (*lineSplitter)(nil)

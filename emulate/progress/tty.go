package progress

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/schollz/progressbar/v3"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// Terminal control sequences the live view uses.
const (
	hideCursor = "\x1b[?25l"
	showCursor = "\x1b[?25h"
	clearEOL   = "\x1b[K" // erase from the cursor to the end of the line
	clearDown  = "\x1b[J" // erase from the cursor to the end of the screen
	dim        = "\x1b[2m"
	reset      = "\x1b[0m"
)

// tty draws a live area at the bottom of the terminal:
//
//	✓ Lint  success  12.3s                          ← permanent lines
//	Jobs  33% |████████          | (1/3)  2 running ← live area, redrawn
//	  Unit Tests (3.9)  ▸ Run pytest  (elapsed 4s)
//
// Every redraw moves the cursor back up to the top of the live area,
// prints the lines of jobs that finished since the last redraw (they
// scroll up with the terminal and stay), then the live area again, and
// erases whatever the previous, taller live area left below. The cursor
// always ends at the start of the line under the live area. This is the
// scheme of buildkit's progressui, without its per-vertex log windows:
// step output goes to log files instead.
type tty struct {
	out    *output
	width  func() int
	height func() int
	now    func() time.Time
	color  bool

	total    int             // jobs in the run: the largest Total seen, or the jobs seen
	seen     map[string]bool // every job key an event named
	ended    map[string]bool // jobs that finished
	running  []*ttyJob       // in the order they started
	pending  []string        // permanent lines not drawn yet
	live     int             // lines of the live area now on screen
	frame    string          // the live area now on screen, to skip redraws that change nothing
	finished bool            // finish was called: no live area any more

	bar              *progressbar.ProgressBar
	barMax, barCells int
}

// ttyJob is a running job's line.
type ttyJob struct {
	key, name string
	start     time.Time
	step      string
}

func newTTY(out *output, o Options) *tty {
	t := &tty{
		out:   out,
		now:   o.Now,
		color: !o.NoColor,
		seen:  map[string]bool{},
		ended: map[string]bool{},
	}
	t.width = o.Width
	if t.width == nil {
		t.width = func() int {
			w, _, _ := terminalSize(o.Out)
			return w
		}
	}
	t.height = o.Height
	if t.height == nil {
		t.height = func() int {
			_, h, _ := terminalSize(o.Out)
			return h
		}
	}
	return t
}

func (t *tty) handle(e Event) {
	if e.Kind == Notice {
		t.pending = append(t.pending, oneLine(e.Line))
		t.draw()
		return
	}
	// JobQueued carries the total and no job: it must not count as one.
	if e.JobKey != "" {
		t.seen[e.JobKey] = true
	}
	t.total = max(t.total, e.Total, len(t.seen))
	switch e.Kind {
	case JobStarted:
		t.job(e)
	case StepStarted:
		t.job(e).step = e.Step
	case JobFinished:
		if t.ended[e.JobKey] {
			return
		}
		t.ended[e.JobKey] = true
		var start time.Time
		if i := t.index(e.JobKey); i >= 0 {
			start = t.running[i].start
			t.running = slices.Delete(t.running, i, i+1)
		}
		t.pending = append(t.pending, t.finishedLine(e, start))
		if t.finished {
			t.draw()
		}
	}
}

// job returns the running job e is about, starting it if needed: a step
// may be the first event a job sends.
func (t *tty) job(e Event) *ttyJob {
	if i := t.index(e.JobKey); i >= 0 {
		return t.running[i]
	}
	name := e.JobName
	if name == "" {
		name = e.JobKey
	}
	j := &ttyJob{key: e.JobKey, name: oneLine(name), start: e.Time}
	if !t.ended[e.JobKey] {
		t.running = append(t.running, j)
	}
	return j
}

func (t *tty) index(key string) int {
	return slices.IndexFunc(t.running, func(j *ttyJob) bool { return j.key == key })
}

func (t *tty) tick()      { t.draw() }
func (t *tty) err() error { return t.out.err }

func (t *tty) finish() {
	t.finished = true
	t.draw()
}

// draw prints pending permanent lines and redraws the live area, all in
// one write so the terminal never shows half a frame.
func (t *tty) draw() {
	var lines []string
	if !t.finished {
		lines = t.liveLines()
	}
	frame := strings.Join(lines, "\n")
	if len(t.pending) == 0 && len(lines) == t.live && frame == t.frame {
		return // nothing changed since the last redraw
	}
	t.frame = frame
	var b strings.Builder
	b.WriteString(hideCursor)
	if t.live > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", t.live)
	}
	b.WriteByte('\r')
	for _, l := range t.pending {
		b.WriteString(l + clearEOL + "\n")
	}
	t.pending = t.pending[:0]
	for _, l := range lines {
		b.WriteString(l + clearEOL + "\n")
	}
	b.WriteString(clearDown + showCursor)
	t.live = len(lines)
	t.out.write([]byte(b.String()))
}

// columns is the usable width: one less than the terminal's, because
// writing into the last column makes some terminals wrap early, and then
// the cursor-up count no longer matches.
func (t *tty) columns() int {
	w := t.width()
	if w <= 0 {
		w = defaultWidth
	}
	return max(w-1, 20)
}

// liveLines is the live area: the bar, then one line per running job, as
// many as fit on the screen. The cursor cannot move above the top of the
// screen, so a live area taller than the terminal could not be redrawn.
func (t *tty) liveLines() []string {
	if t.total == 0 {
		return nil
	}
	w := t.columns()
	lines := []string{t.barLine(w)}
	h := t.height()
	if h <= 0 {
		h = defaultHeight
	}
	room := max(h-2, 1) // the bar, and the line the cursor rests on
	now := t.now()
	for i, j := range t.running {
		if i == room-1 && len(t.running) > room {
			lines = append(lines, fit("  … and "+strconv.Itoa(len(t.running)-i)+" more running", w))
			break
		}
		head := "  " + j.name
		if j.step != "" {
			head += "  ▸ " + oneLine(j.step)
		}
		tail := "  (elapsed " + elapsed(now.Sub(j.start)) + ")"
		head = fit(head, w-runewidth.StringWidth(tail))
		if t.color {
			tail = dim + tail + reset
		}
		lines = append(lines, head+tail)
	}
	return lines
}

// barLine renders the jobs bar with progressbar, which draws into a
// discarded writer: the display places the bar itself, as one line of the
// live area, instead of letting the library move the cursor.
func (t *tty) barLine(w int) string {
	var suffix string
	if n := len(t.running); n > 0 {
		suffix = "  " + strconv.Itoa(n) + " running"
	}
	// The bar gets the room the rest of the line leaves: "Jobs 100% |",
	// "| (12/12) " and the suffix, between 5 and 40 cells.
	count := "(" + strconv.Itoa(t.total) + "/" + strconv.Itoa(t.total) + ")"
	cells := min(max(w-len("Jobs 100% ||  ")-len(count)-len(suffix), 5), 40)
	if t.bar == nil || t.barMax != t.total || t.barCells != cells {
		t.bar = progressbar.NewOptions(t.total,
			progressbar.OptionSetWriter(io.Discard),
			progressbar.OptionSetWidth(cells),
			progressbar.OptionSetDescription("Jobs"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionSetElapsedTime(false),
		)
		t.barMax, t.barCells = t.total, cells
	}
	done := len(t.ended)
	// Set only fails for a bar of size 0, which total > 0 rules out, or
	// past the maximum, which min rules out.
	_ = t.bar.Set(min(done, t.total))
	return fit(strings.TrimSpace(strings.TrimLeft(t.bar.String(), "\r"))+suffix, w)
}

// finishedLine is a job's permanent line: symbol, name, conclusion and,
// for a job that ran, how long it took.
func (t *tty) finishedLine(e Event, start time.Time) string {
	name := e.JobName
	if name == "" {
		name = e.JobKey
	}
	rest := oneLine(name) + "  " + conclusionText(e.Conclusion)
	if !start.IsZero() {
		rest += "  " + report.FormatDuration(e.Time.Sub(start))
	}
	sym := e.Conclusion.Symbol()
	rest = fit(rest, t.columns()-runewidth.StringWidth(sym)-1)
	if t.color && e.Conclusion.ANSI() != "" {
		sym = e.Conclusion.ANSI() + sym + report.ANSIReset
	}
	return sym + " " + rest
}

// elapsed is a running job's time in whole seconds: tenths would change
// on every redraw and make the line flicker.
func elapsed(d time.Duration) string {
	d = max(d, 0).Truncate(time.Second)
	if d < time.Minute {
		return strconv.Itoa(int(d/time.Second)) + "s"
	}
	return report.FormatDuration(d)
}

// fit cuts s to w columns, marking the cut with an ellipsis.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return runewidth.Truncate(s, w, "…")
}

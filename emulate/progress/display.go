package progress

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a [Display]. Every field but Out has a usable zero
// value.
type Options struct {
	// Mode is how to draw; Auto picks TTY or Plain from Out.
	Mode Mode
	// Out receives the display, normally stderr so that stdout stays free
	// for --format json. Nil discards everything.
	Out io.Writer
	// Width returns the terminal's width in columns, asked at every TTY
	// redraw so a resized window is followed. Nil asks Out, or uses 80.
	Width func() int
	// Height returns the terminal's height in rows; the live area never
	// grows taller than it. Nil asks Out, or uses 24.
	Height func() int
	// Now is the clock for events sent without a time and for the elapsed
	// time of running jobs. Nil means time.Now; tests pass a fake clock.
	Now func() time.Time
	// NoColor draws the TTY view without colors (NO_COLOR, --no-color).
	NoColor bool
	// Interval is how often the TTY view is redrawn; 0 means 100ms.
	Interval time.Duration
}

const (
	defaultInterval = 100 * time.Millisecond
	defaultWidth    = 80
	defaultHeight   = 24
	// bufferSize is how many events may wait for the drawing goroutine
	// before Send blocks. A burst of output lines (a test suite failing
	// verbosely) fits; past it, Send blocks rather than drops, so Plain
	// mode never loses a line.
	bufferSize = 1024
)

// Display draws a run's events to one writer. Create it with [New], start
// [Display.Run] on its own goroutine, send events from any goroutine with
// [Display.Send], and call [Display.Close] once every job has finished.
type Display struct {
	mode     Mode
	interval time.Duration
	now      func() time.Time

	events    chan Event
	closing   chan struct{} // closed by Close: Run drains and returns
	closeOnce sync.Once
	stopped   chan struct{} // closed once the final frame is drawn; Send then draws itself
	stopOnce  sync.Once
	running   atomic.Bool
	lifeMu    sync.Mutex // guards closed, and running's start
	closed    bool
	runDone   chan struct{} // closed when Run returns

	// drawMu guards r. Run holds it for each event and redraw; after the
	// display has stopped, Send holds it to draw directly.
	drawMu sync.Mutex
	r      renderer
}

// renderer is one Mode's drawing. Its methods are called with drawMu held.
type renderer interface {
	// handle takes one event into account; Plain prints it at once.
	handle(e Event)
	// tick redraws what changes with time (the TTY live area).
	tick()
	// finish draws the last frame: the TTY live area goes away, leaving
	// the permanent lines. Events handled afterwards print directly.
	finish()
	// err is the first error writing to Out.
	err() error
}

// New returns a display for o. It draws nothing until events arrive.
func New(o Options) *Display {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Interval <= 0 {
		o.Interval = defaultInterval
	}
	d := &Display{
		mode:     o.Mode.resolve(o.Out),
		interval: o.Interval,
		now:      o.Now,
		events:   make(chan Event, bufferSize),
		closing:  make(chan struct{}),
		stopped:  make(chan struct{}),
		runDone:  make(chan struct{}),
	}
	out := &output{w: o.Out}
	switch d.mode {
	case TTY:
		d.r = newTTY(out, o)
	case Plain:
		d.r = newPlain(out)
	default:
		d.r = discard{}
	}
	return d
}

// Mode returns the mode the display draws in, with Auto resolved.
func (d *Display) Mode() Mode { return d.mode }

// Send reports an event. It is safe to call from many goroutines and
// returns as soon as the event is queued; it blocks only while the queue
// is full, which keeps every line rather than dropping some. Start Run
// before the jobs: nothing empties a full queue but Run or Close. An event
// without a Time gets the display's clock. After the display has stopped
// (Close, or Run's context ended) Send draws the event itself, so output
// of jobs that are still winding down is not lost.
func (d *Display) Send(e Event) {
	if d.mode == Quiet {
		return
	}
	if e.Time.IsZero() {
		e.Time = d.now()
	}
	select {
	case <-d.stopped:
		d.direct(e)
		return
	default:
	}
	select {
	case d.events <- e:
	case <-d.stopped:
		d.direct(e)
	}
}

// direct draws an event after the display has stopped. It first drains
// the queue: an event queued just as the display stopped must not be
// drawn after a later one.
func (d *Display) direct(e Event) {
	d.drawMu.Lock()
	defer d.drawMu.Unlock()
	d.drainLocked()
	d.r.handle(e)
}

// Run draws events until [Display.Close] is called or ctx ends, whichever
// comes first, then draws the final frame. It returns the first error
// writing to Out, or ctx's cause when ctx ended. Run is the only goroutine
// that draws while the display runs; call it once.
func (d *Display) Run(ctx context.Context) error {
	// lifeMu orders Run's start against Close: a Run that starts after
	// Close must not take events from the queue that Close is draining.
	d.lifeMu.Lock()
	if d.closed {
		// Close drew everything already; report what it met.
		again := !d.running.CompareAndSwap(false, true)
		d.lifeMu.Unlock()
		if again {
			return errors.New("progress display is already running")
		}
		close(d.runDone) // a later Close must not wait for this Run
		return d.err()
	}
	if !d.running.CompareAndSwap(false, true) {
		d.lifeMu.Unlock()
		return errors.New("progress display is already running")
	}
	d.lifeMu.Unlock()
	defer close(d.runDone)
	var tick <-chan time.Time
	if d.mode == TTY {
		t := time.NewTicker(d.interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			d.stop()
			return context.Cause(ctx)
		case <-d.closing:
			// select picks at random among ready cases: draw what is still
			// queued before stopping, or late lines would come after the
			// final ones.
			d.drawQueued()
			d.stop()
			return d.err()
		case <-tick:
			d.drawMu.Lock()
			d.r.tick()
			d.drawMu.Unlock()
		case e := <-d.events:
			d.drawMu.Lock()
			d.r.handle(e)
			d.drawMu.Unlock()
		}
	}
}

// Close draws every event still queued and the final frame, and returns
// once Run has returned. Call it after the last job finished and before
// printing the report, so the report does not land inside the live area.
// Close may be called without Run (for example when the run failed to
// start) and more than once.
func (d *Display) Close() {
	d.lifeMu.Lock()
	d.closed = true
	running := d.running.Load()
	d.lifeMu.Unlock()
	d.closeOnce.Do(func() { close(d.closing) })
	if running {
		<-d.runDone
	}
	d.stop()
	// A Send that raced with stopping may have queued an event after the
	// final drain; draw it now rather than leave it in the channel.
	d.drawMu.Lock()
	d.drainLocked()
	d.drawMu.Unlock()
}

// stop drains the queue and draws the final frame, once. stopped is closed
// while drawMu is held, so a Send that sees it waits for the drain before
// drawing its own event.
func (d *Display) stop() {
	d.stopOnce.Do(func() {
		d.drawMu.Lock()
		defer d.drawMu.Unlock()
		close(d.stopped)
		d.drainLocked()
		d.r.finish()
	})
}

// drainLocked handles every queued event; drawMu must be held.
func (d *Display) drainLocked() {
	for {
		select {
		case e := <-d.events:
			d.r.handle(e)
		default:
			return
		}
	}
}

func (d *Display) err() error {
	d.drawMu.Lock()
	defer d.drawMu.Unlock()
	return d.r.err()
}

// discard is Quiet mode's renderer.
type discard struct{}

func (discard) handle(Event) {}
func (discard) tick()        {}
func (discard) finish()      {}
func (discard) err() error   { return nil }

// drawQueued draws the events already in the queue, without waiting.
func (d *Display) drawQueued() {
	for {
		select {
		case e := <-d.events:
			d.drawMu.Lock()
			d.r.handle(e)
			d.drawMu.Unlock()
		default:
			return
		}
	}
}

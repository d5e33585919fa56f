package progress

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// Mode is how a [Display] draws a run.
type Mode int

// Modes, as named by the --progress flag.
const (
	// Auto picks TTY when Out is a terminal that can move its cursor and
	// Plain otherwise.
	Auto Mode = iota
	// TTY redraws a live view of the running jobs in place.
	TTY
	// Plain prints prefixed lines and never an escape sequence.
	Plain
	// Quiet prints nothing.
	Quiet
)

var modeNames = [...]string{Auto: "auto", TTY: "tty", Plain: "plain", Quiet: "quiet"}

// String returns the mode's flag name.
func (m Mode) String() string {
	if m >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode reads a --progress flag value.
func ParseMode(s string) (Mode, error) {
	for m, name := range modeNames {
		if s == name {
			return Mode(m), nil
		}
	}
	return Auto, fmt.Errorf("unknown progress mode %q (expected: auto, tty, plain or quiet)", s)
}

// resolve turns Auto into the mode for out.
func (m Mode) resolve(out io.Writer) Mode {
	if m != Auto {
		return m
	}
	// A dumb terminal (Emacs' compilation buffer, some CI consoles) is a
	// terminal that cannot move its cursor: the live view would smear.
	if _, ok := terminalFd(out); ok && os.Getenv("TERM") != "dumb" {
		return TTY
	}
	return Plain
}

// terminalFd returns out's file descriptor when out is a terminal.
func terminalFd(out io.Writer) (int, bool) {
	f, ok := out.(interface{ Fd() uintptr })
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// terminalSize asks out for its size; ok is false when out is not a
// terminal or does not say.
func terminalSize(out io.Writer) (width, height int, ok bool) {
	fd, isTerm := terminalFd(out)
	if !isTerm {
		return 0, 0, false
	}
	w, h, err := term.GetSize(fd)
	return w, h, err == nil && w > 0 && h > 0
}

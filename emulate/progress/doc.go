// Package progress draws a run while it happens.
//
// Jobs run on many goroutines; each reports [Event]s with [Display.Send],
// which only puts the event on a buffered channel. One goroutine,
// [Display.Run], takes events off the channel and draws them, so nothing
// that writes to the terminal runs concurrently and a job never waits on
// the terminal unless the buffer is full:
//
//	job goroutines ──Send──▶ chan Event ──▶ Run ──▶ renderer ──▶ Out (stderr)
//	                                         ▲
//	                                 ticker (TTY redraw)
//
// The [Mode] decides the renderer:
//
//   - TTY: a live area at the bottom of the terminal, redrawn on a ticker:
//     a progress bar of finished jobs and one line per running job with its
//     current step and elapsed time. A job that finishes gets one
//     permanent line above the live area. Step output is not shown; it goes
//     to the log files, and the report prints a failed job's last lines.
//   - Plain: every line of output prefixed with `[Job Name] `, plus lines
//     for jobs and steps starting and finishing; no escape sequences, whole
//     lines only. For pipes, CI logs and editor tasks.
//   - Quiet: nothing.
//   - Auto: TTY when the output is a terminal, Plain otherwise, as
//     buildkit's progressui does.
//
// Lines arrive already masked: the display never sees a secret.
package progress

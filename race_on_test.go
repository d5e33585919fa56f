//go:build race

package main

// raceEnabled: the integration tests build the binary with -race too when
// they run under -race (make test), so the scheduler's goroutines are
// checked in the real program.
const raceEnabled = true

//go:build !linux

package agent

import (
	"fmt"
	"io"
)

// Main refuses to run: the agent runs only inside a job's Linux container,
// where rehearse mounts a Linux build of itself.
func Main(_ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "rehearse: the container agent runs only inside a Linux job container")
	return 2
}

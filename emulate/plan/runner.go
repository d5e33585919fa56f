package plan

import (
	"fmt"
	"runtime"
	"strings"
)

// Placement is where a runs-on target runs on this machine.
type Placement struct {
	// Runner is "host" (or a future executor target); empty when the cell
	// cannot run here.
	Runner string
	// Reason explains a cell that does not run here, or the mapping used.
	Reason string
}

// HostOS is GitHub's runner.os name of this machine.
func HostOS() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	}
	return "Linux"
}

// labelOS tells which OS a GitHub-hosted or self-hosted runner label asks
// for; "" when the label says nothing about it (self-hosted, x64, a custom
// label), which runs here.
func labelOS(label string) string {
	l := strings.ToLower(label)
	switch {
	case strings.HasPrefix(l, "ubuntu-") || l == "linux":
		return "Linux"
	case strings.HasPrefix(l, "windows-") || l == "windows":
		return "Windows"
	case strings.HasPrefix(l, "macos-") || l == "macos":
		return "macOS"
	}
	return ""
}

// Place decides where a cell with these runs-on labels runs. platforms maps
// labels to targets given with -P LABEL=TARGET; "host" runs on this machine.
func Place(labels []string, platforms map[string]string) Placement {
	for _, l := range labels {
		if t, ok := platforms[strings.ToLower(l)]; ok {
			return Placement{Runner: t, Reason: fmt.Sprintf("%s mapped to %s with -P", l, t)}
		}
	}
	if len(labels) == 0 {
		return Placement{Reason: "runs-on is empty"}
	}
	me := HostOS()
	for _, l := range labels {
		if os := labelOS(l); os != "" && os != me {
			return Placement{Reason: fmt.Sprintf("%s runner: this machine runs %s (try it here with -P %s=host)", l, me, l)}
		}
	}
	return Placement{Runner: "host"}
}

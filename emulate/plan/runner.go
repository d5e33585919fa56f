package plan

import (
	"fmt"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
)

// The runners a cell can be placed on.
const (
	RunnerHost      = "host"
	RunnerContainer = "container"
)

// Placement is where a runs-on target runs on this machine.
type Placement struct {
	// Runner is RunnerHost or RunnerContainer; empty when the cell cannot
	// run here.
	Runner string
	// Image is the image a container cell runs in.
	Image string
	// Reason explains a cell that does not run here, or the mapping used.
	Reason string
}

// Placing is what placement depends on besides the labels: the executor
// chosen for the run and the label mappings (-P and the config file).
type Placing struct {
	// Executor is RunnerHost or RunnerContainer: where cells of this
	// machine's OS run unless a label says otherwise.
	Executor string
	// Platforms maps lowercased runs-on labels to targets: "host" (or act's
	// "-self-hosted") keeps the label on this machine; anything else is an
	// image reference for the container executor.
	Platforms map[string]string
	// DefaultImages maps lowercased labels (ubuntu-latest, ubuntu-24.04)
	// to the image the container executor gives them; "ubuntu-latest" is
	// also the image of labels that have none.
	DefaultImages map[string]string
}

// HostOS is GitHub's runner.os name of this machine.
func HostOS() string { return executor.HostPlatform().OS }

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

// IsHostTarget reports whether a -P target keeps its label on this machine:
// "host", or act's "-self-hosted".
func IsHostTarget(target string) bool {
	return strings.EqualFold(target, "host") || target == "-self-hosted"
}

// Place decides where a cell with these runs-on labels runs.
func Place(labels []string, p Placing) Placement {
	for _, l := range labels {
		t, ok := p.Platforms[strings.ToLower(l)]
		if !ok {
			continue
		}
		if IsHostTarget(t) {
			return Placement{Runner: RunnerHost, Reason: fmt.Sprintf("%s mapped to host with -P", l)}
		}
		if p.Executor != RunnerContainer {
			return Placement{Runner: RunnerHost, Reason: fmt.Sprintf("%s is mapped to the image %s, which only the container executor uses (--executor container); it runs on this machine", l, t)}
		}
		return Placement{Runner: RunnerContainer, Image: t, Reason: fmt.Sprintf("%s mapped to %s", l, t)}
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
	if p.Executor != RunnerContainer {
		return Placement{Runner: RunnerHost}
	}
	for _, l := range labels {
		if img, ok := p.DefaultImages[strings.ToLower(l)]; ok {
			return Placement{Runner: RunnerContainer, Image: img}
		}
	}
	img, ok := p.DefaultImages["ubuntu-latest"]
	if !ok {
		return Placement{Runner: RunnerHost, Reason: "no image for these labels: it runs on this machine"}
	}
	return Placement{Runner: RunnerContainer, Image: img,
		Reason: fmt.Sprintf("no image for runs-on %s: it runs in ubuntu-latest's image (map it with -P %s=IMAGE, or -P %s=host)", strings.Join(labels, ", "), labels[0], labels[0])}
}

package plan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/plan"
)

func TestPlace(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	notHere := func(label string) plan.Placement {
		return plan.Placement{Reason: label + " runner: this machine runs Linux (try it here with -P " + label + "=host)"}
	}
	host := plan.Placement{Runner: "host"}
	tests := []struct {
		what      string
		labels    []string
		platforms map[string]string
		want      plan.Placement
		// container places with the container executor and defaultImages.
		container bool
	}{
		{"ubuntu-latest", []string{"ubuntu-latest"}, nil, host, false},
		{"pinned ubuntu version", []string{"ubuntu-22.04"}, nil, host, false},
		{"ubuntu ARM runner", []string{"ubuntu-24.04-arm"}, nil, host, false},
		{"labels are case-insensitive", []string{"Ubuntu-Latest"}, nil, host, false},
		{"windows", []string{"windows-latest"}, nil, notHere("windows-latest"), false},
		{"windows in another case", []string{"Windows-2022"}, nil, notHere("Windows-2022"), false},
		{"macos", []string{"macos-14"}, nil, notHere("macos-14"), false},
		{"macos larger runner", []string{"macos-latest-xlarge"}, nil, notHere("macos-latest-xlarge"), false},
		{"self-hosted", []string{"self-hosted"}, nil, host, false},
		{"self-hosted linux x64", []string{"self-hosted", "linux", "x64"}, nil, host, false},
		{"self-hosted windows", []string{"self-hosted", "windows", "x64"}, nil, notHere("windows"), false},
		{"self-hosted macOS", []string{"self-hosted", "macOS", "ARM64"}, nil, notHere("macOS"), false},
		{"custom label", []string{"gpu-runner"}, nil, host, false},
		{"label that only starts like an OS", []string{"windowsish"}, nil, host, false},
		{"empty runs-on", []string{}, nil, plan.Placement{Reason: "runs-on is empty"}, false},
		{"nil runs-on", nil, nil, plan.Placement{Reason: "runs-on is empty"}, false},
		{
			"-P maps windows to the host",
			[]string{"windows-latest"},
			map[string]string{"windows-latest": "host"},
			plan.Placement{Runner: "host", Reason: "windows-latest mapped to host with -P"}, false,
		},
		{
			// Options.Platforms holds lowercased labels; the workflow's
			// spelling is matched against them ignoring case.
			"-P matches a label in any case",
			[]string{"MacOS-Latest"},
			map[string]string{"macos-latest": "host"},
			plan.Placement{Runner: "host", Reason: "MacOS-Latest mapped to host with -P"}, false,
		},
		{
			"-P on one of several labels",
			[]string{"self-hosted", "windows", "gpu"},
			map[string]string{"gpu": "host"},
			plan.Placement{Runner: "host", Reason: "gpu mapped to host with -P"}, false,
		},
		{
			"-P for the first mapped label wins",
			[]string{"a", "b"},
			map[string]string{"b": "host", "a": "docker-image://x"},
			plan.Placement{Runner: "container", Image: "docker-image://x", Reason: "a mapped to docker-image://x"}, true,
		},
		{
			"act's -self-hosted is host",
			[]string{"ubuntu-latest"},
			map[string]string{"ubuntu-latest": "-self-hosted"},
			plan.Placement{Runner: "host", Reason: "ubuntu-latest mapped to host with -P"}, true,
		},
		{
			"an image mapping on the host executor runs on the host",
			[]string{"ubuntu-latest"},
			map[string]string{"ubuntu-latest": "docker-image://x"},
			plan.Placement{Runner: "host", Reason: "ubuntu-latest is mapped to the image docker-image://x, which only the container executor uses (--executor container); it runs on this machine"}, false,
		},
		{"container executor: the label's default image", []string{"ubuntu-22.04"}, nil, plan.Placement{Runner: "container", Image: "img22"}, true},
		{"container executor: labels are case-insensitive", []string{"Ubuntu-Latest"}, nil, plan.Placement{Runner: "container", Image: "img24"}, true},
		{
			"container executor: a label without an image gets ubuntu-latest's, with a note",
			[]string{"self-hosted", "gpu"}, nil,
			plan.Placement{Runner: "container", Image: "img24", Reason: "no image for runs-on self-hosted, gpu: it runs in ubuntu-latest's image (map it with -P self-hosted=IMAGE, or -P self-hosted=host)"}, true,
		},
		{"container executor: windows still needs another OS", []string{"windows-latest"}, nil, notHere("windows-latest"), true},
		{
			"-P for another label leaves the placement alone",
			[]string{"windows-latest"},
			map[string]string{"ubuntu-latest": "host"},
			notHere("windows-latest"), false,
		},
		{
			"-P even for empty runs-on does not apply",
			[]string{},
			map[string]string{"": "host"},
			plan.Placement{Reason: "runs-on is empty"}, false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p := plan.Placing{Executor: plan.RunnerHost, Platforms: tc.platforms}
			if tc.container {
				p.Executor = plan.RunnerContainer
				p.DefaultImages = map[string]string{"ubuntu-latest": "img24", "ubuntu-22.04": "img22"}
			}
			if diff := cmp.Diff(tc.want, plan.Place(tc.labels, p)); diff != "" {
				t.Errorf("Place(%q, %v) (-want +got):\n%s", tc.labels, tc.platforms, diff)
			}
		})
	}
}

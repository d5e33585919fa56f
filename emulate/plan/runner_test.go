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
	}{
		{"ubuntu-latest", []string{"ubuntu-latest"}, nil, host},
		{"pinned ubuntu version", []string{"ubuntu-22.04"}, nil, host},
		{"ubuntu ARM runner", []string{"ubuntu-24.04-arm"}, nil, host},
		{"labels are case-insensitive", []string{"Ubuntu-Latest"}, nil, host},
		{"windows", []string{"windows-latest"}, nil, notHere("windows-latest")},
		{"windows in another case", []string{"Windows-2022"}, nil, notHere("Windows-2022")},
		{"macos", []string{"macos-14"}, nil, notHere("macos-14")},
		{"macos larger runner", []string{"macos-latest-xlarge"}, nil, notHere("macos-latest-xlarge")},
		{"self-hosted", []string{"self-hosted"}, nil, host},
		{"self-hosted linux x64", []string{"self-hosted", "linux", "x64"}, nil, host},
		{"self-hosted windows", []string{"self-hosted", "windows", "x64"}, nil, notHere("windows")},
		{"self-hosted macOS", []string{"self-hosted", "macOS", "ARM64"}, nil, notHere("macOS")},
		{"custom label", []string{"gpu-runner"}, nil, host},
		{"label that only starts like an OS", []string{"windowsish"}, nil, host},
		{"empty runs-on", []string{}, nil, plan.Placement{Reason: "runs-on is empty"}},
		{"nil runs-on", nil, nil, plan.Placement{Reason: "runs-on is empty"}},
		{
			"-P maps windows to the host",
			[]string{"windows-latest"},
			map[string]string{"windows-latest": "host"},
			plan.Placement{Runner: "host", Reason: "windows-latest mapped to host with -P"},
		},
		{
			// Options.Platforms holds lowercased labels; the workflow's
			// spelling is matched against them ignoring case.
			"-P matches a label in any case",
			[]string{"MacOS-Latest"},
			map[string]string{"macos-latest": "host"},
			plan.Placement{Runner: "host", Reason: "MacOS-Latest mapped to host with -P"},
		},
		{
			"-P on one of several labels",
			[]string{"self-hosted", "windows", "gpu"},
			map[string]string{"gpu": "host"},
			plan.Placement{Runner: "host", Reason: "gpu mapped to host with -P"},
		},
		{
			"-P for the first mapped label wins",
			[]string{"a", "b"},
			map[string]string{"b": "host", "a": "other"},
			plan.Placement{Runner: "other", Reason: "a mapped to other with -P"},
		},
		{
			"-P for another label leaves the placement alone",
			[]string{"windows-latest"},
			map[string]string{"ubuntu-latest": "host"},
			notHere("windows-latest"),
		},
		{
			"-P even for empty runs-on does not apply",
			[]string{},
			map[string]string{"": "host"},
			plan.Placement{Reason: "runs-on is empty"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, plan.Place(tc.labels, tc.platforms)); diff != "" {
				t.Errorf("Place(%q, %v) (-want +got):\n%s", tc.labels, tc.platforms, diff)
			}
		})
	}
}

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// TestBuilderList: `builder ls` shows the test daemon (version, platforms,
// capacity, running jobs as unknown, disk use, caches, images) and a
// builder that is down as unreachable with the reason, without failing.
func TestBuilderList(t *testing.T) {
	addr := buildkittest.Addr(t)
	down := "unix://" + filepath.Join(t.TempDir(), "none.sock")
	code, out, errOut := runBuilder(t, "ls", "--builder", addr+",jobs=3", "--builder", down)
	if code != ExitSuccess {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		addr + ": reachable",
		"buildkit:  v0.",
		"platforms: linux/",
		"capacity:  3 job cells at once (jobs=3)",
		"running:   unknown",
		"disk use:  ",
		down + ": unreachable: dial unix ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("builder ls does not say %q:\n%s", want, out)
		}
	}
	code, out, errOut = runBuilder(t, "ls", "--builder", addr, "--builder", down, "--format", "json")
	if code != ExitSuccess {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var list []builderEntry
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(list) != 2 {
		t.Fatalf("%d builders, want 2:\n%s", len(list), out)
	}
	up, gone := list[0], list[1]
	if !up.Reachable || up.Version == "" || len(up.Platforms) == 0 || up.Capacity < 1 || up.RunningJobs != nil || up.Disk.Records == 0 {
		t.Errorf("reachable builder: %+v", up)
	}
	for _, i := range up.Images {
		if !strings.HasPrefix(i.Digest, "sha256:") || !strings.Contains(i.Ref, "@"+i.Digest) {
			t.Errorf("image %+v: want a reference with its digest", i)
		}
	}
	if gone.Reachable || gone.Name != down || !strings.Contains(gone.Reason, "no such file or directory") {
		t.Errorf("builder that is down: %+v", gone)
	}
	code, _, errOut = runBuilder(t, "ls", "--builder", "b.sock")
	if code != ExitInvalid || !strings.Contains(errOut, `--builder: builder address "b.sock"`) {
		t.Errorf("malformed address: exit %d, %s", code, errOut)
	}
}

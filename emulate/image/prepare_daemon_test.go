package image

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
)

// listing prints every path of the image but /proc, /sys and /dev with
// type and mode, owner, size and mtime: comparing two listings shows what
// a layer changed.
const listing = `find / -xdev \( -path /proc -o -path /sys -o -path /dev \) -prune -o -printf '%p %M %U:%G %s %T@\n' | sort`

// runtimeStubs are made by the container that runs the listing, not by
// the image.
var runtimeStubs = map[string]bool{"/etc/hosts": true, "/etc/resolv.conf": true}

// listPaths parses a listing; a directory's mtime is dropped (adding an
// entry changes it, and so does the container's own mount stubs).
func listPaths(out string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		p, rest, _ := strings.Cut(l, " ")
		if runtimeStubs[p] {
			continue
		}
		if strings.HasPrefix(rest, "d") {
			rest = rest[:strings.LastIndex(rest, " ")]
		}
		m[p] = rest
	}
	return m
}

// diffPaths lists the paths added and changed from before to after, and
// the removed ones.
func diffPaths(before, after map[string]string) (added, changed, removed []string) {
	for p, a := range after {
		if b, ok := before[p]; !ok {
			added = append(added, p)
		} else if a != b {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			removed = append(removed, p)
		}
	}
	sort.Strings(added)
	sort.Strings(changed)
	sort.Strings(removed)
	return added, changed, removed
}

// TestPrepareInDaemon prepares the imported Debian image through the
// daemon: with useradd, without it, twice, and on an image whose uid 1001
// is taken.
func TestPrepareInDaemon(t *testing.T) {
	c := newClient(t, daemonAddr(t))
	img := importedBookworm(t)
	base, err := Load(img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	with := func(st llb.State) *Source {
		s := *base
		s.State = st
		return &s
	}
	run := func(src *Source, user, script string) string {
		t.Helper()
		res, err := runInImage(t.Context(), c, src, []string{"/bin/sh", "-c", script}, user, nil)
		if err != nil {
			t.Fatal(PrepareError(err))
		}
		return res.Output
	}
	setup := func(script string) llb.State {
		return base.State.Run(llb.Args([]string{"/bin/sh", "-c", script}), llb.Network(llb.NetModeNone)).Root()
	}
	prepared := with(Prepare(base.State))
	preparedList := listPaths(run(prepared, "", listing))

	t.Run("only the runner user, sudo and directories are added", func(t *testing.T) {
		added, changed, removed := diffPaths(listPaths(run(base, "", listing)), preparedList)
		wantAdded := []string{
			"/etc/gshadow-", "/etc/shadow-", "/etc/subgid-", "/etc/subuid-", // useradd's backups
			"/etc/sudoers.d/runner",
			"/home/runner", "/home/runner/.bash_logout", "/home/runner/.bashrc", "/home/runner/.cache",
			"/home/runner/.cache/pip", "/home/runner/.profile", "/home/runner/work", "/opt/hostedtoolcache",
		}
		wantChanged := []string{
			"/etc/group", "/etc/group-", "/etc/gshadow", "/etc/passwd", "/etc/passwd-", "/etc/shadow",
			"/etc/subgid", "/etc/subuid", // useradd gives runner a subordinate id range
		}
		if d := cmp.Diff(wantAdded, added); d != "" {
			t.Errorf("added paths (-want +got):\n%s", d)
		}
		if d := cmp.Diff(wantChanged, changed); d != "" {
			t.Errorf("changed paths (-want +got):\n%s", d)
		}
		if len(removed) > 0 {
			t.Errorf("removed paths: %q", removed)
		}
		for p, want := range map[string]string{
			"/home/runner":            "drwxr-x--- 1001:1001",
			"/home/runner/work":       "drwxr-xr-x 1001:1001",
			"/home/runner/.cache/pip": "drwxr-xr-x 1001:1001",
			"/opt/hostedtoolcache":    "drwxr-xr-x 1001:1001",
			"/etc/sudoers.d/runner":   "-r--r----- 0:0",
		} {
			if !strings.HasPrefix(preparedList[p], want) {
				t.Errorf("%s is %q, want %q", p, preparedList[p], want)
			}
		}
	})

	t.Run("runner can work and sudo", func(t *testing.T) {
		out := run(prepared, "runner", `id; getent passwd runner; sudo -n id -u; echo $0;
			touch /home/runner/work/x /home/runner/.cache/pip/x /opt/hostedtoolcache/x && echo writable`)
		want := "uid=1001(runner) gid=1001(runner) groups=1001(runner)\n" +
			"runner:x:1001:1001::/home/runner:/bin/bash\n0\n/bin/sh\nwritable\n"
		if d := cmp.Diff(want, out); d != "" {
			t.Errorf("as runner (-want +got):\n%s", d)
		}
	})

	t.Run("preparing twice changes nothing", func(t *testing.T) {
		twice := listPaths(run(with(Prepare(prepared.State)), "", listing))
		if added, changed, removed := diffPaths(preparedList, twice); len(added)+len(changed)+len(removed) > 0 {
			t.Errorf("second preparation: added %q, changed %q, removed %q", added, changed, removed)
		}
	})

	t.Run("without useradd", func(t *testing.T) {
		noTools := setup("rm /usr/sbin/useradd /usr/sbin/groupadd")
		out := run(with(Prepare(noTools)), "", "grep -h '^runner:' /etc/passwd /etc/group /etc/shadow /etc/gshadow; cat /etc/sudoers.d/runner; stat -c '%a %u:%g' /home/runner /home/runner/.bashrc")
		want := "runner:x:1001:1001::/home/runner:/bin/bash\nrunner:x:1001:\nrunner:!::0:99999:7:::\nrunner:!::\n" +
			"runner ALL=(ALL) NOPASSWD:ALL\n750 1001:1001\n644 1001:1001\n"
		if d := cmp.Diff(want, out); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})

	t.Run("uid 1001 taken", func(t *testing.T) {
		taken := with(Prepare(setup("useradd --uid 1001 --no-log-init alice")))
		err := solveOnly(t.Context(), c, taken)
		var exit *gatewaypb.ExitError
		if !errors.As(err, &exit) || exit.ExitCode != exitUIDTaken {
			t.Fatalf("solve = %v; want exit status %d", err, exitUIDTaken)
		}
		if msg := PrepareError(err).Error(); !strings.Contains(msg, "uid 1001 belongs to another user") {
			t.Errorf("PrepareError = %q", msg)
		}
	})
}

package image

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/pb"
)

// fakeRoot is a file tree for running prepare.sh on this machine with
// $REHEARSE_PREPARE_ROOT: the path of editing /etc files directly.
type fakeRoot map[string]string

func (f fakeRoot) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range f {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.Contains(p, "bin/") {
			mode = 0o755
		}
		if err := os.WriteFile(full, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// snapshot describes every path under dir: type, mode, owner, contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		desc := fmt.Sprintf("%v %d:%d", info.Mode(), st.Uid, st.Gid)
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += " " + string(data)
		}
		out[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runPrepareScript runs prepare.sh on a fake root and returns its exit
// status and stderr.
func runPrepareScript(t *testing.T, root string) (int, string) {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", prepareScript)
	cmd.Env = append(os.Environ(), "REHEARSE_PREPARE_ROOT="+root)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

const (
	debPasswd  = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
	debGroup   = "root:x:0:\nsudo:x:27:\nnogroup:x:65534:\n"
	debShadow  = "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n"
	debGShadow = "root:*::\nsudo:*::\nnogroup:*::\n"
)

func debianLike() fakeRoot {
	return fakeRoot{
		"etc/passwd": debPasswd, "etc/group": debGroup, "etc/shadow": debShadow, "etc/gshadow": debGShadow,
		"etc/skel/.bashrc": "# bashrc\n", "bin/bash": "", "usr/bin/sudo": "", "home/.keep": "",
	}
}

func TestPrepareScript(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("prepare.sh gives directories to uid 1001: needs root")
	}
	runnerDirs := func(home os.FileMode, skel bool) map[string]string {
		m := map[string]string{
			"home/runner":            fmt.Sprintf("%v 1001:1001", os.ModeDir|home),
			"home/runner/work":       "drwxr-xr-x 1001:1001",
			"home/runner/.cache":     "drwxr-xr-x 1001:1001",
			"home/runner/.cache/pip": "drwxr-xr-x 1001:1001",
			"opt/hostedtoolcache":    "drwxr-xr-x 1001:1001",
		}
		if skel {
			m["home/runner/.bashrc"] = "-rw-r--r-- 1001:1001 # bashrc\n"
		}
		return m
	}
	tests := []struct {
		what     string
		root     fakeRoot
		wantExit int
		// changed is what the script must have added or changed: every
		// other path must be as it was.
		changed map[string]string
		stderr  string
	}{
		{
			what: "debian-like image without useradd",
			root: debianLike(),
			changed: merge(runnerDirs(0o750, true), map[string]string{
				"etc/passwd":           "-rw-r--r-- 0:0 " + debPasswd + "runner:x:1001:1001::/home/runner:/bin/bash\n",
				"etc/group":            "-rw-r--r-- 0:0 " + debGroup + "runner:x:1001:\n",
				"etc/shadow":           "-rw-r--r-- 0:0 " + debShadow + "runner:!::0:99999:7:::\n",
				"etc/gshadow":          "-rw-r--r-- 0:0 " + debGShadow + "runner:!::\n",
				"etc/sudoers.d":        "drwxr-xr-x 0:0",
				"etc/sudoers.d/runner": "-r--r----- 0:0 runner ALL=(ALL) NOPASSWD:ALL\n",
				"opt":                  "drwxr-xr-x 0:0",
			}),
			stderr: "no useradd in the image",
		},
		{
			what: "files without a final newline",
			root: fakeRoot{"etc/passwd": "root:x:0:0::/root:/bin/sh", "etc/group": "root:x:0:", "bin/bash": ""},
			changed: merge(runnerDirs(0o750, false), map[string]string{
				"etc/passwd": "-rw-r--r-- 0:0 root:x:0:0::/root:/bin/sh\nrunner:x:1001:1001::/home/runner:/bin/bash\n",
				"etc/group":  "-rw-r--r-- 0:0 root:x:0:\nrunner:x:1001:\n",
				"home":       "drwxr-xr-x 0:0",
				"opt":        "drwxr-xr-x 0:0",
			}),
		},
		{
			what: "minimal image: no shadow, bash, sudo, skel",
			root: fakeRoot{"etc/passwd": "root:x:0:0::/root:/bin/sh\n", "etc/group": "root:x:0:\n"},
			changed: merge(runnerDirs(0o750, false), map[string]string{
				"etc/passwd": "-rw-r--r-- 0:0 root:x:0:0::/root:/bin/sh\nrunner:x:1001:1001::/home/runner:/bin/sh\n",
				"etc/group":  "-rw-r--r-- 0:0 root:x:0:\nrunner:x:1001:\n",
				"home":       "drwxr-xr-x 0:0",
				"opt":        "drwxr-xr-x 0:0",
			}),
			stderr: "bash is not in the image",
		},
		{
			what: "group runner with gid 1001 is reused",
			root: fakeRoot{"etc/passwd": "root:x:0:0::/root:/bin/sh\n", "etc/group": "root:x:0:\nrunner:x:1001:\n", "bin/bash": ""},
			changed: merge(runnerDirs(0o750, false), map[string]string{
				"etc/passwd": "-rw-r--r-- 0:0 root:x:0:0::/root:/bin/sh\nrunner:x:1001:1001::/home/runner:/bin/bash\n",
				"home":       "drwxr-xr-x 0:0",
				"opt":        "drwxr-xr-x 0:0",
			}),
		},
		{
			what: "runner already uid 1001: user, group and sudoers left alone, missing directories made",
			root: fakeRoot{
				"etc/passwd": "root:x:0:0::/root:/bin/sh\nrunner:x:1001:1001::/home/runner:/bin/zsh\n",
				"etc/group":  "root:x:0:\n", "usr/bin/sudo": "", "home/runner/.profile": "# mine\n",
			},
			changed: map[string]string{
				"home/runner/work":       "drwxr-xr-x 1001:1001",
				"home/runner/.cache":     "drwxr-xr-x 1001:1001",
				"home/runner/.cache/pip": "drwxr-xr-x 1001:1001",
				"opt":                    "drwxr-xr-x 0:0",
				"opt/hostedtoolcache":    "drwxr-xr-x 1001:1001",
			},
			stderr: "already in the image: left as it is",
		},
		{
			what:     "uid 1001 is another user",
			root:     fakeRoot{"etc/passwd": "root:x:0:0::/root:/bin/sh\nalice:x:1001:1001::/home/alice:/bin/sh\n", "etc/group": "root:x:0:\n"},
			wantExit: exitUIDTaken,
			stderr:   "uid 1001 is user alice in this image",
		},
		{
			what:     "runner with another uid",
			root:     fakeRoot{"etc/passwd": "root:x:0:0::/root:/bin/sh\nrunner:x:1000:1000::/home/runner:/bin/sh\n", "etc/group": "root:x:0:\n"},
			wantExit: exitNameOtherU,
			stderr:   "user runner with uid 1000",
		},
		{
			what:     "gid 1001 is another group",
			root:     fakeRoot{"etc/passwd": "root:x:0:0::/root:/bin/sh\n", "etc/group": "root:x:0:\nstaff2:x:1001:\n"},
			wantExit: exitGIDTaken,
			stderr:   "gid 1001 is group staff2",
		},
		{
			what:     "group runner with another gid",
			root:     fakeRoot{"etc/passwd": "root:x:0:0::/root:/bin/sh\n", "etc/group": "root:x:0:\nrunner:x:1002:\n"},
			wantExit: exitNameOtherG,
			stderr:   "group runner with gid 1002",
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := tc.root.write(t)
			before := snapshot(t, dir)
			code, stderr := runPrepareScript(t, dir)
			if code != tc.wantExit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.wantExit, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q does not say %q", stderr, tc.stderr)
			}
			want := merge(before, tc.changed)
			want["."] = before["."]
			if d := cmp.Diff(want, snapshot(t, dir)); d != "" {
				t.Errorf("tree after prepare.sh (-want +got):\n%s", d)
			}
			if code != 0 {
				return
			}
			after := snapshot(t, dir)
			if code, stderr := runPrepareScript(t, dir); code != 0 {
				t.Fatalf("second run: exit %d: %s", code, stderr)
			}
			if d := cmp.Diff(after, snapshot(t, dir)); d != "" {
				t.Errorf("a second run changed the tree (-first +second):\n%s", d)
			}
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestPrepareLLB(t *testing.T) {
	t.Parallel()
	chain := rootChain(t, Prepare(llb.Image("docker.io/library/debian:12")))
	if len(chain) != 2 {
		t.Fatalf("%d ops on the root; want the image and one prepare layer", len(chain))
	}
	exec := chain[1].GetExec()
	meta := exec.GetMeta()
	if d := cmp.Diff([]string{"/bin/sh", prepareMount + "/prepare.sh"}, meta.GetArgs()); d != "" {
		t.Errorf("args (-want +got):\n%s", d)
	}
	if meta.GetUser() != "0:0" || exec.GetNetwork() != pb.NetMode_NONE {
		t.Errorf("user %q network %v; want root with no network", meta.GetUser(), exec.GetNetwork())
	}
	if m := mountAt(exec, prepareMount); m == nil || !m.GetReadonly() {
		t.Errorf("script mount %v; want it read-only at %s", m, prepareMount)
	}
	if m := mountAt(exec, "/"); m == nil || m.GetOutput() != 0 || len(exec.GetMounts()) != 2 {
		t.Errorf("mounts %v; want the root as the only output", exec.GetMounts())
	}
}

func TestPrepareError(t *testing.T) {
	t.Parallel()
	for code, want := range map[uint32]string{
		exitUIDTaken: "uid 1001 belongs to another user", exitNameOtherU: "user runner exists",
		exitGIDTaken: "gid 1001 belongs to another group", exitNameOtherG: "group runner exists",
	} {
		err := fmt.Errorf("solve: %w", &gatewaypb.ExitError{ExitCode: code})
		if got := PrepareError(err); !strings.Contains(got.Error(), want) || !errors.Is(got, err) {
			t.Errorf("PrepareError(exit %d) = %v; want it to say %q and wrap the error", code, got, want)
		}
	}
	other := fmt.Errorf("solve: %w", &gatewaypb.ExitError{ExitCode: 1})
	if PrepareError(other) != other || PrepareError(nil) != nil || PrepareError(errors.New("x")).Error() != "x" {
		t.Error("PrepareError changed an error that is not the preparation's refusal")
	}
}

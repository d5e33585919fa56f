package builder

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakePrivate makes dir look like a running private daemon: its socket is
// a link to the shared test daemon's.
func fakePrivate(t *testing.T, dir, sharedSock string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	l := layout{dir: dir}
	if err := os.Symlink(sharedSock, l.socket()); err != nil {
		t.Fatal(err)
	}
	if err := l.writeRecord(record{Kind: KindNative, Address: "unix://" + l.socket(), Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	sock := sharedSocket(t)
	shared := "unix://" + sock
	s := newStandIns(t, sock, "docker")
	down := "unix://" + filepath.Join(t.TempDir(), "down.sock")
	envHost := func(v string) *Host {
		h := macHost("docker", "podman")
		h.Getenv = func(k string) string { return map[string]string{EnvHost: v}[k] }
		return h
	}
	linuxRoot := &Host{GOOS: "linux", UID: 0}

	tests := []struct {
		what  string
		req   func(dir string) Request
		check func(t *testing.T, r *Resolution, err error)
	}{
		{"--builder that answers", func(dir string) Request {
			return Request{Address: Address{Addr: shared}, Private: Options{Dir: dir, Host: macHost("docker", "podman")}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client == nil || r.Source != SourceFlag || r.Address.Addr != shared {
				t.Errorf("Resolve = %+v, %v; want the --builder address", r, err)
			}
		}},
		{"BUILDKIT_HOST that answers", func(dir string) Request {
			return Request{Private: Options{Dir: dir, Host: envHost(shared)}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client == nil || r.Source != SourceEnv {
				t.Errorf("Resolve = %+v, %v; want $BUILDKIT_HOST", r, err)
			}
		}},
		{"--builder down, private running", func(dir string) Request {
			fakePrivate(t, dir, sock)
			return Request{Address: Address{Addr: down}, Private: Options{Dir: dir, Host: linuxRoot, Buildkitd: "/bin/true"}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client == nil || r.Source != SourcePrivate || r.Started != nil {
				t.Fatalf("Resolve = %+v, %v; want the running private daemon", r, err)
			}
			if len(r.Passed) != 1 || !strings.Contains(r.Passed[0], "--builder "+down+" did not answer (dial unix") {
				t.Errorf("Passed = %q; want the --builder address that did not answer", r.Passed)
			}
		}},
		{"private running on a machine that cannot start one", func(dir string) Request {
			fakePrivate(t, dir, sock)
			return Request{Private: Options{Dir: dir, Host: macHost("docker", "podman")}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client == nil || r.Source != SourcePrivate {
				t.Errorf("Resolve = %+v, %v; want the running private daemon", r, err)
			}
		}},
		{"auto, nothing here", func(dir string) Request {
			return Request{Private: Options{Dir: dir, Host: macHost("docker", "podman")}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client != nil {
				t.Fatalf("Resolve = %+v, %v; want no builder and no error", r, err)
			}
			if !strings.HasPrefix(r.Reason, "no BuildKit builder (cannot start one here: buildkitd runs on Linux only (this is darwin)") || strings.Contains(r.Reason, "\n") {
				t.Errorf("Reason = %q; want one line saying why", r.Reason)
			}
		}},
		{"auto with BUILDKIT_HOST down", func(dir string) Request {
			return Request{Private: Options{Dir: dir, Host: envHost(down)}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client != nil || !strings.Contains(r.Reason, "BUILDKIT_HOST "+down+" did not answer") {
				t.Errorf("Resolve = %+v, %v; want the reason to name BUILDKIT_HOST", r, err)
			}
		}},
		{"container, nothing here", func(dir string) Request {
			return Request{Policy: Require, Private: Options{Dir: dir, Host: macHost("docker", "podman")}}
		}, func(t *testing.T, r *Resolution, err error) {
			var nb *NoBuilderError
			if !errors.As(err, &nb) {
				t.Fatalf("Resolve = %+v, %v; want a *NoBuilderError", r, err)
			}
			for _, w := range []string{"no BuildKit builder for the container executor", "Linux only", "`rehearse builder start`", "--builder ADDR", "--executor host"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		}},
		{"auto does not start docker on its own", func(dir string) Request {
			return Request{Private: Options{Dir: dir, Host: macHost("podman")}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client != nil || !strings.Contains(r.Reason, "does not start BuildKit in docker on its own: run `rehearse builder start` once") {
				t.Errorf("Resolve = %+v, %v; want no builder, and how to start one", r, err)
			}
			for _, c := range s.calls(t, "docker") {
				if strings.HasPrefix(c, "run ") {
					t.Errorf("auto ran a container: docker %s", c)
				}
			}
		}},
		{"container starts docker", func(dir string) Request {
			return Request{Policy: Require, Private: Options{Dir: dir, Host: macHost("podman"), Container: "resolve-test"}}
		}, func(t *testing.T, r *Resolution, err error) {
			if err != nil || r.Client == nil || r.Started == nil || r.Started.Kind != KindDocker || r.Address.Addr != "docker-container://resolve-test" {
				t.Errorf("Resolve = %+v, %v; want a docker container started", r, err)
			}
		}},
		{"malformed --builder", func(dir string) Request {
			return Request{Address: Address{Addr: "localhost:1234"}, Private: Options{Dir: dir, Host: macHost()}}
		}, func(t *testing.T, r *Resolution, err error) {
			var ae *AddressError
			if !errors.As(err, &ae) {
				t.Errorf("Resolve = %+v, %v; want an *AddressError", r, err)
			}
		}},
		{"malformed BUILDKIT_HOST", func(dir string) Request {
			return Request{Private: Options{Dir: dir, Host: envHost("buildkitd.sock")}}
		}, func(t *testing.T, r *Resolution, err error) {
			var ae *AddressError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), "(from $BUILDKIT_HOST)") {
				t.Errorf("Resolve = %+v, %v; want an *AddressError naming BUILDKIT_HOST", r, err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			r, err := Resolve(t.Context(), tc.req(filepath.Join(t.TempDir(), "buildkit")))
			if err != nil {
				t.Log(err)
			} else if r.Client == nil {
				t.Log(r.Reason)
			} else {
				t.Log(r)
				r.Client.Close()
			}
			tc.check(t, r, err)
		})
	}
}

// TestResolveStartsPrivate checks that --executor auto starts the private
// daemon where buildkitd runs, and that a second resolution reuses it.
func TestResolveStartsPrivate(t *testing.T) {
	slow(t)
	needRootDaemon(t)
	opts := Options{Dir: filepath.Join(t.TempDir(), "buildkit"), Buildkitd: buildkitdPath(t),
		Host: &Host{GOOS: "linux", UID: 0, Getenv: func(string) string { return "" }}}
	t.Cleanup(func() { _, _ = Stop(t.Context(), opts) })
	r, err := Resolve(t.Context(), Request{Private: opts})
	if err != nil {
		t.Fatal(err)
	}
	r.Client.Close()
	if r.Started == nil || r.Source != SourcePrivate {
		t.Errorf("Resolve = %+v; want the private daemon started now", r)
	}
	r2, err := Resolve(t.Context(), Request{Private: opts})
	if err != nil {
		t.Fatal(err)
	}
	r2.Client.Close()
	if r2.Started != nil || r2.Private == nil || r2.Private.PID != r.Started.PID {
		t.Errorf("second Resolve = %+v; want the same daemon reused", r2)
	}
}

// TestFindBuildkitd checks the search order.
func TestFindBuildkitd(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	mk := func(p string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeScript(t, p, "exit 0\n")
		return p
	}
	envBin := mk(filepath.Join(tmp, "env", "buildkitd"))
	pathBin := mk(filepath.Join(tmp, "path", "buildkitd"))
	exeDir := filepath.Join(tmp, "rehearse-bin")
	nextBin := mk(filepath.Join(exeDir, "buildkitd"))
	tools := filepath.Join(tmp, "tools")
	toolBin := mk(filepath.Join(tools, "buildkit", Version(), "buildkitd"))
	host := func(env map[string]string, onPath bool, exe string) Host {
		return Host{GOOS: "linux",
			Getenv: func(k string) string { return env[k] },
			LookPath: func(name string) (string, error) {
				if onPath {
					return pathBin, nil
				}
				return "", exec.ErrNotFound
			},
			Executable: func() (string, error) { return exe, nil },
		}
	}
	tests := []struct {
		what string
		h    Host
		want string // "" means an error
	}{
		{"$REHEARSE_BUILDKITD first", host(map[string]string{EnvBuildkitd: envBin, EnvToolsDir: tools}, true, filepath.Join(exeDir, "rehearse")), envBin},
		{"then PATH", host(map[string]string{EnvToolsDir: tools}, true, filepath.Join(exeDir, "rehearse")), pathBin},
		{"then next to rehearse", host(map[string]string{EnvToolsDir: tools}, false, filepath.Join(exeDir, "rehearse")), nextBin},
		{"then the tool cache", host(map[string]string{EnvToolsDir: tools}, false, "/nonexistent/rehearse"), toolBin},
		{"none", host(map[string]string{EnvToolsDir: filepath.Join(tmp, "empty")}, false, "/nonexistent/rehearse"), ""},
		{"$REHEARSE_BUILDKITD that is not there", host(map[string]string{EnvBuildkitd: filepath.Join(tmp, "nope")}, true, ""), ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := FindBuildkitd(tc.h)
			if tc.want == "" {
				if err == nil {
					t.Errorf("FindBuildkitd = %q; want an error", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("FindBuildkitd = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestVersionMatchesGoMod keeps the pinned fallback in step with go.mod.
func TestVersionMatchesGoMod(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Skip("go.mod not found:", err)
	}
	var modVersion string
	for line := range strings.SplitSeq(string(data), "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require"))
		if len(f) >= 2 && f[0] == buildkitModule {
			modVersion = f[1]
		}
	}
	if modVersion != pinnedVersion || Version() != pinnedVersion {
		t.Errorf("go.mod pins buildkit %s, Version() = %s, pinnedVersion = %s; keep them equal", modVersion, Version(), pinnedVersion)
	}
	if !slices.Contains([]string{"moby/buildkit:" + pinnedVersion}, Image()) {
		t.Errorf("Image() = %s", Image())
	}
}

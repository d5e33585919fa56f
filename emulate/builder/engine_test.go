package builder

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// macHost is a machine where buildkitd cannot run (macOS), whose programs
// are found on PATH except those named in missing.
func macHost(missing ...string) *Host {
	return &Host{GOOS: "darwin", UID: 501, LookPath: func(name string) (string, error) {
		if slices.Contains(missing, name) {
			return "", exec.ErrNotFound
		}
		return exec.LookPath(name)
	}}
}

// TestStartInDocker runs the private daemon "in docker" on a macOS-like
// machine: stand-in docker scripts record the calls, and the container
// they pretend to run is the shared test daemon.
func TestStartInDocker(t *testing.T) {
	s := newStandIns(t, sharedSocket(t), "docker")
	dir := t.TempDir()
	opts := Options{Dir: dir, Host: macHost()}
	name, image := DefaultContainer, Image()

	d, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindDocker || d.Address.Addr != "docker-container://"+name || d.Reused || d.Version == "" {
		t.Fatalf("Start = %+v; want a new docker container at docker-container://%s", d, name)
	}
	run := "run -d --name " + name + " --privileged -v " + name + "-state:/var/lib/buildkit " + image
	if calls := s.calls(t, "docker"); !slices.Contains(calls, run) || !slices.Contains(calls, "exec -i "+name+" buildctl dial-stdio") {
		t.Errorf("docker calls = %q; want %q and the connection helper's exec", calls, run)
	}

	again, err := Start(t.Context(), opts)
	if err != nil || !again.Reused {
		t.Errorf("second Start = %+v, %v; want reused", again, err)
	}
	st, err := PrivateStatus(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st.Print(&out)
	t.Logf("status:\n%s", out.String())
	if !st.Answers || st.Private.Kind != KindDocker || !strings.Contains(out.String(), "log:       `docker logs "+name+"`") {
		t.Errorf("status = %+v\n%s; want the docker container answering", st, out.String())
	}

	stopped, err := Stop(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !stopped.WasRunning || stopped.Kind != KindDocker || s.containerState(t, name) != "false "+image {
		t.Errorf("Stop = %+v, container %q; want it stopped and kept", stopped, s.containerState(t, name))
	}
	if st, _ := PrivateStatus(t.Context(), opts); st.Answers {
		t.Error("status answers after Stop")
	}

	// The stopped container is started again, not created anew.
	if _, err := Start(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if calls := s.calls(t, "docker"); !slices.Contains(calls, "start "+name) {
		t.Errorf("docker calls = %q; want `start %s`", calls, name)
	}

	// A container of another BuildKit version is replaced, and insecure
	// registries come in as a mounted config file.
	s.running(t, name, "moby/buildkit:v0.1.0")
	opts.InsecureRegistries = []string{"host.docker.internal:5000"}
	if _, err := Stop(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := Start(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	withConfig := "run -d --name " + name + " --privileged -v " + name + "-state:/var/lib/buildkit -v " +
		filepath.Join(dir, "buildkitd.toml") + ":/etc/buildkit/buildkitd.toml:ro " + image
	if calls := s.calls(t, "docker"); !slices.Contains(calls, "rm -f "+name) || !slices.Contains(calls, withConfig) {
		t.Errorf("docker calls = %q; want the old container removed and %q", calls, withConfig)
	}
}

func TestStartInPodman(t *testing.T) {
	s := newStandIns(t, sharedSocket(t), "podman")
	d, err := Start(t.Context(), Options{Dir: t.TempDir(), Host: macHost("docker")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindPodman || d.Address.Addr != "podman-container://"+DefaultContainer {
		t.Errorf("Start = %+v; want a podman container", d)
	}
	if calls := s.calls(t, "podman"); !slices.Contains(calls, "exec -i "+DefaultContainer+" buildctl dial-stdio") {
		t.Errorf("podman calls = %q", calls)
	}
}

// TestStartCannot checks the messages of machines that cannot start a
// daemon at all.
func TestStartCannot(t *testing.T) {
	down := t.TempDir()
	writeScript(t, filepath.Join(down, "docker"), "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2\nexit 1\n")
	prependPath(t, down)
	tests := []struct {
		what string
		host *Host
		want []string
	}{
		{"windows without an engine", &Host{GOOS: "windows", UID: -1, LookPath: func(string) (string, error) { return "", exec.ErrNotFound }},
			[]string{"buildkitd runs on Linux only (this is windows)", "no docker or podman to run BuildKit's image moby/buildkit:", "install Docker or Podman"}},
		{"docker that does not answer", macHost("podman"),
			[]string{"buildkitd runs on Linux only (this is darwin)", "docker is installed but did not answer", "Cannot connect to the Docker daemon", "start it (Docker Desktop"}},
		{"linux without buildkitd or an engine", &Host{GOOS: "linux", UID: 0, Getenv: func(k string) string { return map[string]string{"HOME": "/nonexistent"}[k] },
			Executable: func() (string, error) { return "/nonexistent/rehearse", nil },
			LookPath:   func(string) (string, error) { return "", exec.ErrNotFound }},
			[]string{"no buildkitd found", "run `make buildkitd`", "install BuildKit " + Version()}},
		{"linux user without rootlesskit", &Host{GOOS: "linux", UID: 1000, LookPath: func(name string) (string, error) {
			if name == "buildkitd" || name == "runc" {
				return "/bin/true", nil
			}
			return "", exec.ErrNotFound
		}}, []string{"not root, and rootlesskit is not installed", "apt-get install rootlesskit uidmap"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			_, err := Start(t.Context(), Options{Dir: t.TempDir(), Host: tc.host})
			t.Log(err)
			var ce *CannotStartError
			if !errors.As(err, &ce) {
				t.Fatalf("Start error %v is not a *CannotStartError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

package builder

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestConnectUnix(t *testing.T) {
	t.Parallel()
	sock := sharedSocket(t)
	c, err := Connect(t.Context(), Address{Addr: "unix://" + sock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.BuildkitVersion.Version == "" {
		t.Error("the daemon reported no version")
	}
}

// TestConnectUnreachable checks that a daemon that is not there is
// reported quickly, with where and what to do.
func TestConnectUnreachable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	port := freePort(t)
	tests := []struct {
		what string
		addr string
		want []string
	}{
		{"no socket", "unix://" + filepath.Join(dir, "none.sock"),
			[]string{"could not reach BuildKit at unix://" + dir, "no such file or directory", "start one with `rehearse builder start` or pass --builder ADDR"}},
		{"nothing listens on the port", fmt.Sprintf("tcp://127.0.0.1:%d", port),
			[]string{fmt.Sprintf("could not reach BuildKit at tcp://127.0.0.1:%d", port), "connection refused", "check that buildkitd listens there"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			c, err := Connect(t.Context(), Address{Addr: tc.addr})
			if err == nil {
				c.Close()
				t.Fatal("Connect succeeded")
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s to fail; want well under ConnectTimeout", d)
			}
			t.Log(err)
			var ue *UnreachableError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v is not an *UnreachableError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestConnectHelpers connects through BuildKit's connection helpers to
// stand-in engines whose `exec` runs buildctl dial-stdio against the shared
// test daemon, and checks the exact command lines the helpers ran.
func TestConnectHelpers(t *testing.T) {
	sock := sharedSocket(t)
	s := newStandIns(t, sock, "docker", "podman", "nerdctl", "kubectl")
	s.running(t, "bk", Image())
	s.running(t, "buildkitd-0", Image())
	tests := []struct {
		what, addr, engine, want string
	}{
		{"docker", "docker-container://bk", "docker", "exec -i bk buildctl dial-stdio"},
		{"docker with a context", "docker-container://bk?context=colima", "docker", "--context=colima exec -i bk buildctl dial-stdio"},
		{"podman", "podman-container://bk", "podman", "exec -i bk buildctl dial-stdio"},
		{"nerdctl", "nerdctl-container://bk?namespace=ci", "nerdctl", "exec --namespace ci -i bk buildctl dial-stdio"},
		{"kubernetes pod", "kube-pod://buildkitd-0?namespace=ci&context=kind", "kubectl",
			"--context=kind --namespace=ci exec --container= -i buildkitd-0 -- buildctl dial-stdio"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			c, err := Connect(t.Context(), Address{Addr: tc.addr})
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
			if calls := s.calls(t, tc.engine); !slices.Contains(calls, tc.want) {
				t.Errorf("%s was called with %q; want a call %q", tc.engine, calls, tc.want)
			}
		})
	}
	t.Run("container not running", func(t *testing.T) {
		_, err := Connect(t.Context(), Address{Addr: "docker-container://stopped"})
		t.Log(err)
		for _, w := range []string{"could not reach BuildKit at docker-container://stopped", "container stopped is not running", "check that the container runs (`docker ps`)"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("error %v does not contain %q", err, w)
			}
		}
	})
}

func TestReason(t *testing.T) {
	t.Parallel()
	tests := []struct{ what, in, want string }{
		{"unix dial", `failed to call info: Unavailable: connection error: desc = "transport: Error while dialing: dial unix /x.sock: connect: no such file or directory"`, "dial unix /x.sock: connect: no such file or directory"},
		{"plain", "something else", "something else"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := Reason(errors.New(tc.in)); got != tc.want {
				t.Errorf("Reason = %q, want %q", got, tc.want)
			}
		})
	}
}

package builder

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAddressValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what string
		a    Address
		want string // "" means valid; else a substring of the error
	}{
		{"unix socket", Address{Addr: "unix:///run/buildkit/buildkitd.sock"}, ""},
		{"tcp", Address{Addr: "tcp://127.0.0.1:1234"}, ""},
		{"tcp with CA", Address{Addr: "tcp://127.0.0.1:1234", CA: ca}, ""},
		{"docker container", Address{Addr: "docker-container://buildkitd?context=colima"}, ""},
		{"podman container", Address{Addr: "podman-container://buildkitd"}, ""},
		{"kube pod", Address{Addr: "kube-pod://buildkitd-0?namespace=ci"}, ""},
		{"ssh", Address{Addr: "ssh://me@build.example:2222"}, ""},
		{"empty", Address{}, "empty"},
		{"bare path", Address{Addr: "/run/buildkit/buildkitd.sock"}, "did you mean unix:///run/buildkit/buildkitd.sock?"},
		{"host and port", Address{Addr: "localhost:1234"}, "did you mean tcp://localhost:1234?"},
		{"unix with two slashes", Address{Addr: "unix://buildkitd.sock"}, "no socket path"},
		{"unknown scheme", Address{Addr: "http://127.0.0.1:1234"}, `unknown scheme "http": expected one of unix://, tcp://`},
		{"tcp without port", Address{Addr: "tcp://127.0.0.1"}, "expected tcp://HOST:PORT"},
		{"container without name", Address{Addr: "docker-container://"}, "no container name after docker-container://"},
		{"pod without name", Address{Addr: "kube-pod://"}, "no pod name"},
		{"cert without key", Address{Addr: "tcp://127.0.0.1:1234", Cert: ca}, "needs its key"},
		{"TLS on unix", Address{Addr: "unix:///x.sock", CA: ca}, "TLS files apply to tcp:// addresses only"},
		{"missing CA", Address{Addr: "tcp://127.0.0.1:1234", CA: filepath.Join(dir, "nope.pem")}, "TLS CA certificate"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			err := tc.a.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ae *AddressError
			if !errors.As(err, &ae) {
				t.Fatalf("Validate() = %v, want an *AddressError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestGiven(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvHost {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		what       string
		flag       Address
		env        string
		wantAddr   string
		wantSource Source
	}{
		{"flag wins over the environment", Address{Addr: "tcp://a:1"}, "tcp://b:2", "tcp://a:1", SourceFlag},
		{"environment without a flag", Address{}, "tcp://b:2", "tcp://b:2", SourceEnv},
		{"neither", Address{}, "", "", ""},
		{"blank environment", Address{}, "  ", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			a, src := Given(tc.flag, env(tc.env))
			if a.Addr != tc.wantAddr || src != tc.wantSource {
				t.Errorf("Given = %q, %q; want %q, %q", a.Addr, src, tc.wantAddr, tc.wantSource)
			}
		})
	}
	t.Run("TLS flags apply to the environment's address", func(t *testing.T) {
		t.Parallel()
		a, _ := Given(Address{CA: "ca.pem"}, env("tcp://b:2"))
		if a.CA != "ca.pem" {
			t.Errorf("CA = %q, want ca.pem", a.CA)
		}
	})
}

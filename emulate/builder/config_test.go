package builder

import (
	"strings"
	"testing"
)

func TestConfigRender(t *testing.T) {
	t.Parallel()
	got := string(daemonConfig{
		OTELSocket:         "/state/otel-grpc.sock",
		Runc:               `/opt/run"c`,
		InsecureRegistries: []string{"registry.local", "127.0.0.1:5000", "127.0.0.1:5000"},
	}.render())
	want := `
[otel]
  socketPath = "/state/otel-grpc.sock"

[worker.oci]
  binary = "/opt/run\"c"

[registry."127.0.0.1:5000"]
  http = true

[registry."registry.local"]
  http = true
`
	if !strings.HasSuffix(got, want) {
		t.Errorf("render =\n%s\nwant it to end with\n%s", got, want)
	}
	if regs := configRegistries([]byte(got)); strings.Join(regs, ",") != "127.0.0.1:5000,registry.local" {
		t.Errorf("configRegistries = %q", regs)
	}
}

func TestValidateRegistry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, in, want string // want "" means valid
	}{
		{"host and port", "127.0.0.1:5000", ""},
		{"name", "registry.local", ""},
		{"IPv6", "[::1]:5000", ""},
		{"empty", "", "empty"},
		{"scheme", "http://127.0.0.1:5000", "without scheme or path"},
		{"path", "127.0.0.1:5000/v2", "without scheme or path"},
		{"bad port", "127.0.0.1:http", "is not a number"},
		{"no host", ":5000", "no host"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			err := ValidateRegistry(tc.in)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("ValidateRegistry(%q) = %v, want nil", tc.in, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("ValidateRegistry(%q) = %v, want an error containing %q", tc.in, err, tc.want)
			}
		})
	}
}

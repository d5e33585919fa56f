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
		Disk:               capsFor(200_000_000_000),
	}.render())
	want := `
[otel]
  socketPath = "/state/otel-grpc.sock"

[worker.oci]
  binary = "/opt/run\"c"
  gc = true

[[worker.oci.gcpolicy]]
  filters = ["type==source.local", "type==source.git.checkout"]
  keepDuration = "48h"
  maxUsedSpace = 512000000

[[worker.oci.gcpolicy]]
  filters = ["type==exec.cachemount"]
  keepDuration = "720h"

[[worker.oci.gcpolicy]]
  keepDuration = "1440h"
  reservedSpace = 10000000000
  maxUsedSpace = 100000000000
  minFreeSpace = "20%"

[[worker.oci.gcpolicy]]
  reservedSpace = 10000000000
  maxUsedSpace = 100000000000
  minFreeSpace = "20%"

[[worker.oci.gcpolicy]]
  all = true
  reservedSpace = 10000000000
  maxUsedSpace = 100000000000
  minFreeSpace = "20%"

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

// TestDiskCaps: BuildKit's default sizes, 10% reserved up to 10 GB and 80%
// used up to 100 GB, and its percentages when the disk is unknown.
func TestDiskCaps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		total             int64
		reserved, maxUsed int64
	}{
		{50_000_000_000, 5_000_000_000, 40_000_000_000},
		{500_000_000_000, 10_000_000_000, 100_000_000_000},
		{0, 0, 0},
	}
	for _, tc := range tests {
		c := capsFor(tc.total)
		if c.reserved != tc.reserved || c.maxUsed != tc.maxUsed || c.minFree != "20%" {
			t.Errorf("capsFor(%d) = %+v, want reserved %d, maxUsed %d, minFree 20%%", tc.total, c, tc.reserved, tc.maxUsed)
		}
	}
	var b strings.Builder
	renderGCPolicy(&b, capsFor(0))
	if !strings.Contains(b.String(), `reservedSpace = "10%"`) || !strings.Contains(b.String(), `maxUsedSpace = "80%"`) {
		t.Errorf("unknown disk: want percentages, got\n%s", b.String())
	}
	if diskTotal(t.TempDir()) <= 0 {
		t.Errorf("diskTotal of a temporary directory is not known")
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

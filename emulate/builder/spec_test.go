package builder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSpec(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pem := filepath.Join(dir, "f.pem")
	if err := os.WriteFile(pem, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what    string
		in      string
		want    Spec
		wantErr string
	}{
		{"address only", "unix:///run/b.sock", Spec{Address: Address{Addr: "unix:///run/b.sock"}}, ""},
		{"jobs", "tcp://h:1234,jobs=4", Spec{Address: Address{Addr: "tcp://h:1234"}, Jobs: 4}, ""},
		{"TLS files", "tcp://h:1234,ca=" + pem + ",cert=" + pem + ",key=" + pem + ",jobs=2",
			Spec{Address: Address{Addr: "tcp://h:1234", CA: pem, Cert: pem, Key: pem}, Jobs: 2}, ""},
		{"spaces around settings", " ssh://me@h , jobs=3 ", Spec{Address: Address{Addr: "ssh://me@h"}, Jobs: 3}, ""},
		{"jobs zero", "tcp://h:1234,jobs=0", Spec{}, "jobs=0: expected a whole number of at least 1"},
		{"jobs not a number", "tcp://h:1234,jobs=many", Spec{}, "jobs=many"},
		{"unknown setting", "tcp://h:1234,cpus=2", Spec{}, `unknown setting "cpus": expected jobs, ca, cert or key`},
		{"setting without value", "tcp://h:1234,jobs", Spec{}, `setting "jobs": expected KEY=VALUE`},
		{"setting twice", "tcp://h:1234,jobs=1,jobs=2", Spec{}, "jobs= is given twice"},
		{"bad address", "localhost:1234,jobs=2", Spec{}, "did you mean tcp://localhost:1234?"},
		{"missing CA file", "tcp://h:1234,ca=" + filepath.Join(dir, "no.pem"), Spec{}, "does not exist"},
		{"TLS on unix", "unix:///b.sock,ca=" + pem, Spec{}, "TLS files apply to tcp:// addresses only"},
		{"empty", "", Spec{}, "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSpec(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseSpec(%q) error = %v, want one containing %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("ParseSpec(%q) (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

func TestCheckSpecsTwice(t *testing.T) {
	t.Parallel()
	a := Spec{Address: Address{Addr: "unix:///a.sock"}}
	b := Spec{Address: Address{Addr: "unix:///b.sock"}}
	if err := CheckSpecs([]Spec{a, b}); err != nil {
		t.Fatal(err)
	}
	err := CheckSpecs([]Spec{a, b, a})
	if err == nil || !strings.Contains(err.Error(), `"unix:///a.sock": given twice`) {
		t.Fatalf("error = %v", err)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/config"
)

// TestBuilderFlags: --builder is repeatable with per-builder settings, the
// --builder-tls-* flags still serve a single builder, the configuration's
// builders apply when no flag names one, and bad settings are usage errors
// (exit 2) naming where they came from.
func TestBuilderFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pem := filepath.Join(dir, "f.pem")
	if err := os.WriteFile(pem, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := func(a string) builder.Address { return builder.Address{Addr: a} }
	tests := []struct {
		what    string
		args    []string
		cfg     config.Config
		want    []builder.Spec
		wantErr string
	}{
		{what: "none", want: nil},
		{what: "one", args: []string{"--builder", "unix:///a.sock"}, want: []builder.Spec{{Address: addr("unix:///a.sock")}}},
		{what: "several with settings", args: []string{"--builder", "unix:///a.sock,jobs=2", "--builder", "tcp://h:1,ca=" + pem},
			want: []builder.Spec{{Address: addr("unix:///a.sock"), Jobs: 2}, {Address: builder.Address{Addr: "tcp://h:1", CA: pem}}}},
		{what: "TLS flags for one builder", args: []string{"--builder", "tcp://h:1", "--builder-tls-ca", pem, "--builder-tls-cert", pem, "--builder-tls-key", pem},
			want: []builder.Spec{{Address: builder.Address{Addr: "tcp://h:1", CA: pem, Cert: pem, Key: pem}}}},
		{what: "configured builders", cfg: config.Config{Builders: []string{"unix:///a.sock", "unix:///b.sock,jobs=3"}, BuildersFile: ".rehearse.yml"},
			want: []builder.Spec{{Address: addr("unix:///a.sock")}, {Address: addr("unix:///b.sock"), Jobs: 3}}},
		{what: "configured builder", cfg: config.Config{Builder: "unix:///a.sock", BuildersFile: "c.yml"},
			want: []builder.Spec{{Address: addr("unix:///a.sock")}}},
		{what: "a flag overrides the configuration", args: []string{"--builder", "unix:///c.sock"}, cfg: config.Config{Builders: []string{"unix:///a.sock", "unix:///b.sock"}},
			want: []builder.Spec{{Address: addr("unix:///c.sock")}}},
		{what: "TLS flags with several", args: []string{"--builder", "tcp://h:1", "--builder", "tcp://h:2", "--builder-tls-ca", pem},
			wantErr: "apply to a single builder; with several, give each its own files"},
		{what: "TLS files twice", args: []string{"--builder", "tcp://h:1,ca=" + pem, "--builder-tls-ca", pem}, wantErr: "TLS files are given both in it and with --builder-tls-*"},
		{what: "bad jobs", args: []string{"--builder", "unix:///a.sock,jobs=-1"}, wantErr: `--builder: builder address "unix:///a.sock": jobs=-1: expected a whole number of at least 1`},
		{what: "bad configured address", cfg: config.Config{Builders: []string{"unix:///a.sock", "b.sock"}, BuildersFile: "/repo/.rehearse.yml"},
			wantErr: `/repo/.rehearse.yml: builders: builder address "b.sock": not a URL`},
		{what: "twice", args: []string{"--builder", "unix:///a.sock", "--builder", "unix:///a.sock,jobs=2"}, wantErr: "given twice: give each builder once"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			var x executorFlags
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			x.add(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			x.applyConfig(&tc.cfg)
			err := x.check()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				if _, ok := err.(*usageError); !ok {
					t.Fatalf("error %v is not a usage error (exit 2)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, x.specs); d != "" {
				t.Errorf("builders (-want +got):\n%s", d)
			}
		})
	}
}

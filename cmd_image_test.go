package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestImageImportCommand(t *testing.T) {
	rootfs := t.TempDir()
	if err := os.MkdirAll(filepath.Join(rootfs, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rootfs, "etc", "os-release"), []byte("ID=debian\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	t.Setenv("REHEARSE_STATE_DIR", state)
	tests := []struct {
		what     string
		args     []string
		wantCode int
		stdout   string // a regexp
		stderr   string
	}{
		{"import with name and out", []string{"image", "import", rootfs, "--name", "tiny", "--out", filepath.Join(state, "out")}, 0,
			`^oci-layout://` + regexp.QuoteMeta(filepath.Join(state, "out")) + `@sha256:[0-9a-f]{64}\ntiny: 2 paths, layer [0-9.]+ MB \([0-9.]+ MB uncompressed\), [0-9.]+s\n$`, "-P ubuntu-latest=oci-layout://"},
		{"default name and directory under the state directory", []string{"image", "import", rootfs}, 0,
			`^oci-layout://` + regexp.QuoteMeta(filepath.Join(state, "images", strings.ToLower(filepath.Base(rootfs)))) + `@sha256:`, ""},
		{"uncompressed", []string{"image", "import", rootfs, "--compression", "none", "--out", filepath.Join(state, "none")}, 0, `^oci-layout://`, ""},
		{"missing directory", []string{"image", "import", filepath.Join(rootfs, "nope")}, 2, `^$`, "does not exist"},
		{"not a directory", []string{"image", "import", filepath.Join(rootfs, "etc", "os-release")}, 2, `^$`, "is not a directory"},
		{"no subcommand", []string{"image"}, 2, `^$`, "rehearse image import DIR"},
		{"unknown subcommand", []string{"image", "export", rootfs}, 2, `^$`, "rehearse image import DIR"},
		{"two directories", []string{"image", "import", rootfs, rootfs}, 2, `^$`, "takes one root filesystem directory"},
		{"bad compression", []string{"image", "import", rootfs, "--compression", "gzip", "--out", t.TempDir()}, 1, `^$`, `compression "gzip" is not known`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			c := &Command{Stdout: &stdout, Stderr: &stderr}
			code := c.Main(append([]string{"rehearse"}, tc.args...))
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, stdout.String(), stderr.String())
			}
			if !regexp.MustCompile(tc.stdout).MatchString(stdout.String()) {
				t.Errorf("stdout %q does not match %q", stdout.String(), tc.stdout)
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q does not say %q", stderr.String(), tc.stderr)
			}
		})
	}
}

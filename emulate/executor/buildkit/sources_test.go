package buildkit_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// TestPythonFromRootfsSource: --python-source VERSION=rootfs://DIR takes
// that version from a root filesystem's tool cache instead of the manifest.
func TestPythonFromRootfsSource(t *testing.T) {
	dir := t.TempDir()
	py := filepath.Join(dir, "opt", "hostedtoolcache", "Python", "3.99.1", "x64", "bin", "python")
	if err := os.MkdirAll(filepath.Dir(py), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(py, []byte("#!/bin/sh\necho from-source\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "opt", "hostedtoolcache", "Python", "3.99.1", "x64.complete"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	e := containertest.Executor(t, buildkit.Options{Python: buildkit.PythonSources{
		Manifest: "file:///nonexistent", Images: map[string]string{"3.99": "rootfs://" + dir}}})
	j := startJob(t, e, executor.JobSpec{Tools: []executor.ToolRequest{{Name: "python", Spec: "3.99"}}})
	if p := j.Info().ToolProblems; len(p) > 0 {
		t.Fatalf("problems: %v", p)
	}
	if code, out := run(t, j, "/opt/hostedtoolcache/Python/3.99.1/x64/bin/python"); code != 0 || out != "from-source\n" {
		t.Errorf("exit %d, %q", code, out)
	}
}

// TestNoNetwork: a job's network can be cut; by default it has the host's.
func TestNoNetwork(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "reached") })}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	url := "http://" + l.Addr().String() + "/"
	e := containertest.Executor(t, buildkit.Options{})
	for _, tc := range []struct {
		what      string
		noNetwork bool
		want      string
	}{
		{"host network", false, "reached"},
		{"no network", true, "unreachable"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			j := startJob(t, e, executor.JobSpec{NoNetwork: tc.noNetwork})
			_, out := run(t, j, "curl -fsS --max-time 5 "+url+" || echo unreachable")
			if !strings.Contains(out, tc.want) {
				t.Errorf("output %q, want %q", out, tc.want)
			}
		})
	}
}

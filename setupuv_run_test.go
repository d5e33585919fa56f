package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
	"github.com/rehearse-dev/rehearse/fixtures/loopback"
)

// TestRunSetupUV runs fixtures/setupuv through the built binary, with
// uv's releases served from 127.0.0.1 (--uv-download-url, --uv-manifest).
// Their uv is fixtures/loopback's stand-in, a shell script that prints
// "uv 0.5.4" for --version: no real uv is available where the tests run.
// Both jobs succeed (the first reads 0.5.4 from pyproject.toml, the second
// resolves latest from the manifest, also 0.5.4, and sees the uv cache the
// first filled); the release is downloaded once for both, and a second
// run with the same cache directory downloads nothing.
func TestRunSetupUV(t *testing.T) {
	t.Parallel()
	t.Run("host", func(t *testing.T) {
		skipIfShort(t)
		t.Parallel()
		runSetupUV(t, []string{"--executor", "host"})
	})
	t.Run("container", func(t *testing.T) {
		if testing.Short() {
			t.Skip("slow: needs the test builder")
		}
		t.Parallel()
		// uv is downloaded on this machine and copied into the job's tool
		// cache; its cache is the uv cache mount at ~/.cache/uv.
		runSetupUV(t, []string{"--executor", "container", "--builder", buildkittest.Addr(t), "-P", "ubuntu-latest=" + containertest.Image(t)})
	})
}

func runSetupUV(t *testing.T, args []string) {
	srv := loopback.UVReleases(t, "0.5.4")
	cacheDir := t.TempDir()
	env := []string{"REHEARSE_CACHE_DIR=" + cacheDir}
	args = append(args, "--uv-download-url", srv.DownloadURL, "--uv-manifest", srv.ManifestURL)
	for i := range 2 {
		dir := fixtures.Materialize(t, "setupuv")
		r, rep := runJSON(t, dir, env, args...)
		if r.code != 0 {
			t.Fatalf("run %d: exit %d\nstderr:\n%s\nstdout:\n%s", i+1, r.code, r.stderr, r.stdout)
		}
		if d := cmp.Diff(map[string]string{"first": "success", "second": "success"}, rep.conclusions()); d != "" {
			t.Fatalf("run %d: job conclusions (-want +got):\n%s", i+1, d)
		}
		if n := srv.Downloads(); n != 1 {
			t.Errorf("after run %d the release was downloaded %d times, want once in all", i+1, n)
		}
		for _, job := range []string{"first", "second"} {
			steps := rep.jobs()[job].Steps
			var uv *runStep
			for _, s := range steps {
				if s.ID == "uv" {
					uv = s
				}
			}
			if uv == nil || uv.Outputs["uv-version"] != "0.5.4" || uv.Outputs["cache-hit"] == "" {
				t.Errorf("run %d: %s's setup-uv step %+v, want uv-version 0.5.4 and cache-hit", i+1, job, uv)
			}
		}
		second, err := os.ReadFile(rep.jobs()["second"].LogFile)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Resolved latest to uv 0.5.4", "Using cached rehearse-tinypkg", "uv stand-in: pip install rehearse-tinypkg"} {
			if !strings.Contains(string(second), want) {
				t.Errorf("run %d: the second job's log lacks %q:\n%s", i+1, want, second)
			}
		}
	}
}

// TestRunSetupUVUnreachable: when uv's release cannot be downloaded, the
// setup-uv step fails saying which URL it tried and which setting points
// elsewhere, and the report's hint says the network could not be reached.
func TestRunSetupUVUnreachable(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	srv := loopback.UVReleases(t, "0.5.4")
	dir := fixtures.Materialize(t, "setupuv")
	r := runBin(t, dir, []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}, "run", "--executor", "host", "-j", "first", "--format", "json", "--progress", "quiet",
		"--uv-download-url", "http://127.0.0.1:1/uv", "--uv-manifest", srv.ManifestURL)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	var rep struct {
		Workflows []struct {
			Jobs []struct {
				Key        string `json:"key"`
				FailedStep string `json:"failed_step"`
				Hint       string `json:"hint"`
				Steps      []struct {
					Reason string `json:"reason"`
				} `json:"steps"`
			} `json:"jobs"`
		} `json:"workflows"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, r.stdout)
	}
	job := rep.Workflows[0].Jobs[0]
	want := "astral-sh/setup-uv: could not download uv 0.5.4 from http://127.0.0.1:1/uv/0.5.4/uv-"
	if job.FailedStep != "Set up uv" || len(job.Steps) < 2 || !strings.HasPrefix(job.Steps[1].Reason, want) ||
		!strings.Contains(job.Steps[1].Reason, "connection refused") || !strings.Contains(job.Steps[1].Reason, "set --uv-download-url URL ($REHEARSE_UV_DOWNLOAD_URL") {
		t.Errorf("job %+v\nwant the setup-uv step to fail with %q..., the error and the setting", job, want)
	}
	if !strings.Contains(job.Hint, "could not reach the network") {
		t.Errorf("hint %q, want the network hint", job.Hint)
	}
}

package toolchain

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures/loopback"
)

// The uv these tests install is the stand-in of fixtures/loopback (a shell
// script in uv's release layout): no real uv is available here.

var linuxX64 = UVTarget{Arch: "x86_64", Platform: "unknown-linux-gnu"}

// TestInstallUV downloads a release archive once, checks it against the
// published .sha256, unpacks uv and uvx, and serves the next install from
// the cache without a request.
func TestInstallUV(t *testing.T) {
	t.Parallel()
	srv := loopback.UVReleases(t, "0.5.4")
	dir := t.TempDir()
	d := UVDownload{Version: "0.5.4", Target: linuxX64, URL: srv.DownloadURL + "/0.5.4/uv-x86_64-unknown-linux-gnu.tar.gz", Dir: dir}
	first, err := InstallUV(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "0.5.4", "x86_64-unknown-linux-gnu")
	if first.Dir != want || !first.Downloaded || first.Checksum != d.URL+".sha256" {
		t.Errorf("first install %+v, want a download into %s verified by the .sha256", first, want)
	}
	out, err := exec.Command(filepath.Join(first.Dir, "uv"), "--version").Output()
	if err != nil || string(out) != "uv 0.5.4\n" {
		t.Errorf("uv --version = %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(first.Dir, "uvx")); err != nil {
		t.Errorf("no uvx: %v", err)
	}
	n := len(srv.Requests())
	second, err := InstallUV(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	if second.Dir != want || second.Downloaded {
		t.Errorf("second install %+v, want the cached one", second)
	}
	if got := len(srv.Requests()); got != n {
		t.Errorf("the second install made %d requests, want none", got-n)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "0.5.4"))
	if len(entries) != 1 {
		t.Errorf("the cache holds %d entries for 0.5.4, want only the install (no temporary files left)", len(entries))
	}
}

// TestInstallUVParallel: jobs installing the same version at once share one
// download.
func TestInstallUVParallel(t *testing.T) {
	t.Parallel()
	srv := loopback.UVReleases(t, "0.5.4")
	dir := t.TempDir()
	d := UVDownload{Version: "0.5.4", Target: linuxX64, URL: srv.DownloadURL + "/0.5.4/uv-x86_64-unknown-linux-gnu.tar.gz", Dir: dir}
	var wg sync.WaitGroup
	errs := make([]error, 4) // one slot per goroutine
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = InstallUV(t.Context(), d)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := srv.Downloads(); n != 1 {
		t.Errorf("%d downloads, want 1", n)
	}
}

func TestInstallUVRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		// prepare changes the server or the download.
		prepare func(srv *loopback.UVServer, d *UVDownload)
		wantErr string
	}{
		{
			what: "a published sha256 that does not match",
			prepare: func(srv *loopback.UVServer, _ *UVDownload) {
				srv.SetChecksum("0.5.4", linuxX64.String(), strings.Repeat("0", 64))
			},
			wantErr: "but URL.sha256 gives " + strings.Repeat("0", 64) + ": the download is not the release it claims to be, and is not used",
		},
		{
			what:    "an expected checksum that does not match",
			prepare: func(_ *loopback.UVServer, d *UVDownload) { d.SHA256 = strings.Repeat("ab", 32) },
			wantErr: "but the expected checksum gives " + strings.Repeat("ab", 32),
		},
		{
			what:    "a malformed .sha256",
			prepare: func(srv *loopback.UVServer, _ *UVDownload) { srv.SetChecksum("0.5.4", linuxX64.String(), "nope") },
			wantErr: "URL.sha256 is not a sha256 checksum file",
		},
		{
			what: "a version the source does not have",
			prepare: func(srv *loopback.UVServer, d *UVDownload) {
				d.URL = srv.DownloadURL + "/9.9.9/uv-x86_64-unknown-linux-gnu.tar.gz"
			},
			wantErr: "404 Not Found",
		},
		{
			what: "an unreachable source",
			prepare: func(_ *loopback.UVServer, d *UVDownload) {
				d.URL = "http://127.0.0.1:1/0.5.4/uv-x86_64-unknown-linux-gnu.tar.gz"
			},
			wantErr: "connection refused",
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			srv := loopback.UVReleases(t, "0.5.4")
			dir := t.TempDir()
			d := UVDownload{Version: "0.5.4", Target: linuxX64, URL: srv.DownloadURL + "/0.5.4/uv-x86_64-unknown-linux-gnu.tar.gz", Dir: dir}
			tc.prepare(srv, &d)
			_, err := InstallUV(t.Context(), d)
			if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), d.URL, "URL"), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if _, err := os.Stat(filepath.Join(dir, "0.5.4", linuxX64.String())); !os.IsNotExist(err) {
				t.Errorf("a refused download was installed (%v)", err)
			}
		})
	}
}

// TestInstallUVWithoutChecksum: a source that publishes no .sha256 (a
// mirror of the archives alone) installs unverified, and says so.
func TestInstallUVWithoutChecksum(t *testing.T) {
	t.Parallel()
	srv := loopback.UVReleases(t, "0.5.4")
	srv.RemoveChecksums()
	inst, err := InstallUV(t.Context(), UVDownload{Version: "0.5.4", Target: linuxX64, URL: srv.DownloadURL + "/0.5.4/uv-x86_64-unknown-linux-gnu.tar.gz", Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !inst.Downloaded || inst.Checksum != "" {
		t.Errorf("install %+v, want a download with no checksum", inst)
	}
}

func TestFetchFile(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "uv.ndjson")
	if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{p, "file://" + p} {
		if data, err := Fetch(t.Context(), u, 10); err != nil || string(data) != "{}" {
			t.Errorf("Fetch(%q) = %q, %v", u, data, err)
		}
	}
	var fe *FetchError
	if _, err := Fetch(t.Context(), p+".missing", 10); !errors.As(err, &fe) || !fe.NotFound() {
		t.Errorf("a missing file: %v, want a not-found FetchError", err)
	}
	if _, err := Fetch(t.Context(), p, 1); err == nil || !strings.Contains(err.Error(), "larger than 1 bytes") {
		t.Errorf("over the limit: %v", err)
	}
}

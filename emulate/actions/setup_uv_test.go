package actions

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
	"github.com/rehearse-dev/rehearse/fixtures/loopback"
)

// The uv these tests install is the stand-in that fixtures/loopback serves
// in uv's release layout (a shell script that prints "uv <version>" and
// records its arguments): no real uv is available where the tests run.

// systemPath is the PATH of the jobs: the stand-in's `uv python find`
// answers the python3 found there (the system's, not a slower pyenv shim).
const systemPath = "/usr/bin:/bin"

// uvTestTarget is the release target of this machine.
func uvTestTarget(t *testing.T) toolchain.UVTarget {
	t.Helper()
	p := executor.HostPlatform()
	target, err := toolchain.UVTargetFor(p.OS, p.Arch, false)
	if err != nil {
		t.Skipf("uv has no release for this machine: %v", err)
	}
	if _, err := os.Stat("/lib/ld-musl-x86_64.so.1"); err == nil {
		t.Skip("a musl machine: the expected paths name the glibc target")
	}
	return target
}

// uvSources points setup-uv at srv, with the test's own cache directories.
func uvSources(t *testing.T, srv *loopback.UVServer) Services {
	t.Helper()
	return Services{UV: UVSources{DownloadURL: srv.DownloadURL, Manifest: srv.ManifestURL, Dir: t.TempDir(), CacheDir: t.TempDir()}}
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSetupUV runs setup-uv on the host executor against a loopback copy
// of uv's releases (0.6.2, 0.6.1, 0.5.4): the version it resolves, what it
// puts on PATH, the variables it exports and its outputs.
func TestSetupUV(t *testing.T) {
	t.Parallel()
	target := uvTestTarget(t)
	pyVersion := "unknown"
	if out, err := exec.Command("/usr/bin/python3", "--version").Output(); err == nil {
		pyVersion = strings.Fields(string(out))[1]
	}
	tests := []struct {
		what  string
		in    Inputs
		files map[string]string
		// want is the version installed.
		want string
		// wantManifest is whether the manifest was read.
		wantManifest bool
		// wantExported are variables exported besides UV_TOOL_BIN_DIR,
		// UV_TOOL_DIR, UV_PYTHON_INSTALL_DIR and UV_CACHE_DIR (WS is the
		// workspace).
		wantExported map[string]string
		// wantOutputs are outputs besides uv-version, uv-path, uvx-path and
		// python-version.
		wantOutputs map[string]string
	}{
		{what: "an exact version needs no manifest", in: Inputs{"version": "0.5.4"}, want: "0.5.4"},
		{what: "latest is the manifest's newest", in: Inputs{"version": "latest"}, want: "0.6.2", wantManifest: true},
		{what: "a range", in: Inputs{"version": "0.6.x", "resolution-strategy": "lowest"}, want: "0.6.1", wantManifest: true},
		{what: "no version and no file: latest", in: Inputs{}, want: "0.6.2", wantManifest: true},
		{what: "pyproject.toml's required-version", in: Inputs{},
			files: map[string]string{"pyproject.toml": "[project]\nname = \"app\"\n\n[tool.uv]\nrequired-version = \"==0.5.4\"\n"}, want: "0.5.4"},
		{what: "uv.toml before pyproject.toml", in: Inputs{},
			files: map[string]string{"uv.toml": "required-version = \">=0.6,<0.6.2\"\n", "pyproject.toml": "[tool.uv]\nrequired-version = \"0.5.4\"\n"}, want: "0.6.1", wantManifest: true},
		{what: "version-file", in: Inputs{"version-file": ".tool-versions"}, files: map[string]string{".tool-versions": "uv 0.6.1\n"}, want: "0.6.1"},
		{what: "working-directory holds the project", in: Inputs{"working-directory": "sub"},
			files: map[string]string{"sub/pyproject.toml": "[tool.uv]\nrequired-version = \"0.5.4\"\n"}, want: "0.5.4"},
		{what: "python-version and an activated venv", in: Inputs{"version": "0.5.4", "python-version": "3.12", "activate-environment": "true"}, want: "0.5.4",
			wantExported: map[string]string{"UV_PYTHON": "3.12", "VIRTUAL_ENV": "WS/.venv"}, wantOutputs: map[string]string{"venv": "WS/.venv"}},
		{what: "enable-cache says whether the shared cache holds anything", in: Inputs{"version": "0.5.4", "enable-cache": "true", "cache-dependency-glob": "uv.lock"}, want: "0.5.4",
			wantOutputs: map[string]string{"cache-hit": "false"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			srv := loopback.UVReleases(t, "0.6.2", "0.6.1", "0.5.4")
			h := newFakeHost(t)
			h.env["PATH"] = systemPath
			writeFiles(t, h.workspace, tc.files)
			svc := uvSources(t, srv)
			if err := setupUV(t.Context(), tc.in, h, svc); err != nil {
				t.Fatalf("setup-uv: %v\nlog:\n%s", err, strings.Join(h.logs, "\n"))
			}
			dir := filepath.Join(svc.UV.Dir, tc.want, target.String())
			out, err := exec.Command(filepath.Join(dir, "uv"), "--version").Output()
			if err != nil || string(out) != "uv "+tc.want+"\n" {
				t.Errorf("the installed uv --version = %q, %v", out, err)
			}
			wantOutputs := map[string]string{"uv-version": tc.want, "uv-path": filepath.Join(dir, "uv"), "uvx-path": filepath.Join(dir, "uvx"), "python-version": pyVersion}
			for k, v := range tc.wantOutputs {
				wantOutputs[k] = strings.ReplaceAll(v, "WS", h.workspace)
			}
			if d := cmp.Diff(wantOutputs, h.outputs); d != "" {
				t.Errorf("outputs (-want +got):\n%s", d)
			}
			wantExported := map[string]string{
				"UV_TOOL_BIN_DIR":       filepath.Join(h.temp, "uv-tool-bin-dir"),
				"UV_TOOL_DIR":           filepath.Join(h.temp, "uv-tool-dir"),
				"UV_PYTHON_INSTALL_DIR": filepath.Join(h.temp, "uv-python-dir"),
				"UV_CACHE_DIR":          svc.UV.CacheDir,
			}
			for k, v := range tc.wantExported {
				wantExported[k] = strings.ReplaceAll(v, "WS", h.workspace)
			}
			if d := cmp.Diff(wantExported, h.exported); d != "" {
				t.Errorf("exported (-want +got):\n%s", d)
			}
			// First on PATH first: what was added last.
			wantPath := []string{filepath.Join(h.temp, "uv-python-dir"), dir, filepath.Join(h.temp, "uv-tool-bin-dir")}
			if tc.wantExported["VIRTUAL_ENV"] != "" {
				wantPath = append([]string{filepath.Join(h.workspace, ".venv", "bin")}, wantPath...)
				if _, err := os.Stat(filepath.Join(h.workspace, ".venv", "bin")); err != nil {
					t.Errorf("uv venv did not run: %v", err)
				}
			}
			if d := cmp.Diff(wantPath, h.path); d != "" {
				t.Errorf("PATH entries (-want +got):\n%s", d)
			}
			manifestRead := false
			for _, r := range srv.Requests() {
				manifestRead = manifestRead || r.Path == "/uv.ndjson"
			}
			if manifestRead != tc.wantManifest {
				t.Errorf("manifest read: %v, want %v (requests %v)", manifestRead, tc.wantManifest, srv.Requests())
			}
			if len(h.warnings) != 0 {
				t.Errorf("warnings: %q", h.warnings)
			}
		})
	}
}

// TestSetupUVCachedOnce: a second job (of this run or a later one) takes
// uv from rehearse's cache: no request for an exact version, only the
// manifest for latest; and sees what the first put in the shared uv cache.
func TestSetupUVCachedOnce(t *testing.T) {
	t.Parallel()
	uvTestTarget(t)
	srv := loopback.UVReleases(t, "0.6.2", "0.5.4")
	svc := uvSources(t, srv)
	run := func(in Inputs) *fakeHost {
		t.Helper()
		h := newFakeHost(t)
		h.env["PATH"] = systemPath
		if err := setupUV(t.Context(), in, h, svc); err != nil {
			t.Fatal(err)
		}
		return h
	}
	run(Inputs{"version": "0.5.4", "enable-cache": "true"})
	if err := os.WriteFile(filepath.Join(svc.UV.CacheDir, "CACHEDIR.TAG"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	n := len(srv.Requests())
	h := run(Inputs{"version": "0.5.4", "enable-cache": "true"})
	if got := srv.Requests()[n:]; len(got) != 0 {
		t.Errorf("the second job made requests %v, want none", got)
	}
	if h.outputs["cache-hit"] != "true" {
		t.Errorf("cache-hit = %q, want true: the first job's uv cache is shared", h.outputs["cache-hit"])
	}
	run(Inputs{"version": "latest"})
	run(Inputs{"version": "latest"})
	if d := srv.Downloads(); d != 2 {
		t.Errorf("%d archive downloads, want 2 (0.5.4 and 0.6.2 once each)", d)
	}
}

// TestSetupUVFails: what cannot be installed fails the step with what was
// tried and how to point rehearse elsewhere, and changes nothing.
func TestSetupUVFails(t *testing.T) {
	t.Parallel()
	target := uvTestTarget(t)
	tests := []struct {
		what    string
		in      Inputs
		files   map[string]string
		prepare func(srv *loopback.UVServer, svc *Services)
		wantErr string
	}{
		{what: "unreachable download source", in: Inputs{"version": "0.5.4"},
			prepare: func(_ *loopback.UVServer, svc *Services) { svc.UV.DownloadURL = "http://127.0.0.1:1/uv" },
			wantErr: "astral-sh/setup-uv: could not download uv 0.5.4 from http://127.0.0.1:1/uv/0.5.4/ARCHIVE: dial tcp 127.0.0.1:1: connect: connection refused; to download uv from elsewhere (a mirror laid out as URL/<version>/ARCHIVE), set --uv-download-url URL ($REHEARSE_UV_DOWNLOAD_URL, or uv.download-url in the configuration file)"},
		{what: "unreachable manifest", in: Inputs{"version": "latest"},
			prepare: func(_ *loopback.UVServer, svc *Services) { svc.UV.Manifest = "http://127.0.0.1:1/uv.ndjson" },
			wantErr: "astral-sh/setup-uv: could not read the uv versions manifest http://127.0.0.1:1/uv.ndjson: dial tcp 127.0.0.1:1: connect: connection refused; point rehearse at a reachable copy with --uv-manifest URL"},
		{what: "unreachable manifest-file input", in: Inputs{"version": "latest", "manifest-file": "http://127.0.0.1:1/m.ndjson"},
			wantErr: "could not read the uv versions manifest http://127.0.0.1:1/m.ndjson: dial tcp 127.0.0.1:1: connect: connection refused; the step's manifest-file input names it"},
		{what: "a version the source does not have", in: Inputs{"version": "0.4.0"},
			wantErr: "could not download uv 0.4.0 from SRV/releases/download/0.4.0/ARCHIVE: 404 Not Found (the source has no such release: is 0.4.0 a uv version?)"},
		{what: "a range nothing satisfies", in: Inputs{"version": "0.9"},
			wantErr: "astral-sh/setup-uv: no version found for 0.9 (in the manifest SRV/uv.ndjson)"},
		{what: "a checksum that does not match the release's", in: Inputs{"version": "0.5.4"},
			prepare: func(srv *loopback.UVServer, _ *Services) {
				srv.SetChecksum("0.5.4", target.String(), strings.Repeat("0", 64))
			},
			wantErr: "gives " + strings.Repeat("0", 64) + ": the download is not the release it claims to be, and is not used"},
		{what: "the checksum input", in: Inputs{"version": "0.5.4", "checksum": strings.Repeat("a", 64)},
			wantErr: "but the expected checksum gives " + strings.Repeat("a", 64)},
		{what: "a version-file that names none", in: Inputs{"version-file": "pyproject.toml"}, files: map[string]string{"pyproject.toml": "[project]\nname = \"x\"\n"},
			wantErr: "astral-sh/setup-uv: Could not determine uv version from file: pyproject.toml"},
		{what: "a bad resolution-strategy", in: Inputs{"resolution-strategy": "newest"},
			wantErr: `invalid resolution-strategy "newest": expected highest or lowest`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			srv := loopback.UVReleases(t, "0.6.2", "0.5.4")
			h := newFakeHost(t)
			writeFiles(t, h.workspace, tc.files)
			svc := uvSources(t, srv)
			if tc.prepare != nil {
				tc.prepare(srv, &svc)
			}
			err := setupUV(t.Context(), tc.in, h, svc)
			want := strings.NewReplacer("SRV", srv.URL, "ARCHIVE", target.Archive()).Replace(tc.wantErr)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, want)
			}
			if len(h.path) != 0 || len(h.outputs) != 0 || len(h.exported) != 0 {
				t.Errorf("a failed setup-uv set PATH %v, outputs %v, variables %v", h.path, h.outputs, h.exported)
			}
			if entries, _ := os.ReadDir(svc.UV.Dir); len(entries) > 0 {
				var names []string
				_ = filepath.WalkDir(svc.UV.Dir, func(p string, d fs.DirEntry, _ error) error {
					if !d.IsDir() {
						names = append(names, p)
					}
					return nil
				})
				if len(names) > 0 {
					t.Errorf("a failed setup-uv left files in the uv cache: %v", names)
				}
			}
		})
	}
}

// remoteJob is a job whose files are not this machine's and whose tools are
// its image's, as a container job's are; its files are still moved by the
// host executor's Import, so what setup-uv copies into it can be looked at.
type remoteJob struct{ executor.Job }

func (j remoteJob) HostPath(string) (string, bool) { return "", false }

func (j remoteJob) Info() executor.Info {
	info := j.Job.Info()
	info.HostTools, info.Environment = false, "github-hosted"
	return info
}

// TestSetupUVCopiesIntoTheJob: a job whose files are elsewhere (a
// container) gets a copy of the cached uv in its tool cache, laid out as
// setup-uv's tool cache (uv/<version>/<arch> and <arch>.complete), its
// ~/.local/bin on PATH and, with enable-cache (auto there), the shared
// cache mount ~/.cache/uv as UV_CACHE_DIR. A later setup-uv in the job
// finds it there.
func TestSetupUVCopiesIntoTheJob(t *testing.T) {
	t.Parallel()
	target := uvTestTarget(t)
	srv := loopback.UVReleases(t, "0.5.4")
	h := newFakeHost(t)
	h.job = remoteJob{h.job}
	svc := uvSources(t, srv)
	if err := setupUV(t.Context(), Inputs{"version": "0.5.4"}, h, svc); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(h.toolCache, "uv", "0.5.4", target.Arch)
	out, err := exec.Command(filepath.Join(dir, "uv"), "--version").Output()
	if err != nil || string(out) != "uv 0.5.4\n" {
		t.Errorf("the job's uv --version = %q, %v", out, err)
	}
	if _, err := os.Stat(dir + ".complete"); err != nil {
		t.Errorf("no tool cache marker: %v", err)
	}
	home := h.env["HOME"]
	if d := cmp.Diff([]string{filepath.Join(h.temp, "uv-python-dir"), dir, filepath.Join(home, ".local", "bin")}, h.path); d != "" {
		t.Errorf("PATH entries (-want +got):\n%s", d)
	}
	if got := h.exported["UV_CACHE_DIR"]; got != filepath.Join(home, ".cache", "uv") {
		t.Errorf("UV_CACHE_DIR = %q, want the job's ~/.cache/uv", got)
	}
	if h.outputs["uv-path"] != filepath.Join(dir, "uv") || h.outputs["cache-hit"] != "false" {
		t.Errorf("outputs %v", h.outputs)
	}
	n := len(srv.Requests())
	again := newFakeHost(t)
	again.job, again.toolCache, again.env = h.job, h.toolCache, h.env
	if err := setupUV(t.Context(), Inputs{"version": "0.5.4"}, again, svc); err != nil {
		t.Fatal(err)
	}
	if len(srv.Requests()) != n || !strings.Contains(strings.Join(again.logs, "\n"), "Found uv in tool-cache for 0.5.4") {
		t.Errorf("the second setup-uv did not take uv from the job's tool cache:\n%s", strings.Join(again.logs, "\n"))
	}
}

// TestSetupUVNoChecksum: a source without .sha256 files installs uv
// unverified, with a warning that says so.
func TestSetupUVNoChecksum(t *testing.T) {
	t.Parallel()
	uvTestTarget(t)
	srv := loopback.UVReleases(t, "0.5.4")
	srv.RemoveChecksums()
	h := newFakeHost(t)
	if err := setupUV(t.Context(), Inputs{"version": "0.5.4"}, h, uvSources(t, srv)); err != nil {
		t.Fatal(err)
	}
	if len(h.warnings) != 1 || !strings.Contains(h.warnings[0], "publishes no checksum") {
		t.Errorf("warnings %q, want one about the missing checksum", h.warnings)
	}
}

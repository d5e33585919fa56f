package toolchain

import (
	"strings"
	"testing"
)

func TestUVTargetFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, os, arch string
		musl           bool
		want, archive  string
		wantErr        string
	}{
		{what: "linux x64", os: "Linux", arch: "X64", want: "x86_64-unknown-linux-gnu", archive: "uv-x86_64-unknown-linux-gnu.tar.gz"},
		{what: "linux arm64", os: "Linux", arch: "ARM64", want: "aarch64-unknown-linux-gnu", archive: "uv-aarch64-unknown-linux-gnu.tar.gz"},
		{what: "alpine", os: "Linux", arch: "X64", musl: true, want: "x86_64-unknown-linux-musl", archive: "uv-x86_64-unknown-linux-musl.tar.gz"},
		{what: "macOS arm64", os: "macOS", arch: "ARM64", want: "aarch64-apple-darwin", archive: "uv-aarch64-apple-darwin.tar.gz"},
		{what: "windows: a zip", os: "Windows", arch: "X64", want: "x86_64-pc-windows-msvc", archive: "uv-x86_64-pc-windows-msvc.zip"},
		{what: "no release for arm32", os: "Linux", arch: "ARM", wantErr: `uv has no release for architecture "ARM"`},
		{what: "unknown OS", os: "Plan9", arch: "X64", wantErr: `uv has no release for OS "Plan9"`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := UVTargetFor(tc.os, tc.arch, tc.musl)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want || got.Archive() != tc.archive {
				t.Errorf("target %s (%s), want %s (%s)", got, got.Archive(), tc.want, tc.archive)
			}
		})
	}
}

// TestResolveUV resolves specs against a manifest's versions (newest
// first), as setup-uv's resolveVersion does.
func TestResolveUV(t *testing.T) {
	t.Parallel()
	versions := []string{"0.6.2", "0.6.1", "0.6.0", "0.5.31", "0.5.4", "0.4.30"}
	tests := []struct {
		what, spec string
		lowest     bool
		versions   []string
		want       string
		wantErr    string
	}{
		{what: "exact needs no manifest", spec: "0.3.1", versions: []string{}, want: "0.3.1"},
		{what: "exact with ==", spec: "==0.5.4", want: "0.5.4"},
		{what: "latest is the first listed", spec: "latest", want: "0.6.2"},
		{what: "latest of an empty manifest", spec: "latest", versions: []string{}, wantErr: "lists no version"},
		{what: "major.minor is a range", spec: "0.5", want: "0.5.31"},
		{what: "x-range", spec: "0.5.x", want: "0.5.31"},
		{what: "lowest strategy", spec: "0.5", lowest: true, want: "0.5.4"},
		{what: "simple minimum is latest", spec: ">=0.5", want: "0.6.2"},
		{what: "simple minimum the latest does not satisfy", spec: ">=0.7", wantErr: "no version found for >=0.7"},
		{what: "PEP 440 set", spec: ">=0.5,<0.6", want: "0.5.31"},
		{what: "PEP 440 compatible release (minor)", spec: "~=0.5.4", want: "0.5.31"},
		{what: "PEP 440 compatible release (major)", spec: "~=0.4", want: "0.6.2"},
		{what: "PEP 440 wildcard", spec: "==0.6.*", want: "0.6.2"},
		{what: "node-semver caret", spec: "^0.6.0", want: "0.6.2"},
		{what: "nothing satisfies", spec: "0.9", wantErr: "no version found for 0.9"},
		{what: "exclusion is not supported", spec: ">=0.5,!=0.6.2", wantErr: "no version found for >=0.5,!=0.6.2"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			vs := versions
			if tc.versions != nil {
				vs = tc.versions
			}
			got, err := ResolveUV(ParseUVVersionSpec(tc.spec), vs, tc.lowest)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ResolveUV(%q) = %q, %v; want error %q", tc.spec, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ResolveUV(%q) = %q, %v; want %q", tc.spec, got, err, tc.want)
			}
		})
	}
}

func TestParseUVVersionSpec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec          string
		exact         string
		latest, needs bool
	}{
		{spec: "0.5.4", exact: "0.5.4"},
		{spec: " ==0.5.4 ", exact: "0.5.4"},
		{spec: "latest", latest: true, needs: true},
		{spec: "latest-known", latest: true, needs: true},
		{spec: "0.5", needs: true},
		{spec: ">=0.4", needs: true},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			t.Parallel()
			s := ParseUVVersionSpec(tc.spec)
			if s.Exact != tc.exact || s.Latest != tc.latest || s.NeedsManifest() != tc.needs {
				t.Errorf("ParseUVVersionSpec(%q) = %+v (needs manifest %v)", tc.spec, s, s.NeedsManifest())
			}
		})
	}
}

func TestParseUVManifest(t *testing.T) {
	t.Parallel()
	const manifest = `{"version":"0.6.2","artifacts":[{"platform":"x86_64-unknown-linux-gnu","variant":"default","url":"https://x/0.6.2/uv-x86_64-unknown-linux-gnu.tar.gz","archive_format":"tar.gz","sha256":"aa"},{"platform":"x86_64-unknown-linux-gnu","variant":"debug","url":"https://x/debug.tar.gz","archive_format":"tar.gz","sha256":"bb"}]}

{"version":"0.6.1","artifacts":[]}
`
	rels, err := ParseUVManifest([]byte(manifest), "m.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(UVVersions(rels), " "); got != "0.6.2 0.6.1" {
		t.Errorf("versions %q", got)
	}
	a, ok := UVArtifactFor(rels, "0.6.2", UVTarget{"x86_64", "unknown-linux-gnu"})
	if !ok || a.SHA256 != "aa" {
		t.Errorf("artifact %+v, %v; want the default variant", a, ok)
	}
	if _, ok := UVArtifactFor(rels, "0.6.1", UVTarget{"x86_64", "unknown-linux-gnu"}); ok {
		t.Error("0.6.1 has no artifact for the target")
	}
	for what, tc := range map[string]struct{ data, want string }{
		"empty":      {"\n", "is empty"},
		"legacy":     {`[{"version":"0.1.0"}]`, "legacy format"},
		"bad line":   {"{\"version\":\"0.1.0\",\"artifacts\":[]}\n{nope", "m.ndjson:2: not a uv versions manifest record"},
		"no version": {`{"artifacts":[]}`, "m.ndjson:1: a uv versions manifest record without a version"},
	} {
		if _, err := ParseUVManifest([]byte(tc.data), "m.ndjson"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", what, err, tc.want)
		}
	}
}

func TestParseUVVersionFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, path, data string
		want             string
		wantOK           bool
		wantErr          string
	}{
		{what: "pyproject required-version", path: "pyproject.toml", data: "[project]\nname = \"x\"\n\n[tool.uv]\nrequired-version = \"==0.5.4\"\n", want: "0.5.4", wantOK: true},
		{what: "pyproject range", path: "pyproject.toml", data: "[tool.uv]\nrequired-version = \">=0.5\"\n", want: ">=0.5", wantOK: true},
		{what: "pyproject without [tool.uv]", path: "pyproject.toml", data: "[project]\nname = \"x\"\n"},
		{what: "pyproject that does not parse", path: "pyproject.toml", data: "[tool.uv\n", wantErr: `could not parse "pyproject.toml"`},
		{what: "uv.toml", path: "sub/uv.toml", data: "required-version = \"0.4.30\"\n", want: "0.4.30", wantOK: true},
		{what: "uv.toml: the key is top-level", path: "uv.toml", data: "[tool.uv]\nrequired-version = \"0.4.30\"\n"},
		{what: ".tool-versions", path: ".tool-versions", data: "python 3.12.1\nuv v0.5.4 # pinned\n", want: "0.5.4", wantOK: true},
		{what: ".tool-versions with two versions", path: ".tool-versions", data: "uv 0.5.4 0.5.3\n"},
		{what: ".tool-versions ref", path: ".tool-versions", data: "uv ref:main\n"},
		{what: "requirements", path: "requirements-dev.txt", data: "pytest\nuv==0.5.4\n", want: "0.5.4", wantOK: true},
		{what: "requirements range", path: "requirements.txt", data: "uv>=0.4 ; python_version>'3'\n", want: ">=0.4", wantOK: true},
		{what: "requirements without uv", path: "requirements.txt", data: "uvicorn==0.30\n"},
		{what: "another kind of file", path: "VERSION", data: "0.5.4\n"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, ok, err := ParseUVVersionFile(tc.path, []byte(tc.data))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want || ok != tc.wantOK {
				t.Errorf("ParseUVVersionFile = %q, %v, %v; want %q, %v", got, ok, err, tc.want, tc.wantOK)
			}
		})
	}
}

func TestUVCacheDirFromFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path, data, want string
		ok               bool
	}{
		{"uv.toml", "cache-dir = \"/tmp/uvc\"\n", "/tmp/uvc", true},
		{"pyproject.toml", "[tool.uv]\ncache-dir = \"./.uv-cache\"\n", "./.uv-cache", true},
		{"pyproject.toml", "cache-dir = \"/x\"\n", "", false},
		{".tool-versions", "uv 0.5.4\n", "", false},
	} {
		got, ok := UVCacheDirFromFile(tc.path, []byte(tc.data))
		if got != tc.want || ok != tc.ok {
			t.Errorf("UVCacheDirFromFile(%s, %q) = %q, %v; want %q, %v", tc.path, tc.data, got, ok, tc.want, tc.ok)
		}
	}
}

package actions

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// UVSources say where astral-sh/setup-uv's uv comes from and where rehearse
// keeps it.
type UVSources struct {
	// DownloadURL is the base of uv's release downloads:
	// <DownloadURL>/<version>/uv-<target>.tar.gz, with a .sha256 beside
	// each. Empty means GitHub's ([toolchain.UVDownloadURL]).
	DownloadURL string
	// Manifest is the versions manifest (astral-sh/versions' format) that
	// "latest" and version ranges are resolved with. Empty means astral's
	// ([toolchain.UVManifestURL]).
	Manifest string
	// Dir keeps the downloaded releases, one directory per version and
	// target. Empty means toolchains/uv under rehearse's cache directory.
	Dir string
	// CacheDir is the uv cache (UV_CACHE_DIR) that host jobs share. Empty
	// means uv under rehearse's cache directory.
	CacheDir string
}

// The settings a user changes to take uv from elsewhere, for messages.
const (
	uvDownloadSetting = "--uv-download-url URL ($REHEARSE_UV_DOWNLOAD_URL, or uv.download-url in the configuration file)"
	uvManifestSetting = "--uv-manifest URL ($REHEARSE_UV_MANIFEST, or uv.manifest in the configuration file)"
)

// setupUVInputs are the inputs of astral-sh/setup-uv the emulation reads,
// or that only concern GitHub's cache service and need nothing here.
var setupUVInputs = []string{
	"version", "version-file", "python-version", "activate-environment", "venv-path",
	"working-directory", "checksum", "github-token", "enable-cache", "cache-dependency-glob",
	"restore-cache", "save-cache", "cache-suffix", "cache-local-path", "prune-cache",
	"ignore-nothing-to-cache", "ignore-empty-workdir", "tool-dir", "tool-bin-dir",
	"manifest-file", "resolution-strategy", "add-problem-matchers",
}

// setupUV emulates astral-sh/setup-uv: it resolves the uv version as the
// action does (version, version-file, uv.toml or pyproject.toml's
// required-version, else latest from the versions manifest), downloads
// that release once into rehearse's cache (checked against its published
// sha256), and puts uv and uvx on the job's PATH: the cached directory
// itself on the host executor, a copy in the job's tool cache in a
// container. Then it sets what the action sets (UV_PYTHON_INSTALL_DIR,
// UV_PYTHON, UV_CACHE_DIR, an activated venv) and its outputs.
func setupUV(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "astral-sh/setup-uv", in, setupUVInputs...)
	j := h.Job()
	wd := j.Paths().Workspace
	if w := in.Get("working-directory"); w != "" {
		wd = jobPath(j, w)
	}
	target, err := uvTarget(ctx, j)
	if err != nil {
		return fmt.Errorf("astral-sh/setup-uv: %w", err)
	}
	lowest := false
	switch s := in.Get("resolution-strategy"); s {
	case "", "highest":
	case "lowest":
		lowest = true
	default:
		return fmt.Errorf("astral-sh/setup-uv: invalid resolution-strategy %q: expected highest or lowest", s)
	}
	spec, err := uvVersionSpec(ctx, in, h, wd)
	if err != nil {
		return err
	}
	version, manifest, err := resolveUVVersion(ctx, in, h, svc.UV, spec, lowest)
	if err != nil {
		return err
	}
	dir, err := provideUV(ctx, in, h, svc.UV, version, target, manifest)
	if err != nil {
		return err
	}
	uvPath := filepath.Join(dir, target.Exe("uv"))
	cacheDir, err := setUVEnvironment(ctx, in, h, svc.UV, wd, uvPath)
	if err != nil {
		return err
	}
	h.SetOutput("uv-version", version)
	h.Log("Successfully installed uv version " + version)
	h.SetOutput("python-version", uvPythonVersion(ctx, h, uvPath, wd))
	if uvCacheEnabled(in, j) {
		uvCacheHit(ctx, in, h, cacheDir)
	}
	return nil
}

// uvTarget is the release target of the job's machine: its OS and
// architecture, and on Linux whether its C library is musl (an Alpine
// container), which the glibc build does not run on.
func uvTarget(ctx context.Context, j executor.Job) (toolchain.UVTarget, error) {
	p := j.Platform()
	musl := false
	if p.OS == "Linux" {
		if entries, err := j.ReadDir(ctx, "/lib"); err == nil {
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "ld-musl-") {
					musl = true
				}
			}
		}
	}
	return toolchain.UVTargetFor(p.OS, p.Arch, musl)
}

// uvDir is where rehearse keeps downloaded uv releases.
func uvDir(src UVSources) (string, error) {
	if src.Dir != "" {
		return src.Dir, nil
	}
	root, err := cache.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "toolchains", "uv"), nil
}

// uvCacheDir is the uv cache host jobs share.
func uvCacheDir(src UVSources) (string, error) {
	if src.CacheDir != "" {
		return src.CacheDir, nil
	}
	root, err := cache.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "uv"), nil
}

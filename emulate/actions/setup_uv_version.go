package actions

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// uvVersionSpec is the version setup-uv installs (setup-uv.ts
// determineVersion): the version input; else the version-file input,
// which must name one; else uv.toml's, else pyproject.toml's
// required-version in the working directory; else latest.
func uvVersionSpec(ctx context.Context, in Inputs, h Host, wd string) (toolchain.UVVersionSpec, error) {
	if v := in.Get("version"); v != "" {
		return toolchain.ParseUVVersionSpec(v), nil
	}
	if f := in.Get("version-file"); f != "" {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		spec, ok := uvVersionFromFile(ctx, h, p)
		if !ok {
			return toolchain.UVVersionSpec{}, fmt.Errorf("astral-sh/setup-uv: Could not determine uv version from file: %s", f)
		}
		return toolchain.ParseUVVersionSpec(spec), nil
	}
	for _, name := range []string{"uv.toml", "pyproject.toml"} {
		if spec, ok := uvVersionFromFile(ctx, h, filepath.Join(wd, name)); ok {
			return toolchain.ParseUVVersionSpec(spec), nil
		}
	}
	h.Log("Could not determine uv version from uv.toml or pyproject.toml. Falling back to latest.")
	return toolchain.ParseUVVersionSpec("latest"), nil
}

// uvVersionFromFile is file-parser.ts getUvVersionFromFile over a file of
// the job: a missing file or one that names no version gives ok false, and
// one that does not parse a warning too.
func uvVersionFromFile(ctx context.Context, h Host, path string) (string, bool) {
	h.Log("Trying to find version for uv in: " + path)
	data, err := h.Job().ReadFile(ctx, path)
	if err != nil {
		h.Log("Could not find file: " + path)
		return "", false
	}
	spec, ok, err := toolchain.ParseUVVersionFile(path, data)
	if err != nil {
		h.Warning(fmt.Sprintf("Error while parsing %s: %v", path, err))
		return "", false
	}
	if ok {
		h.Log(fmt.Sprintf("Found version for uv in %s: %s", path, spec))
	}
	return spec, ok
}

// resolveUVVersion resolves the spec to one version. An exact version needs
// nothing; "latest" and ranges read the versions manifest: the step's
// manifest-file, else the configured one, else astral's. The manifest is
// returned when it was read (nil otherwise).
func resolveUVVersion(ctx context.Context, in Inputs, h Host, src UVSources, spec toolchain.UVVersionSpec, lowest bool) (string, []toolchain.UVRelease, error) {
	if !spec.NeedsManifest() {
		return spec.Exact, nil, nil
	}
	url, hint := in.Get("manifest-file"), "the step's manifest-file input names it"
	if url == "" {
		url, hint = src.Manifest, "point rehearse at a reachable copy with "+uvManifestSetting+", or pin an exact version (with: version: 0.5.4), which needs no manifest"
		if url == "" {
			url = toolchain.UVManifestURL
		}
	}
	h.Log(fmt.Sprintf("Fetching manifest data from %s ...", url))
	data, err := toolchain.Fetch(ctx, url, 64<<20)
	if err != nil {
		return "", nil, fmt.Errorf("astral-sh/setup-uv: could not read the uv versions manifest %s: %v; %s", url, err, hint)
	}
	releases, err := toolchain.ParseUVManifest(data, url)
	if err != nil {
		return "", nil, fmt.Errorf("astral-sh/setup-uv: %w", err)
	}
	v, err := toolchain.ResolveUV(spec, toolchain.UVVersions(releases), lowest)
	if err != nil {
		return "", nil, fmt.Errorf("astral-sh/setup-uv: %w (in the manifest %s)", err, url)
	}
	if spec.Latest {
		h.Log(fmt.Sprintf("Resolved latest to uv %s", v))
	} else {
		h.Log(fmt.Sprintf("Resolved %s to uv %s", spec.Raw, v))
	}
	return v, releases, nil
}

// uvDownloadError is a failed download, naming the URL and the setting
// that chooses where uv comes from.
func uvDownloadError(version, url string, fromManifestInput bool, err error) error {
	var fe *toolchain.FetchError
	if !errors.As(err, &fe) {
		return fmt.Errorf("astral-sh/setup-uv: %w", err)
	}
	msg := fmt.Sprintf("astral-sh/setup-uv: could not download uv %s from %s: %v", version, url, err)
	if fe.NotFound() {
		msg += fmt.Sprintf(" (the source has no such release: is %s a uv version?)", version)
	}
	if fromManifestInput {
		return fmt.Errorf("%s; the URL is the step's manifest-file's", msg)
	}
	return fmt.Errorf("%s; to download uv from elsewhere (a mirror laid out as URL/<version>/%s), set %s", msg, filepath.Base(url), uvDownloadSetting)
}

package actions

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// provideUV makes uv of version available in the job and returns the
// directory, as the job sees it, that holds uv and uvx. As setup-uv does,
// the job's tool cache comes first ($RUNNER_TOOL_CACHE/uv/<version>/<arch>,
// where an image may have it); else the release is downloaded into
// rehearse's cache, once for every job and run. A host job uses the cached
// directory as it is; a container job gets a copy in its tool cache, laid
// out as @actions/tool-cache lays it out.
func provideUV(ctx context.Context, in Inputs, h Host, src UVSources, version string, target toolchain.UVTarget, manifest []toolchain.UVRelease) (string, error) {
	j := h.Job()
	toolDir := filepath.Join(j.Paths().ToolCache, "uv", version, target.Arch)
	if entries, err := j.ReadDir(ctx, toolDir); err == nil {
		for _, e := range entries {
			if e.Name() == target.Exe("uv") {
				h.Log("Found uv in tool-cache for " + version)
				return toolDir, nil
			}
		}
	}
	base := strings.TrimSuffix(src.DownloadURL, "/")
	if base == "" {
		base = toolchain.UVDownloadURL
	}
	d := toolchain.UVDownload{
		Version: version, Target: target,
		URL:    base + "/" + version + "/" + target.Archive(),
		SHA256: in.Get("checksum"),
	}
	// A manifest-file names its own archives, with their checksums, as
	// setup-uv downloads them.
	fromInput := false
	if in.Get("manifest-file") != "" {
		if a, ok := toolchain.UVArtifactFor(manifest, version, target); ok && a.URL != "" {
			d.URL, fromInput = a.URL, true
			if d.SHA256 == "" {
				d.SHA256 = a.SHA256
			}
		}
	}
	var err error
	if d.Dir, err = uvDir(src); err != nil {
		return "", fmt.Errorf("astral-sh/setup-uv: %w", err)
	}
	inst, err := toolchain.InstallUV(ctx, d)
	if err != nil {
		return "", uvDownloadError(version, d.URL, fromInput, err)
	}
	switch {
	case !inst.Downloaded:
		h.Log(fmt.Sprintf("Found uv %s in rehearse's cache (%s)", version, inst.Dir))
	case inst.Checksum == "":
		h.Log(fmt.Sprintf("Downloaded uv from %q into rehearse's cache (%s)", d.URL, inst.Dir))
		h.Warning(fmt.Sprintf("astral-sh/setup-uv: %s publishes no checksum (%s.sha256), so uv %s was installed without verifying it", d.URL, d.URL, version))
	default:
		h.Log(fmt.Sprintf("Downloaded uv from %q into rehearse's cache (%s); its sha256 matches %s", d.URL, inst.Dir, inst.Checksum))
	}
	if _, local := j.HostPath("/"); local {
		return inst.Dir, nil
	}
	if err := importDir(ctx, j, inst.Dir, toolDir); err != nil {
		return "", fmt.Errorf("astral-sh/setup-uv: could not copy uv into the job's tool cache %s: %w", toolDir, err)
	}
	if err := j.WriteFile(ctx, toolDir+".complete", nil, 0o644); err != nil {
		return "", fmt.Errorf("astral-sh/setup-uv: %w", err)
	}
	h.Log(fmt.Sprintf("Copied uv %s into the job's tool cache (%s)", version, toolDir))
	return toolDir, nil
}

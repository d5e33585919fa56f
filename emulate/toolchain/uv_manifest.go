package toolchain

import (
	"encoding/json"
	"fmt"
	"strings"
)

// UVRelease is one record of a uv versions manifest in astral-sh/versions'
// format (what setup-uv's manifest-file input takes).
type UVRelease struct {
	Version   string       `json:"version"`
	Artifacts []UVArtifact `json:"artifacts"`
}

// UVArtifact is one archive of a [UVRelease].
type UVArtifact struct {
	// Platform is the target triple, "x86_64-unknown-linux-gnu".
	Platform string `json:"platform"`
	// Variant is "default" or another build of the same target.
	Variant       string `json:"variant"`
	URL           string `json:"url"`
	ArchiveFormat string `json:"archive_format"`
	SHA256        string `json:"sha256"`
}

// ParseUVManifest reads a versions manifest: one JSON record per line,
// newest first, blank lines skipped. source names it in errors. setup-uv's
// older format, one JSON array, is refused as setup-uv refuses it.
func ParseUVManifest(data []byte, source string) ([]UVRelease, error) {
	text := strings.TrimSpace(string(data))
	if text == "" {
		return nil, fmt.Errorf("the uv versions manifest %s is empty", source)
	}
	if strings.HasPrefix(text, "[") {
		return nil, fmt.Errorf("the uv versions manifest %s is a JSON array, setup-uv's legacy format; give one in astral-sh/versions' format (one JSON record per line)", source)
	}
	var out []UVRelease
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var r UVRelease
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: not a uv versions manifest record: %v", source, i+1, err)
		}
		if r.Version == "" {
			return nil, fmt.Errorf("%s:%d: a uv versions manifest record without a version", source, i+1)
		}
		out = append(out, r)
	}
	return out, nil
}

// UVVersions lists a manifest's versions in its order.
func UVVersions(releases []UVRelease) []string {
	out := make([]string, len(releases))
	for i, r := range releases {
		out[i] = r.Version
	}
	return out
}

// UVArtifactFor is the archive of version for target in a manifest: the
// "default" variant when there are several, as setup-uv picks it.
func UVArtifactFor(releases []UVRelease, version string, target UVTarget) (UVArtifact, bool) {
	for _, r := range releases {
		if r.Version != version {
			continue
		}
		var found []UVArtifact
		for _, a := range r.Artifacts {
			if a.Platform == target.String() {
				found = append(found, a)
			}
		}
		for _, a := range found {
			if a.Variant == "" || a.Variant == "default" {
				return a, true
			}
		}
		if len(found) > 0 {
			return found[0], true
		}
	}
	return UVArtifact{}, false
}

package toolchain

import (
	"encoding/json"
	"fmt"
	"strings"
)

// PythonManifestURL is the manifest setup-python downloads Python builds
// from (install-python.ts MANIFEST_URL).
const PythonManifestURL = pythonManifestURL

// PythonRelease is one version of actions/python-versions'
// versions-manifest.json.
type PythonRelease struct {
	Version    string              `json:"version"`
	Stable     bool                `json:"stable"`
	ReleaseURL string              `json:"release_url"`
	Files      []PythonReleaseFile `json:"files"`
}

// PythonReleaseFile is one build of a release.
type PythonReleaseFile struct {
	Filename        string `json:"filename"`
	Arch            string `json:"arch"`
	Platform        string `json:"platform"`
	PlatformVersion string `json:"platform_version"`
	DownloadURL     string `json:"download_url"`
}

// ParsePythonManifest reads a versions-manifest.json.
func ParsePythonManifest(data []byte) ([]PythonRelease, error) {
	var m []PythonRelease
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("not a python-versions manifest: %w", err)
	}
	return m, nil
}

// FindPythonBuild picks the build setup-python would download for spec on
// a Linux machine whose os-release VERSION_ID is osVersion, as
// install-python.ts findReleaseFromManifest does through @actions/tool-cache
// findFromManifest: the first release in manifest order whose version
// satisfies the (desugared) spec with a file for the platform, the
// architecture (arch, or arch-freethreaded) and the OS version (equal, or
// satisfying the file's platform_version as a range).
func FindPythonBuild(manifest []PythonRelease, spec string, opts PythonOptions, osVersion string) (PythonRelease, PythonReleaseFile, error) {
	version, freethreaded := desugarVersion(strings.TrimSpace(spec))
	semantic := pythonVersionToSemantic(version, opts.AllowPreReleases)
	if opts.Freethreaded {
		freethreaded = true
	}
	arch := opts.Architecture
	if arch == "" {
		arch = Architecture()
	}
	if freethreaded {
		arch += "-freethreaded"
	}
	exact, isExact := clean(semantic)
	for _, rel := range manifest {
		if isExact {
			if rel.Version != exact {
				continue
			}
		} else if !satisfies(rel.Version, semantic) {
			continue
		}
		for _, f := range rel.Files {
			if f.Arch != arch || f.Platform != "linux" {
				continue
			}
			if f.PlatformVersion != "" && f.PlatformVersion != osVersion && !satisfies(coerceOr(osVersion), f.PlatformVersion) {
				continue
			}
			return rel, f, nil
		}
	}
	return PythonRelease{}, PythonReleaseFile{}, &NotFoundError{
		Tool: "python", Spec: spec,
		Message: fmt.Sprintf("The version '%s' with architecture '%s' was not found for this operating system.\nThe list of all available versions can be found here: %s", spec, arch, pythonManifestURL),
	}
}

// PythonBuildsFor lists the versions a manifest has for an OS version and
// architecture, newest first, for messages.
func PythonBuildsFor(manifest []PythonRelease, osVersion, arch string) []string {
	var out []string
	for _, rel := range manifest {
		for _, f := range rel.Files {
			if f.Arch == arch && f.Platform == "linux" && (f.PlatformVersion == "" || f.PlatformVersion == osVersion) {
				out = append(out, rel.Version)
				break
			}
		}
	}
	return out
}

// PythonPlatformVersions lists the OS versions a manifest has Linux builds
// for, for messages.
func PythonPlatformVersions(manifest []PythonRelease) []string {
	seen := map[string]bool{}
	var out []string
	for _, rel := range manifest {
		for _, f := range rel.Files {
			if f.Platform == "linux" && !seen[f.PlatformVersion] {
				seen[f.PlatformVersion] = true
				out = append(out, f.PlatformVersion)
			}
		}
	}
	return out
}

// coerceOr is semver.coerce of an OS version ("24.04" is 24.4.0), or the
// text itself when it has no number.
func coerceOr(v string) string {
	if c, ok := coerce(v); ok {
		return c
	}
	return v
}

package toolchain

import (
	"fmt"
	"strings"
)

// UVDownloadURL is where uv's releases are downloaded from, as
// astral-sh/setup-uv downloads them: <UVDownloadURL>/<version>/<archive>,
// each archive with a <archive>.sha256 beside it.
const UVDownloadURL = "https://github.com/astral-sh/uv/releases/download"

// UVManifestURL is the versions manifest setup-uv resolves "latest" and
// version ranges with (astral-sh/versions, one JSON record per line, newest
// first).
const UVManifestURL = "https://raw.githubusercontent.com/astral-sh/versions/main/v1/uv.ndjson"

// UVTarget is the Rust target triple a uv release archive is built for,
// split as setup-uv splits it: Arch "x86_64", Platform
// "unknown-linux-gnu".
type UVTarget struct {
	Arch, Platform string
}

// String is the triple: "x86_64-unknown-linux-gnu".
func (t UVTarget) String() string { return t.Arch + "-" + t.Platform }

// Archive is the release file of the target: uv-<triple>.tar.gz, or .zip
// for Windows.
func (t UVTarget) Archive() string {
	if t.Platform == "pc-windows-msvc" {
		return "uv-" + t.String() + ".zip"
	}
	return "uv-" + t.String() + ".tar.gz"
}

// Exe is the name of a uv executable ("uv", "uvx") on the target.
func (t UVTarget) Exe(name string) string {
	if t.Platform == "pc-windows-msvc" {
		return name + ".exe"
	}
	return name
}

// UVTargetFor is the target setup-uv downloads for a runner's OS and
// architecture (runner.os, runner.arch: "Linux", "X64"), as
// src/utils/platforms.ts maps them; musl is a Linux whose C library is
// musl (Alpine), which the glibc build does not run on.
func UVTargetFor(os, arch string, musl bool) (UVTarget, error) {
	var t UVTarget
	switch arch {
	case "X64":
		t.Arch = "x86_64"
	case "ARM64":
		t.Arch = "aarch64"
	case "X86":
		t.Arch = "i686"
	default:
		return t, fmt.Errorf("uv has no release for architecture %q (it has X64, ARM64 and X86)", arch)
	}
	switch os {
	case "Linux":
		t.Platform = "unknown-linux-gnu"
		if musl {
			t.Platform = "unknown-linux-musl"
		}
	case "macOS":
		t.Platform = "apple-darwin"
	case "Windows":
		t.Platform = "pc-windows-msvc"
	default:
		return t, fmt.Errorf("uv has no release for OS %q (it has Linux, macOS and Windows)", os)
	}
	return t, nil
}

// UVVersionSpec is a version input of setup-uv, read as
// src/version/specifier.ts reads it.
type UVVersionSpec struct {
	// Raw is the spec as given, trimmed.
	Raw string
	// Exact is the version when the spec names one ("0.5.4", "==0.5.4").
	Exact string
	// Latest is set for "latest" (and "latest-known", which setup-uv
	// resolves from the versions it was released with, here the newest).
	Latest bool
}

// ParseUVVersionSpec reads a version spec: "latest", an exact version
// (what semver.clean accepts, after a leading "=="), or a range.
func ParseUVVersionSpec(spec string) UVVersionSpec {
	s := UVVersionSpec{Raw: strings.TrimSpace(spec)}
	norm := strings.TrimPrefix(s.Raw, "==")
	switch {
	case norm == "latest" || norm == "latest-known":
		s.Latest = true
	default:
		if v, ok := clean(norm); ok {
			s.Exact = v
		}
	}
	return s
}

// NeedsManifest reports whether resolving the spec needs the versions
// manifest (anything but an exact version).
func (s UVVersionSpec) NeedsManifest() bool { return s.Exact == "" }

// ResolveUV resolves a spec against the versions of a manifest (newest
// first), as setup-uv's resolveVersion does: an exact version is itself;
// "latest" is the first version listed; a simple minimum (">=0.4", no
// comma) with the highest strategy is the latest, which must satisfy it;
// another range is the highest (or, with lowest, the lowest) satisfying
// version. Ranges are node-semver ranges, or PEP 440 specifiers
// ("~=0.5", ">=0.4,<0.6", "==0.5.*").
func ResolveUV(spec UVVersionSpec, versions []string, lowest bool) (string, error) {
	if spec.Exact != "" {
		return spec.Exact, nil
	}
	if spec.Latest || (!lowest && strings.Contains(spec.Raw, ">") && !strings.Contains(spec.Raw, ",")) {
		if len(versions) == 0 {
			return "", fmt.Errorf("the uv versions manifest lists no version")
		}
		if !spec.Latest && !satisfies(versions[0], pep440Range(spec.Raw)) {
			return "", fmt.Errorf("no version found for %s", spec.Raw)
		}
		return versions[0], nil
	}
	rng := pep440Range(spec.Raw)
	best := -1
	var bestV semver
	for i, s := range versions {
		if !satisfies(s, rng) {
			continue
		}
		v, err := parseSemver(s, false)
		if err != nil {
			continue
		}
		if best < 0 || (lowest && v.compare(bestV) < 0) || (!lowest && v.compare(bestV) > 0) {
			best, bestV = i, v
		}
	}
	if best < 0 {
		return "", fmt.Errorf("no version found for %s", spec.Raw)
	}
	return versions[best], nil
}

var pep440Compatible = lazyRegexp(`^~=\s*(\d+(?:\.\d+)+)$`)

// pep440Range turns a PEP 440 specifier set into a node-semver range
// ("~=0.5.1,!=..." is not supported and matches nothing); a node-semver
// range passes through.
func pep440Range(spec string) string {
	var parts []string
	for _, clause := range strings.Split(spec, ",") {
		c := strings.TrimSpace(clause)
		switch {
		case c == "":
			continue
		case pep440Compatible().MatchString(c):
			// ~=X.Y[.Z]: >=X.Y[.Z] and the same release up to the last
			// component (~=0.5 is >=0.5 <1, ~=0.5.1 is >=0.5.1 <0.6).
			nums := strings.Split(pep440Compatible().FindStringSubmatch(c)[1], ".")
			upper := append([]string(nil), nums[:len(nums)-1]...)
			upper[len(upper)-1] = fmt.Sprint(atoi(upper[len(upper)-1]) + 1)
			for len(upper) < 3 {
				upper = append(upper, "0")
			}
			parts = append(parts, ">="+strings.Join(nums, "."), "<"+strings.Join(upper, ".")+"-0")
		case strings.HasPrefix(c, "=="):
			parts = append(parts, strings.ReplaceAll(strings.TrimSpace(c[2:]), "*", "x"))
		case strings.HasPrefix(c, "!="):
			return "<0.0.0-0" // not expressible: nothing matches
		default:
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " ")
}

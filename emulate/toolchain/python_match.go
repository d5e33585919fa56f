package toolchain

import (
	"errors"
	"fmt"
	"strings"
)

// PythonOptions are the setup-python inputs besides python-version that
// change which interpreter is picked.
type PythonOptions struct {
	// AllowPreReleases is `allow-prereleases`: "3.14" may then match
	// 3.14.0-rc.1 when no 3.14 release is installed.
	AllowPreReleases bool
	// Freethreaded is `freethreaded`: pick a free-threaded build, as the
	// "t" suffix ("3.13t") does.
	Freethreaded bool
	// Architecture is `architecture`, only used in messages; "" is the
	// machine's ([Architecture]).
	Architecture string
}

// pythonManifestURL is install-python.ts MANIFEST_URL, quoted in the
// not-found message.
const pythonManifestURL = "https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json"

// MatchPythonWith picks the interpreter setup-python would for
// python-version among the installed ones, standing in for its tool cache
// (actions/setup-python src/find-python.ts useCpythonVersion and
// src/find-pypy.ts findPyPyToolCache, over @actions/tool-cache find):
//
//   - "3.11", "3.x", ">=3.9 <3.12", "~3.10", "^3.8" are node-semver ranges
//     and the highest installed version satisfying them wins;
//   - "3.11.7" and "3.13.0-alpha.1" are exact;
//   - "3.13.0a1" is Python's spelling of 3.13.0-alpha.1;
//   - "3.13-dev" is ~3.13.0-0, which admits 3.13 prereleases;
//   - "3.13t" (or Freethreaded) needs a free-threaded build;
//   - "pypy3.10", "pypy-3.10" and "pypy3.10-v7.3.x" pick a PyPy;
//   - a prerelease only satisfies a range that names one, unless
//     AllowPreReleases widens a bare "3.14".
//
// When nothing matches the error is a *[NotFoundError] whose Message is
// setup-python's.
func MatchPythonWith(installed []Python, spec string, opts PythonOptions) (Python, error) {
	spec = strings.TrimSpace(spec)
	arch := opts.Architecture
	if arch == "" {
		arch = Architecture()
	}
	switch {
	case spec == "":
		return Python{}, errors.New("python version is empty")
	case strings.HasPrefix(spec, "graalpy"):
		return Python{}, &UnsupportedError{Tool: "python", Spec: spec, Reason: "GraalPy is not looked for on this machine"}
	case strings.HasPrefix(spec, "pypy"):
		return matchPyPy(installed, spec, arch)
	}

	version, freethreaded := desugarVersion(spec)
	semantic := pythonVersionToSemantic(version, opts.AllowPreReleases)
	if opts.Freethreaded {
		freethreaded = true
	}
	if freethreaded {
		arch += "-freethreaded"
	}

	var cands []Python
	var versions []string
	for _, p := range installed {
		if p.Impl == "CPython" && p.Freethreaded == freethreaded {
			cands = append(cands, p)
			versions = append(versions, p.Version)
		}
	}
	if i, ok := toolCacheFind(versions, semantic); ok {
		return cands[i], nil
	}
	hint := fmt.Sprintf("install it with `pyenv install %s` or `uv python install %s`", spec, spec)
	return Python{}, &NotFoundError{
		Tool:      "python",
		Spec:      spec,
		Message:   fmt.Sprintf("The version '%s' with architecture '%s' was not found for this operating system.\nThe list of all available versions can be found here: %s", spec, arch, pythonManifestURL),
		Installed: describePythons(installed),
		Hint:      hint,
	}
}

// toolCacheFind is @actions/tool-cache find for one tool: an explicit
// version (after semver.clean) must be present as is; anything else is a
// range and the highest satisfying version wins (evaluateVersions).
func toolCacheFind(versions []string, spec string) (int, bool) {
	if exact, ok := clean(spec); ok {
		for i, v := range versions {
			if v == exact {
				return i, true
			}
		}
		return 0, false
	}
	return highestSatisfying(versions, spec)
}

var (
	ftPrerelease = lazyRegexp(`(\d+\.\d+\.\d+)((?:a|b|rc)\d*)(t)`)
	ftMajorMinor = lazyRegexp(`^(\d+\.\d+(\.\d+)?)(t)$`)
	ftDev        = lazyRegexp(`^(\d+\.\d+)(t)(-dev)$`)
	devVersion   = lazyRegexp(`^(\d+)\.(\d+)-dev$`)
	pyPrerelease = lazyRegexp(`(\d+\.\d+\.\d+)(a|b|rc)(\d+)`)
	majorMinor   = lazyRegexp(`^(\d+)\.(\d+)$`)
)

// desugarVersion is find-python.ts desugarVersion: strip the free-threaded
// "t" and turn "3.14-dev" into "~3.14.0-0".
func desugarVersion(spec string) (string, bool) {
	version, freethreaded := spec, false
	switch {
	case ftPrerelease().MatchString(spec):
		version, freethreaded = ftPrerelease().ReplaceAllString(spec, "${1}${2}"), true
	case ftMajorMinor().MatchString(spec):
		version, freethreaded = ftMajorMinor().ReplaceAllString(spec, "${1}"), true
	case ftDev().MatchString(spec):
		version, freethreaded = ftDev().ReplaceAllString(spec, "${1}${3}"), true
	}
	return devVersion().ReplaceAllString(version, "~${1}.${2}.0-0"), freethreaded
}

// pythonVersionToSemantic is find-python.ts pythonVersionToSemantic:
// "3.7.0b2" becomes "3.7.0-beta.2"; with allowPreReleases "3.14" becomes
// "~3.14.0-0".
func pythonVersionToSemantic(spec string, allowPreReleases bool) string {
	names := map[string]string{"a": "alpha", "b": "beta", "rc": "rc"}
	result := pyPrerelease().ReplaceAllStringFunc(spec, func(m string) string {
		g := pyPrerelease().FindStringSubmatch(m)
		return g[1] + "-" + names[g[2]] + "." + g[3]
	})
	if allowPreReleases {
		result = majorMinor().ReplaceAllString(result, "~${1}.${2}.0-0")
	}
	return result
}

// pyPySpec is find-pypy.ts IPyPyVersionSpec.
type pyPySpec struct {
	pythonVersion, pypyVersion string
}

var pythonXY = lazyRegexp(`^\d+\.\d+$`)

// parsePyPyVersion is find-pypy.ts parsePyPyVersion; messages are its own.
func parsePyPyVersion(spec string) (pyPySpec, error) {
	var parts []string
	for _, p := range strings.Split(spec, "-") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) > 0 && strings.HasPrefix(parts[0], "pypy") && len(parts[0]) > len("pypy") {
		parts = append([]string{"pypy", strings.TrimPrefix(parts[0], "pypy")}, parts[1:]...)
	}
	if len(parts) < 2 || parts[0] != "pypy" {
		return pyPySpec{}, &ActionError{"Invalid 'version' property for PyPy. PyPy version should be specified as 'pypy<python-version>' or 'pypy-<python-version>'. See README for examples and documentation."}
	}
	s := pyPySpec{pythonVersion: parts[1], pypyVersion: "x"}
	if len(parts) > 2 {
		s.pypyVersion = pypyVersionToSemantic(parts[2])
	}
	if !validateVersion(s.pythonVersion) || !validateVersion(s.pypyVersion) {
		return pyPySpec{}, &ActionError{"Invalid 'version' property for PyPy. Both Python version and PyPy versions should satisfy SemVer notation. See README for examples and documentation."}
	}
	if !pythonXY().MatchString(s.pythonVersion) {
		return pyPySpec{}, &ActionError{"Invalid format of Python version for PyPy. Python version should be specified in format 'x.y'. See README for examples and documentation."}
	}
	return s, nil
}

var pypyPrerelease = lazyRegexp(`(\d+\.\d+\.\d+)(a|b|rc)(\d*)`)

// pypyVersionToSemantic is install-pypy.ts pypyVersionToSemantic:
// "v7.3.3rc1" becomes "v7.3.3-rc.1".
func pypyVersionToSemantic(v string) string {
	return pypyPrerelease().ReplaceAllString(v, "${1}-${2}.${3}")
}

// validateVersion is utils.ts validateVersion.
func validateVersion(v string) bool {
	if v == "nightly" {
		return true
	}
	_, ok := validRange(v, false)
	return ok
}

// matchPyPy is findPyPyToolCache: the tool cache is keyed by the Python
// version, so the highest Python version wins first, and then its PyPy
// version must satisfy the PyPy part of the spec.
func matchPyPy(installed []Python, spec, arch string) (Python, error) {
	ps, err := parsePyPyVersion(spec)
	if err != nil {
		return Python{}, err
	}
	if ps.pypyVersion == "nightly" {
		return Python{}, &UnsupportedError{Tool: "python", Spec: spec, Reason: "PyPy nightly builds are downloaded, never found on this machine"}
	}
	var cands []Python
	var versions []string
	for _, p := range installed {
		if p.Impl == "PyPy" {
			cands = append(cands, p)
			versions = append(versions, p.Version)
		}
	}
	if i, ok := toolCacheFind(versions, ps.pythonVersion); ok {
		best := -1
		var bestV semver
		for j, p := range cands {
			if p.Version != cands[i].Version || !satisfies(p.ImplVersion, ps.pypyVersion) {
				continue
			}
			v, _ := parseSemver(p.ImplVersion, false)
			if best < 0 || v.compare(bestV) > 0 {
				best, bestV = j, v
			}
		}
		if best >= 0 {
			return cands[best], nil
		}
	}
	return Python{}, &NotFoundError{
		Tool:      "python",
		Spec:      spec,
		Message:   fmt.Sprintf("PyPy version %s (%s) with arch %s not found", ps.pythonVersion, ps.pypyVersion, arch),
		Installed: describePythons(installed),
		Hint:      fmt.Sprintf("install it with `pyenv install pypy%s` or `uv python install pypy@%s`", ps.pythonVersion, ps.pythonVersion),
	}
}

// describePythons names installed interpreters for messages: 3.12.1,
// 3.13.0t, pypy3.10 (7.3.16).
func describePythons(ps []Python) []string {
	var out []string
	for _, p := range ps {
		switch {
		case p.Impl == "PyPy":
			out = append(out, fmt.Sprintf("pypy%s (%s)", p.Version, p.ImplVersion))
		case p.Freethreaded:
			out = append(out, p.Version+"t")
		case p.Impl != "CPython":
			out = append(out, strings.ToLower(p.Impl)+p.Version)
		default:
			out = append(out, p.Version)
		}
	}
	return out
}

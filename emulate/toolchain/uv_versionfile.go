package toolchain

import (
	"fmt"
	"path/filepath"
	"strings"
)

// ParseUVVersionFile reads the uv version a file asks for, as setup-uv's
// getUvVersionFromFile does (src/version/file-parser.ts), by the file's
// name:
//
//   - .tool-versions: the "uv" line's one version (a "v" prefix dropped);
//   - uv.toml: required-version;
//   - pyproject.toml: [tool.uv] required-version;
//   - *.txt: the first requirement on uv ("uv==0.5.4", "uv>=0.4").
//
// A leading "==" is dropped. ok is false when the file asks for no version
// (or is of none of these kinds); err is a file that does not parse.
// pyproject.toml's dependency arrays are not read (setup-uv falls back to
// them when [tool.uv] has no required-version).
func ParseUVVersionFile(path string, data []byte) (spec string, ok bool, err error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	name := filepath.Base(path)
	switch {
	case strings.HasSuffix(name, ".tool-versions"):
		spec, ok = toolVersionsUV(text)
	case strings.HasSuffix(name, "uv.toml"):
		spec, ok, err = tomlString(path, text, "required-version")
	case strings.HasSuffix(name, "pyproject.toml"):
		spec, ok, err = tomlString(path, text, "tool.uv.required-version")
	case strings.HasSuffix(name, ".txt"):
		spec, ok = requirementsUV(text)
	}
	if err != nil || !ok {
		return "", false, err
	}
	return strings.TrimPrefix(strings.TrimSpace(spec), "=="), true, nil
}

// UVCacheDirFromFile is uv's cache-dir setting in uv.toml (cache-dir) or
// pyproject.toml ([tool.uv] cache-dir), which setup-uv leaves to uv
// rather than setting UV_CACHE_DIR.
func UVCacheDirFromFile(path string, data []byte) (string, bool) {
	key := "cache-dir"
	if strings.HasSuffix(filepath.Base(path), "pyproject.toml") {
		key = "tool.uv.cache-dir"
	} else if !strings.HasSuffix(path, ".toml") {
		return "", false
	}
	v, ok, err := tomlString(path, string(data), key)
	return v, ok && err == nil
}

func tomlString(path, text, key string) (string, bool, error) {
	doc, err := parseTOML(text)
	if err != nil {
		return "", false, fmt.Errorf("could not parse %q: %w", path, err)
	}
	v, ok := doc.strings[key]
	return v, ok, nil
}

// toolVersionsUV is tool-versions-file.ts getUvVersionFromToolVersions: the
// uv line must name one version, and a "ref:" version is not a release.
func toolVersionsUV(text string) (string, bool) {
	for _, line := range strings.Split(text, "\n") {
		content, _, _ := strings.Cut(line, "#")
		fields := strings.Fields(content)
		if len(fields) == 0 || fields[0] != "uv" {
			continue
		}
		if len(fields) != 2 {
			return "", false
		}
		v := strings.TrimPrefix(fields[1], "v")
		if strings.HasPrefix(v, "ref") {
			return "", false
		}
		return v, true
	}
	return "", false
}

var uvRequirement = lazyRegexp(`^uv([=<>~!]+\S*)`)

// requirementsUV is the version part of the first requirement on uv in a
// requirements file.
func requirementsUV(text string) (string, bool) {
	for _, line := range strings.Split(text, "\n") {
		if m := uvRequirement().FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			return strings.TrimSpace(m[1]), true
		}
	}
	return "", false
}

package toolchain

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// PythonVersionFile reads python-version-file as setup-python does
// (src/utils.ts getVersionInputFromFile) and returns the version specs in
// order:
//
//   - *.toml: project.requires-python when a [project] table exists, else
//     tool.poetry.dependencies.python; commas become spaces and the result
//     is normalized by validRange(…, loose), dropping what does not parse;
//   - a name containing ".tool-versions": the first "python" line;
//   - a name containing "Pipfile": [requires] python_full_version, else
//     python_version;
//   - anything else (.python-version): one spec per line, "#" lines and
//     blank lines skipped, a pyenv virtualenv suffix ("3.12/envs/x") cut.
func PythonVersionFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	return ParsePythonVersionFile(path, data, err)
}

// ParsePythonVersionFile is [PythonVersionFile] over a file already read
// (data, and the error reading it gave), for a file of a job that is not on
// this machine.
func ParsePythonVersionFile(path string, data []byte, readErr error) ([]string, error) {
	if errors.Is(readErr, fs.ErrNotExist) {
		return nil, &ActionError{fmt.Sprintf("The specified python version file at: %s doesn't exist.", path)}
	}
	if readErr != nil {
		return nil, fmt.Errorf("could not read python version file %q: %w", path, readErr)
	}
	text := string(data)
	name := filepath.Base(path)
	switch {
	case strings.HasSuffix(path, ".toml"):
		return pyprojectVersions(path, text)
	case strings.Contains(name, ".tool-versions"):
		return toolVersionsPython(text), nil
	case strings.Contains(name, "Pipfile"):
		return pipfileVersions(path, text)
	default:
		return plainVersions(text), nil
	}
}

var lineBreaks = lazyRegexp(`\r\n|\r|\n`)

func plainVersions(text string) []string {
	var out []string
	for _, line := range lineBreaks().Split(strings.TrimSpace(text), -1) {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		v, _, _ := strings.Cut(strings.TrimSpace(line), "/")
		out = append(out, v)
	}
	return out
}

var toolVersionsLine = lazyRegexp(`^\s*python\s+v?([^\s#]+)`)

func toolVersionsPython(text string) []string {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if m := toolVersionsLine().FindStringSubmatch(line); m != nil {
			return []string{m[1]}
		}
	}
	return nil
}

func pyprojectVersions(path, text string) ([]string, error) {
	doc, err := parseTOML(text)
	if err != nil {
		return nil, fmt.Errorf("could not parse %q: %w", path, err)
	}
	key := "tool.poetry.dependencies.python"
	if doc.top["project"] {
		key = "project.requires-python"
	}
	raw, ok := doc.strings[key]
	if !ok {
		return nil, nil
	}
	if r, ok := validRange(strings.Join(strings.Split(raw, ","), " "), true); ok {
		return []string{r}, nil
	}
	return nil, nil
}

func pipfileVersions(path, text string) ([]string, error) {
	doc, err := parseTOML(strings.ReplaceAll(text, "\r\n", "\n"))
	if err != nil {
		return nil, fmt.Errorf("could not parse %q: %w", path, err)
	}
	for _, key := range []string{"requires.python_full_version", "requires.python_version"} {
		if v, ok := doc.strings[key]; ok {
			return []string{v}, nil
		}
	}
	return nil, nil
}

// PythonSpecs are the versions a setup-python step with these inputs
// (names in lower case) asks for, as its action reads them: the lines of
// python-version, else python-version-file's, else .python-version's,
// files relative to root.
func PythonSpecs(inputs map[string]string, root string) []string {
	var specs []string
	switch {
	case inputs["python-version"] != "":
		for _, l := range strings.Split(inputs["python-version"], "\n") {
			if l = strings.TrimSpace(l); l != "" {
				specs = append(specs, l)
			}
		}
	case inputs["python-version-file"] != "":
		specs, _ = PythonVersionFile(filepath.Join(root, inputs["python-version-file"]))
	default:
		specs, _ = PythonVersionFile(filepath.Join(root, ".python-version"))
	}
	return specs
}

package actions

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// setupPython emulates actions/setup-python. As on GitHub it first looks in
// the job's tool cache ($RUNNER_TOOL_CACHE/Python/<version>/<arch>), where
// the container executor installs the builds GitHub's setup-python
// downloads. On the host executor, a version the tool cache lacks is taken
// from the interpreters installed on this machine, in a per-job virtual
// environment so that the job's pip installs stay out of them (on GitHub
// the VM is thrown away; here it is not). Each listed version is set up in
// order, the last listed first on PATH.
func setupPython(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/setup-python", in, "python-version", "python-version-file", "cache", "cache-dependency-path", "architecture", "check-latest", "token", "update-environment", "allow-prereleases", "freethreaded", "pip-version", "pip-install")
	j := h.Job()
	specs, err := pythonSpecs(ctx, in, h)
	if err != nil {
		return err
	}
	arch := in.Get("architecture")
	if arch == "" {
		arch = executor.ToolArch(j.Platform().Arch)
	}
	opts := toolchain.PythonOptions{
		AllowPreReleases: inputTrue(in.Get("allow-prereleases")),
		Freethreaded:     inputTrue(in.Get("freethreaded")),
		Architecture:     arch,
	}
	if inputTrue(in.Get("check-latest")) {
		h.Log("check-latest: the builds are resolved when the job starts; the newest matching build was chosen then")
	}
	updateEnv := in.Get("update-environment") != "false"
	cached, err := toolCachePythons(ctx, j, arch)
	if err != nil {
		return fmt.Errorf("actions/setup-python: %w", err)
	}
	var installed []toolchain.Python // this machine's, looked for once
	for _, spec := range specs {
		py, err := toolchain.MatchPythonWith(cached, spec, opts)
		if err == nil {
			setToolCachePython(h, py, updateEnv)
			continue
		}
		if !j.Info().HostTools {
			return pythonNotProvided(j, spec, err)
		}
		if installed == nil {
			installed, err = toolchain.FindPythons(ctx, toolchain.EnvFrom(h.Getenv))
			if err != nil {
				return fmt.Errorf("actions/setup-python: %w", err)
			}
		}
		py, err = toolchain.MatchPythonWith(installed, spec, opts)
		if err != nil {
			return err
		}
		if err := setHostPython(ctx, h, py, updateEnv); err != nil {
			return err
		}
	}
	if v := in.Get("pip-version"); v != "" {
		if err := jobRun(ctx, h, "python", "-m", "pip", "install", "--upgrade", "pip=="+v); err != nil {
			return fmt.Errorf("actions/setup-python: pip-version %s: %w", v, err)
		}
	}
	if pkgs := strings.Fields(in.Get("pip-install")); len(pkgs) > 0 {
		if err := jobRun(ctx, h, append([]string{"python", "-m", "pip", "install"}, pkgs...)...); err != nil {
			return fmt.Errorf("actions/setup-python: pip-install: %w", err)
		}
	}
	if c := in.Get("cache"); c != "" {
		pipCache(ctx, h, c)
	}
	return nil
}

func inputTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

// pythonSpecs are the versions asked for: python-version (one per line),
// else python-version-file, else .python-version, else the python on PATH.
func pythonSpecs(ctx context.Context, in Inputs, h Host) ([]string, error) {
	j := h.Job()
	if v := in.Get("python-version"); v != "" {
		var specs []string
		for _, l := range strings.Split(v, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				specs = append(specs, l)
			}
		}
		return specs, nil
	}
	if f := in.Get("python-version-file"); f != "" {
		p := jobPath(j, f)
		data, err := j.ReadFile(ctx, p)
		vs, err := toolchain.ParsePythonVersionFile(p, data, err)
		if err != nil {
			return nil, fmt.Errorf("actions/setup-python: %w", err)
		}
		return vs, nil
	}
	// setup-python without a version uses the python on PATH (with a
	// warning to pin one); the same here.
	h.Warning("Neither 'python-version' nor 'python-version-file' inputs were supplied. Attempting to find '.python-version' file.")
	p := jobPath(j, ".python-version")
	data, err := j.ReadFile(ctx, p)
	if vs, err := toolchain.ParsePythonVersionFile(p, data, err); err == nil {
		return vs, nil
	}
	h.Warning("The `python-version` input is not set.  The version of Python currently in `PATH` will be used.")
	return []string{pathPythonVersion(ctx, h)}, nil
}

// toolCachePythons lists the CPython builds in the job's tool cache, as
// @actions/tool-cache find sees them: Python/<version>/<arch> with its
// <arch>.complete marker (<arch>-freethreaded for free-threaded builds).
func toolCachePythons(ctx context.Context, j executor.Job, arch string) ([]toolchain.Python, error) {
	root := filepath.Join(j.Paths().ToolCache, "Python")
	versions, err := j.ReadDir(ctx, root)
	if errors.Is(err, fsNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []toolchain.Python
	for _, v := range versions {
		if !v.IsDir() {
			continue
		}
		entries, err := j.ReadDir(ctx, filepath.Join(root, v.Name()))
		if err != nil {
			continue
		}
		names := map[string]bool{}
		for _, e := range entries {
			names[e.Name()] = true
		}
		for _, a := range []string{arch, arch + "-freethreaded"} {
			if !names[a] || !names[a+".complete"] {
				continue
			}
			dir := filepath.Join(root, v.Name(), a)
			out = append(out, toolchain.Python{
				Version: v.Name(), Impl: "CPython", Dir: dir, Path: filepath.Join(dir, "bin", "python"),
				Freethreaded: strings.HasSuffix(a, "-freethreaded"),
			})
		}
	}
	return out, nil
}

// setToolCachePython is find-python.ts useCpythonVersion for a build found
// in the tool cache.
func setToolCachePython(h Host, py toolchain.Python, updateEnv bool) {
	dir := py.Dir
	if updateEnv {
		h.ExportVariable("pythonLocation", dir)
		h.ExportVariable("PKG_CONFIG_PATH", filepath.Join(dir, "lib", "pkgconfig"))
		h.ExportVariable("Python_ROOT_DIR", dir)
		h.ExportVariable("Python2_ROOT_DIR", dir)
		h.ExportVariable("Python3_ROOT_DIR", dir)
		if h.Job().Platform().OS == "Linux" {
			lib := filepath.Join(dir, "lib")
			old := h.Getenv("LD_LIBRARY_PATH")
			if !containsPath(old, lib) {
				v := lib
				if old != "" {
					v += ":" + old
				}
				h.ExportVariable("LD_LIBRARY_PATH", v)
			}
		}
		h.AddPath(dir)
		h.AddPath(filepath.Join(dir, "bin"))
	}
	version := py.Version
	if py.Freethreaded {
		version += "t"
	}
	h.Log(fmt.Sprintf("Successfully set up CPython (%s)", version))
	h.SetOutput("python-version", version)
	h.SetOutput("python-path", filepath.Join(dir, "bin", "python"))
}

func containsPath(list, p string) bool {
	for _, e := range strings.Split(list, ":") {
		if e == p {
			return true
		}
	}
	return false
}

// setHostPython sets up an interpreter installed on this machine, in a
// virtual environment of the job.
func setHostPython(ctx context.Context, h Host, py toolchain.Python, updateEnv bool) error {
	venv, err := pythonVenv(ctx, h, py)
	if err != nil {
		return err
	}
	h.Log(fmt.Sprintf("Successfully set up %s (%s)", py.Impl, py.Version))
	bin := filepath.Join(venv, "bin")
	if updateEnv {
		h.AddPath(bin)
		h.ExportVariable("pythonLocation", venv)
		h.ExportVariable("Python_ROOT_DIR", venv)
		h.ExportVariable("Python3_ROOT_DIR", venv)
		h.ExportVariable("PKG_CONFIG_PATH", filepath.Join(py.Dir, "lib", "pkgconfig"))
	}
	h.SetOutput("python-version", py.Version)
	h.SetOutput("python-path", filepath.Join(bin, "python"))
	return nil
}

// pythonNotProvided is the failure of a version the job's tool cache does
// not have and that cannot come from this machine: the executor's reason
// when it tried to provide it, else setup-python's own message.
func pythonNotProvided(j executor.Job, spec string, matchErr error) error {
	if why, ok := j.Info().ToolProblems[executor.ToolKey("python", spec)]; ok {
		return fmt.Errorf("actions/setup-python: Python %s: %s", spec, why)
	}
	var nf *toolchain.NotFoundError
	if errors.As(matchErr, &nf) {
		img := j.Info().Image
		return fmt.Errorf("%s\nPython %s is not in the tool cache of %s; rehearse installs the versions a job's setup-python steps ask for when the job starts, which it could not decide for this step (an input computed by an earlier step?)", nf.Message, spec, img)
	}
	return matchErr
}

// pythonVenv returns the job's virtual environment of py, created on first
// use under the tool cache. Interpreters of one version but another build
// (free-threaded, PyPy) get their own.
func pythonVenv(ctx context.Context, h Host, py toolchain.Python) (string, error) {
	name := "venv"
	if py.Freethreaded {
		name += "-freethreaded"
	}
	impl := "Python"
	if py.Impl != "" && py.Impl != "CPython" {
		impl = py.Impl
	}
	j := h.Job()
	venv := filepath.Join(j.Paths().ToolCache, impl, py.Version, name)
	if _, err := j.ReadDir(ctx, filepath.Join(venv, "bin")); err == nil {
		return venv, nil
	}
	args := []string{py.Path, "-m", "venv"}
	if strings.EqualFold(h.Getenv("REHEARSE_SYSTEM_SITE_PACKAGES"), "true") {
		// Offline: let the venv see the interpreter's own packages
		// (e.g. Debian's python3-pytest), so pip finds them installed.
		args = append(args, "--system-site-packages")
	}
	args = append(args, venv)
	if err := jobRun(ctx, h, args...); err != nil {
		return "", fmt.Errorf("actions/setup-python: could not create a virtual environment of %s: %v", py.Path, err)
	}
	return venv, nil
}

// pathPythonVersion is the version of the python3 (else python) on PATH, as
// an exact spec, or "3" when there is none to ask.
func pathPythonVersion(ctx context.Context, h Host) string {
	for _, name := range []string{"python3", "python"} {
		out, _, err := jobOutput(ctx, h, name, "-c", "import platform; print(platform.python_version())")
		if v := strings.TrimSpace(out); err == nil && v != "" {
			return v
		}
	}
	return "3"
}

// pipCache is setup-python's cache input. Every job already shares one pip
// cache (a BuildKit cache mount at ~/.cache/pip in containers,
// PIP_CACHE_DIR on the host), which is what cache: pip restores on GitHub;
// cache-hit says whether it already holds downloads.
func pipCache(ctx context.Context, h Host, kind string) {
	if kind != "pip" {
		h.Warning(fmt.Sprintf("actions/setup-python: cache %q is served by the shared pip cache only when it is pip", kind))
	}
	dir := h.Getenv("PIP_CACHE_DIR")
	if dir == "" {
		dir = filepath.Join(h.Getenv("HOME"), ".cache", "pip")
	}
	entries, err := h.Job().ReadDir(ctx, dir)
	hit := err == nil && len(entries) > 0
	h.Log(fmt.Sprintf("Cache: the shared pip cache %s serves pip (cache-hit: %v)", dir, hit))
	h.SetOutput("cache-hit", fmt.Sprint(hit))
}

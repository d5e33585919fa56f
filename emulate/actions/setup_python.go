package actions

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor/host"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// setupPython emulates actions/setup-python on the host: for each version
// listed it picks an installed interpreter as setup-python would pick one
// from its tool cache, and gives the job its own virtual environment of
// it on PATH, the last listed first. The venv keeps the job's pip installs out of the
// user's interpreters (on GitHub the VM is thrown away; here it is not).
func setupPython(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/setup-python", in, "python-version", "python-version-file", "cache", "cache-dependency-path", "architecture", "check-latest", "token", "update-environment", "allow-prereleases", "freethreaded", "pip-version", "pip-install")
	specs := []string{}
	if v := in.Get("python-version"); v != "" {
		for _, l := range strings.Split(v, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				specs = append(specs, l)
			}
		}
	} else if f := in.Get("python-version-file"); f != "" {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(h.Workspace(), f)
		}
		vs, err := toolchain.PythonVersionFile(p)
		if err != nil {
			return fmt.Errorf("actions/setup-python: %w", err)
		}
		specs = vs
	} else {
		// setup-python without a version uses the python on PATH (with a
		// warning to pin one); the same here.
		h.Warning("Neither 'python-version' nor 'python-version-file' inputs were supplied. Attempting to find '.python-version' file.")
		if vs, err := toolchain.PythonVersionFile(filepath.Join(h.Workspace(), ".python-version")); err == nil {
			specs = vs
		} else {
			h.Warning("The `python-version` input is not set.  The version of Python currently in `PATH` will be used.")
			specs = []string{pathPythonVersion(ctx, h.Getenv("PATH"))}
		}
	}
	installed, err := toolchain.FindPythons(ctx, toolchain.Env{PATH: h.Getenv("PATH"), Home: h.Getenv("HOME"), PyenvRoot: h.Getenv("PYENV_ROOT")})
	if err != nil {
		return fmt.Errorf("actions/setup-python: %w", err)
	}
	// setup-python sets up every listed version in order, each prepended
	// to PATH, so the last listed is the default python and the outputs
	// and pythonLocation are the last one's (docs/advanced-usage.md
	// "Specifying multiple Python/PyPy version": "The last specified
	// version will be used as a default one"). A version it cannot find
	// fails the step there.
	for _, spec := range specs {
		py, err := toolchain.MatchPython(installed, spec)
		if err != nil {
			return err
		}
		venv, err := pythonVenv(ctx, h, py)
		if err != nil {
			return err
		}
		h.Log(fmt.Sprintf("Successfully set up %s (%s)", py.Impl, py.Version))
		bin := filepath.Join(venv, "bin")
		h.AddPath(bin)
		h.ExportVariable("pythonLocation", venv)
		h.ExportVariable("Python_ROOT_DIR", venv)
		h.ExportVariable("Python3_ROOT_DIR", venv)
		h.ExportVariable("PKG_CONFIG_PATH", filepath.Join(py.Dir, "lib", "pkgconfig"))
		h.SetOutput("python-version", py.Version)
		h.SetOutput("python-path", filepath.Join(bin, "python"))
	}
	if c := in.Get("cache"); c != "" {
		if c != "pip" {
			h.Warning(fmt.Sprintf("actions/setup-python: cache %q is served by the shared pip cache only when it is pip", c))
		}
		// Every job already shares one pip cache (PIP_CACHE_DIR), which is
		// what cache: pip restores on GitHub.
		h.Log("Cache: the shared pip cache " + svc.PipCache + " serves pip")
		h.SetOutput("cache-hit", "false")
	}
	return nil
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
	venv := filepath.Join(h.ToolCache(), impl, py.Version, name)
	if _, err := os.Stat(filepath.Join(venv, "bin", "python")); err == nil {
		return venv, nil
	}
	args := []string{"-m", "venv"}
	if strings.EqualFold(h.Getenv("REHEARSE_SYSTEM_SITE_PACKAGES"), "true") {
		// Offline: let the venv see the interpreter's own packages
		// (e.g. Debian's python3-pytest), so pip finds them installed.
		args = append(args, "--system-site-packages")
	}
	args = append(args, venv)
	cmd := exec.CommandContext(ctx, py.Path, args...)
	cmd.Env = os.Environ()
	// venv runs ensurepip in a child process: a cancelled job must stop
	// the whole group, and not wait for the child to close the pipes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("actions/setup-python: could not create a virtual environment of %s: %v: %s", py.Path, err, strings.TrimSpace(string(out)))
	}
	return venv, nil
}

// pathPythonVersion is the version of the python3 (else python) on PATH, as
// an exact spec, or "3" when there is none to ask.
func pathPythonVersion(ctx context.Context, path string) string {
	for _, name := range []string{"python3", "python"} {
		p, err := host.LookPath(name, []string{"PATH=" + path})
		if err != nil {
			continue
		}
		out, err := exec.CommandContext(ctx, p, "-c", "import platform; print(platform.python_version())").Output()
		if v := strings.TrimSpace(string(out)); err == nil && v != "" {
			return v
		}
	}
	return "3"
}

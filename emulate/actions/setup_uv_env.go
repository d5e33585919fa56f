package actions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// setUVEnvironment does what setup-uv.ts run() does once uv is installed:
// the tool bin directory and uv on PATH, UV_TOOL_DIR,
// UV_PYTHON_INSTALL_DIR, UV_PYTHON, the activated venv and UV_CACHE_DIR,
// with its outputs. On the host executor the directories setup-uv would
// put in the user's home (~/.local/bin, ~/.local/share/uv/python,
// ~/.cache/uv) are the run's or rehearse's instead, so a job's `uv tool
// install` or `uv python install` does not change this machine.
func setUVEnvironment(ctx context.Context, in Inputs, h Host, src UVSources, wd, uvPath string) (cacheDir string, err error) {
	j := h.Job()
	local := j.Info().HostTools
	noModify := h.Getenv("UV_NO_MODIFY_PATH") != ""
	temp := j.Paths().Temp
	resolve := func(p string) string {
		if strings.HasPrefix(p, "~") {
			p = h.Getenv("HOME") + p[1:]
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		return filepath.Clean(p)
	}
	// The tool bin directory: where `uv tool install` puts executables.
	switch binDir := in.Get("tool-bin-dir"); {
	case binDir != "":
		h.ExportVariable("UV_TOOL_BIN_DIR", resolve(binDir))
		uvAddPath(h, noModify, resolve(binDir))
	case local && h.Getenv("UV_TOOL_BIN_DIR") == "":
		dir := filepath.Join(temp, "uv-tool-bin-dir")
		h.ExportVariable("UV_TOOL_BIN_DIR", dir)
		uvAddPath(h, noModify, dir)
	case local:
		uvAddPath(h, noModify, h.Getenv("UV_TOOL_BIN_DIR"))
	case h.Getenv("XDG_BIN_HOME") != "":
		uvAddPath(h, noModify, h.Getenv("XDG_BIN_HOME"))
	case h.Getenv("XDG_DATA_HOME") != "":
		uvAddPath(h, noModify, filepath.Join(h.Getenv("XDG_DATA_HOME"), "..", "bin"))
	default:
		uvAddPath(h, noModify, filepath.Join(h.Getenv("HOME"), ".local", "bin"))
	}
	h.SetOutput("uv-path", uvPath)
	h.SetOutput("uvx-path", filepath.Join(filepath.Dir(uvPath), strings.Replace(filepath.Base(uvPath), "uv", "uvx", 1)))
	uvAddPath(h, noModify, filepath.Dir(uvPath))
	if d := in.Get("tool-dir"); d != "" {
		h.ExportVariable("UV_TOOL_DIR", resolve(d))
	} else if local && h.Getenv("UV_TOOL_DIR") == "" {
		h.ExportVariable("UV_TOOL_DIR", filepath.Join(temp, "uv-tool-dir"))
	}
	// Pythons uv installs: the runner temp directory, as on GitHub-hosted
	// runners (a self-hosted one would use ~/.local/share/uv/python).
	pyDir := h.Getenv("UV_PYTHON_INSTALL_DIR")
	if pyDir == "" {
		pyDir = filepath.Join(temp, "uv-python-dir")
		h.ExportVariable("UV_PYTHON_INSTALL_DIR", pyDir)
		h.Log("Set UV_PYTHON_INSTALL_DIR to " + pyDir)
	}
	uvAddPath(h, noModify, pyDir)
	if v := in.Get("python-version"); v != "" {
		h.ExportVariable("UV_PYTHON", v)
		h.Log("Set UV_PYTHON to " + v)
	}
	if inputTrue(in.Get("activate-environment")) {
		if noModify {
			return "", errors.New("astral-sh/setup-uv: UV_NO_MODIFY_PATH and activate-environment cannot be used together")
		}
		venv := filepath.Join(wd, ".venv")
		if p := in.Get("venv-path"); p != "" {
			venv = resolve(p)
		}
		h.Log(fmt.Sprintf("Activating python venv at %s...", venv))
		// uv prints what it did on stderr; setup-uv shows it in the log.
		out, errOut, err := uvExec(ctx, h, wd, uvPath, "venv", venv)
		for _, l := range strings.Split(strings.TrimRight(out+errOut, "\n"), "\n") {
			if l != "" {
				h.Log(l)
			}
		}
		if err != nil {
			return "", fmt.Errorf("astral-sh/setup-uv: could not create the venv %s: %w", venv, err)
		}
		bin := filepath.Join(venv, "bin")
		if j.Platform().OS == "Windows" {
			bin = filepath.Join(venv, "Scripts")
		}
		h.AddPath(bin)
		h.ExportVariable("VIRTUAL_ENV", venv)
		h.SetOutput("venv", venv)
	}
	return setUVCacheDir(ctx, in, h, src, resolve)
}

func uvAddPath(h Host, noModify bool, dir string) {
	if noModify {
		h.Log("UV_NO_MODIFY_PATH is set, not adding " + dir + " to the path")
		return
	}
	h.AddPath(dir)
	h.Log("Added " + dir + " to the path")
}

// setUVCacheDir is setup-uv's UV_CACHE_DIR: the cache-local-path input;
// else nothing when the project's uv configuration sets cache-dir, or when
// UV_CACHE_DIR is already set; else the shared uv cache. Every host job
// shares one under rehearse's cache directory (as PIP_CACHE_DIR); in a
// container, ~/.cache/uv is a cache mount every container job shares (as
// ~/.cache/pip), which enable-cache names as setup-uv names its cache. It
// returns the cache directory uv will use ("" when uv's configuration
// chooses it).
func setUVCacheDir(ctx context.Context, in Inputs, h Host, src UVSources, resolve func(string) string) (string, error) {
	home := h.Getenv("HOME")
	if home == "" {
		home = h.Job().Paths().Home
	}
	if p := in.Get("cache-local-path"); p != "" {
		h.ExportVariable("UV_CACHE_DIR", resolve(p))
		h.Log("Set UV_CACHE_DIR to " + resolve(p))
		return resolve(p), nil
	}
	files := []string{"uv.toml", "pyproject.toml"}
	if f := in.Get("version-file"); f != "" {
		files = append([]string{f}, files...)
	}
	for _, f := range files {
		p := resolve(f)
		data, err := h.Job().ReadFile(ctx, p)
		if err != nil {
			continue
		}
		if dir, ok := toolchain.UVCacheDirFromFile(p, data); ok {
			h.Log(fmt.Sprintf("Found cache-dir in %s: %s; using cache-dir from the uv config file, not modifying UV_CACHE_DIR", p, dir))
			return "", nil
		}
	}
	if v := h.Getenv("UV_CACHE_DIR"); v != "" {
		h.Log("UV_CACHE_DIR is already set to " + v)
		return v, nil
	}
	j := h.Job()
	dir := filepath.Join(home, ".cache", "uv")
	switch {
	case j.Info().HostTools:
		var err error
		if dir, err = uvCacheDir(src); err != nil {
			return "", fmt.Errorf("astral-sh/setup-uv: %w", err)
		}
	case !uvCacheEnabled(in, j):
		return dir, nil // uv's default, the shared cache mount
	}
	h.ExportVariable("UV_CACHE_DIR", dir)
	h.Log("Set UV_CACHE_DIR to " + dir + " (the uv cache every job here shares)")
	return dir, nil
}

// uvCacheEnabled is the enable-cache input: "auto" (its default) is on
// where the runner is GitHub-hosted, which a container job stands for.
func uvCacheEnabled(in Inputs, j executor.Job) bool {
	switch v := in.Get("enable-cache"); v {
	case "", "auto":
		return j.Info().Environment == "github-hosted"
	default:
		return inputTrue(v)
	}
}

// uvCacheHit is setup-uv's cache restore: every job already shares the uv
// cache (dir; "" when uv's configuration chooses it), so cache-hit says
// whether it holds anything.
func uvCacheHit(ctx context.Context, in Inputs, h Host, dir string) {
	if dir == "" {
		h.Log("Cache: uv's configuration chooses its cache directory (cache-hit: false)")
		h.SetOutput("cache-hit", "false")
		return
	}
	entries, err := h.Job().ReadDir(ctx, dir)
	hit := err == nil && len(entries) > 0
	msg := fmt.Sprintf("Cache: the shared uv cache %s serves uv (cache-hit: %v)", dir, hit)
	if in.Get("cache-dependency-glob") != "" || in.Get("cache-suffix") != "" {
		msg += "; cache-dependency-glob and cache-suffix only key GitHub's cache, which the shared cache needs no key for"
	}
	h.Log(msg)
	h.SetOutput("cache-hit", fmt.Sprint(hit))
}

// uvPythonVersion is setup-uv's python-version output: the version of the
// Python `uv python find` picks in the working directory, or "unknown".
func uvPythonVersion(ctx context.Context, h Host, uvPath, wd string) string {
	out, _, err := uvExec(ctx, h, wd, uvPath, "python", "find", "--directory", wd)
	py := strings.TrimSpace(out)
	if err != nil || py == "" {
		return "unknown"
	}
	out, _, err = uvExec(ctx, h, wd, py, "--version")
	fields := strings.Fields(out)
	if err != nil || len(fields) < 2 {
		return "unknown"
	}
	return fields[1]
}

// uvExec runs argv in the job's directory dir with the step's environment
// and returns its standard output and error; a non-zero exit is an error
// carrying what it printed on stderr.
func uvExec(ctx context.Context, h Host, dir string, argv ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	code, err := h.Job().Exec(ctx, executor.Process{Argv: argv, Env: h.ProcessEnv(), Dir: dir, Stdout: &out, Stderr: &errb})
	if err != nil {
		return "", "", err
	}
	if code != 0 {
		return out.String(), errb.String(), fmt.Errorf("%s exited with %d: %s", strings.Join(argv, " "), code, strings.TrimSpace(errb.String()))
	}
	return out.String(), errb.String(), nil
}

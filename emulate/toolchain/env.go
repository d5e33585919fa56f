package toolchain

import (
	"path/filepath"
	"runtime"
)

// Env is the part of the environment the finders read. It is injected so
// tests can point every location at a fake tree.
type Env struct {
	// PATH is searched like a shell would, in order.
	PATH string
	// Home is the user's home directory (~).
	Home string
	// PyenvRoot is $PYENV_ROOT; "" means Home/.pyenv.
	PyenvRoot string
	// GOROOT is $GOROOT, when set.
	GOROOT string
	// NVMDir is $NVM_DIR; "" means Home/.nvm.
	NVMDir string
	// SystemDirs are searched after PATH for interpreters (nil means
	// /usr/local/bin and /usr/bin). Tests set it to an empty list.
	SystemDirs []string
}

// EnvFrom is the Env that getenv describes: PATH, HOME, PYENV_ROOT, GOROOT
// and NVM_DIR. The setup actions pass a step's environment; os.Getenv gives
// this process's.
func EnvFrom(getenv func(key string) string) Env {
	return Env{
		PATH:      getenv("PATH"),
		Home:      getenv("HOME"),
		PyenvRoot: getenv("PYENV_ROOT"),
		GOROOT:    getenv("GOROOT"),
		NVMDir:    getenv("NVM_DIR"),
	}
}

func (e Env) pyenvRoot() string {
	if e.PyenvRoot != "" {
		return e.PyenvRoot
	}
	if e.Home == "" {
		return ""
	}
	return filepath.Join(e.Home, ".pyenv")
}

func (e Env) nvmDir() string {
	if e.NVMDir != "" {
		return e.NVMDir
	}
	if e.Home == "" {
		return ""
	}
	return filepath.Join(e.Home, ".nvm")
}

func (e Env) systemDirs() []string {
	if e.SystemDirs != nil {
		return e.SystemDirs
	}
	return []string{"/usr/local/bin", "/usr/bin"}
}

// pathDirs returns the absolute PATH entries. Empty and relative entries
// (which a shell resolves against the current directory) are left out so a
// workspace cannot plant an interpreter.
func (e Env) pathDirs() []string {
	var dirs []string
	for _, d := range filepath.SplitList(e.PATH) {
		if filepath.IsAbs(d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// environ is what probed programs run with: only what they need, so a
// PYTHONPATH, a GOFLAGS or a go.mod's toolchain line cannot change what they
// report.
func (e Env) environ() []string {
	return []string{
		"PATH=" + e.PATH,
		"HOME=" + e.Home,
		"LC_ALL=C",
		"GOTOOLCHAIN=local",
		"PYTHONNOUSERSITE=1",
	}
}

// Architecture is the setup-* name of the machine's architecture, as
// os.arch() reports it: x64, arm64, x86, arm, ...
func Architecture() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x64"
	case "386":
		return "x86"
	default:
		return runtime.GOARCH
	}
}

package builder

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Host is what the builder's policy asks of this machine. [ThisHost] is the
// real one; tests replace fields to exercise another platform's path (a
// macOS machine with docker, a user without root) on the machine at hand.
type Host struct {
	// GOOS is the operating system, as runtime.GOOS.
	GOOS string
	// UID is the effective user id; 0 is root. -1 on Windows.
	UID int
	// LookPath finds a program, as exec.LookPath.
	LookPath func(file string) (string, error)
	// Getenv reads an environment variable, as os.Getenv.
	Getenv func(key string) string
	// Executable is the running rehearse binary, as os.Executable.
	Executable func() (string, error)
}

// ThisHost describes the machine rehearse runs on.
func ThisHost() Host {
	return Host{
		GOOS:       runtime.GOOS,
		UID:        os.Geteuid(),
		LookPath:   exec.LookPath,
		Getenv:     os.Getenv,
		Executable: os.Executable,
	}
}

// withDefaults fills the functions and GOOS a test left empty from
// [ThisHost]; UID is taken as given.
func (h Host) withDefaults() Host {
	t := ThisHost()
	if h.GOOS == "" {
		h.GOOS = t.GOOS
	}
	if h.LookPath == nil {
		h.LookPath = t.LookPath
	}
	if h.Getenv == nil {
		h.Getenv = t.Getenv
	}
	if h.Executable == nil {
		h.Executable = t.Executable
	}
	return h
}

// home is the user's home directory: $HOME, else the system's idea of it.
func (h Host) home() string {
	if d := h.Getenv("HOME"); d != "" {
		return d
	}
	d, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return d
}

// sbinDirs are where Debian and others install runc and friends, outside
// an unprivileged user's PATH.
var sbinDirs = []string{"/usr/local/sbin", "/usr/sbin", "/sbin"}

// lookSystem finds a program on PATH, else in the sbin directories, and
// returns its absolute path.
func (h Host) lookSystem(name string) (string, error) {
	p, err := h.LookPath(name)
	if err == nil {
		if abs, aerr := filepath.Abs(p); aerr == nil {
			return abs, nil
		}
		return p, nil
	}
	if h.GOOS == "linux" {
		for _, d := range sbinDirs {
			if c := filepath.Join(d, name); isExecutable(c) {
				return c, nil
			}
		}
	}
	return "", err
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

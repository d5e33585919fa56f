//go:build windows

package host

import (
	"os"
	"syscall"
)

// Windows has no SIGINT for another process group; stopping a step there
// terminates it at once.
const sigInterrupt = syscall.SIGKILL

func newGroupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// signalGroup ends the process pid (not its children: Windows has no
// process groups to signal); signal 0 checks that it still runs.
func signalGroup(pid int, sig syscall.Signal) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	if sig == 0 {
		// FindProcess opens a handle only for a live process.
		return p.Release()
	}
	return p.Kill()
}

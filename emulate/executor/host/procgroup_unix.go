//go:build unix

package host

import "syscall"

// sigInterrupt is what Ctrl-C sends; the runner sends it first.
const sigInterrupt = syscall.SIGINT

// newGroupAttr puts a step in a process group of its own so that
// cancelling it reaches every process it started.
func newGroupAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// signalGroup sends sig to the process group led by pid; signal 0 only
// checks that the group still has a member.
func signalGroup(pid int, sig syscall.Signal) error { return syscall.Kill(-pid, sig) }

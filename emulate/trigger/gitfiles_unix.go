//go:build unix

package trigger

import (
	"io/fs"
	"syscall"
)

// fileOwnerDevice is a file's owner and the device it is on.
func fileOwnerDevice(fi fs.FileInfo) (uid int, dev uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), uint64(st.Dev), true
}

//go:build unix

package builder

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// diskTotal is the size in bytes of the file system that holds dir (or
// the nearest existing parent), 0 when unknown.
func diskTotal(dir string) int64 {
	for dir != "" {
		var st unix.Statfs_t
		if err := unix.Statfs(dir, &st); err == nil {
			return int64(st.Blocks) * int64(st.Bsize)
		} else if !os.IsNotExist(err) {
			return 0
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return 0
		}
		dir = parent
	}
	return 0
}

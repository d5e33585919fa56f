//go:build !unix

package trigger

import "io/fs"

// fileOwnerDevice is unknown here: the repository is read with git.
func fileOwnerDevice(fs.FileInfo) (uid int, dev uint64, ok bool) { return 0, 0, false }

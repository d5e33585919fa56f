// Command statprobe prints what the image tests check about paths inside a
// container: one line per argument with type, mode, owner, device numbers,
// inode, link target and extended attributes. It is built static into tiny
// test root filesystems, which have no shell.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) == 1 {
		fmt.Println("hello from statprobe")
		return
	}
	for _, p := range os.Args[1:] {
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			fmt.Printf("%s error %v\n", p, err)
			continue
		}
		kind := map[uint32]string{unix.S_IFDIR: "dir", unix.S_IFREG: "file", unix.S_IFLNK: "symlink",
			unix.S_IFCHR: "char", unix.S_IFBLK: "block", unix.S_IFIFO: "fifo"}[st.Mode&unix.S_IFMT]
		line := fmt.Sprintf("%s %s mode=%04o owner=%d:%d", p, kind, st.Mode&0o7777, st.Uid, st.Gid)
		switch kind {
		case "char", "block":
			line += fmt.Sprintf(" dev=%d,%d", unix.Major(uint64(st.Rdev)), unix.Minor(uint64(st.Rdev)))
		case "symlink":
			t, _ := os.Readlink(p)
			line += " -> " + t
		case "file":
			line += fmt.Sprintf(" size=%d ino=%d", st.Size, st.Ino)
		}
		buf := make([]byte, 4096)
		if n, err := unix.Llistxattr(p, buf); err == nil && n > 0 {
			var names []string
			for _, name := range strings.Split(strings.TrimRight(string(buf[:n]), "\x00"), "\x00") {
				if strings.HasPrefix(name, "user.") {
					names = append(names, name)
				}
			}
			sort.Strings(names)
			for _, name := range names {
				val := make([]byte, 256)
				m, _ := unix.Lgetxattr(p, name, val)
				line += fmt.Sprintf(" %s=%s", name, val[:m])
			}
		}
		fmt.Println(line)
	}
}

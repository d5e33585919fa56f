//go:build linux

package agent

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor/treetar"
	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Main runs the agent with args (after Command) and returns its exit status.
//
// Any process of a gateway container that exits non-zero takes the
// container down, so with `--status FILE` first the agent always exits 0
// and writes the outcome to FILE instead: "0", or "1" and the error on the
// next line; exec writes the step's own exit code there.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	status := ""
	if len(args) >= 2 && args[0] == "--status" {
		status, args = args[1], args[2:]
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, "agent: no operation")
		return 2
	}
	op, rest := args[0], args[1:]
	if op == "exec" {
		if err := execStep(rest, status, stdin, stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "agent exec: %v\n", err)
			_ = writeStatus(status, -1, err.Error())
		}
		return 0
	}
	err := run(op, rest, stdin, stdout)
	if status != "" {
		if err != nil {
			_ = writeStatus(status, 1, err.Error())
		} else {
			_ = writeStatus(status, 0, "")
		}
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "agent %s: %v\n", op, err)
		return 1
	}
	return 0
}

// run performs one operation other than exec.
func run(op string, rest []string, stdin io.Reader, stdout io.Writer) error {
	var err error
	switch op {
	case "init":
		err = initProcess()
	case "serve":
		err = serve(stdin, stdout)
	case "prepare":
		err = prepare(rest)
	case "write":
		err = treetar.Extract(context.Background(), stdin, "/", nil)
	case "import":
		if len(rest) != 1 {
			err = errors.New("import takes one directory")
		} else {
			err = treetar.Extract(context.Background(), stdin, rest[0], nil)
		}
	case "export":
		err = treetar.Write(context.Background(), stdout, "/", rest)
	case "rm":
		for _, p := range rest {
			if e := os.RemoveAll(p); e != nil {
				err = e
			}
		}
	case "unzip":
		if len(rest) != 4 {
			return errors.New("unzip takes ZIP DIR PREFIX UID:GID")
		}
		return unzip(rest[0], rest[1], rest[2], rest[3])
	case "du":
		if len(rest) != 1 {
			return errors.New("du takes one directory")
		}
		size, files := du(rest[0])
		fmt.Fprintf(stdout, "%d %d\n", size, files)
	case "hashfiles":
		if len(rest) < 1 {
			err = errors.New("hashfiles takes a workspace and patterns")
			break
		}
		var h string
		h, err = expr.HashFiles(rest[0], rest[1:])
		if err == nil {
			fmt.Fprintln(stdout, h)
		}
	default:
		err = fmt.Errorf("unknown operation %q", op)
	}
	return err
}

// initProcess is the container's first process: it lives until the
// container is released and reaps the processes steps leave behind.
func initProcess() error {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGCHLD, syscall.SIGTERM, syscall.SIGINT)
	for s := range sigs {
		if s == syscall.SIGTERM || s == syscall.SIGINT {
			return nil
		}
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
	return nil
}

// prepare creates directories owned by a user: prepare UID:GID DIR...; a
// DIR given as "chown:PATH" only changes an existing path's owner.
func prepare(args []string) error {
	if len(args) < 1 {
		return errors.New("prepare takes UID:GID and directories")
	}
	u, g, ok := strings.Cut(args[0], ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("bad owner %q", args[0])
	}
	for _, d := range args[1:] {
		if p, ok := strings.CutPrefix(d, "chown:"); ok {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			if err := os.Chown(p, uid, gid); err != nil {
				return err
			}
			continue
		}
		if err := mkdirOwned(d, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// mkdirOwned creates d and its missing parents owned by uid:gid.
func mkdirOwned(d string, uid, gid int) error {
	if st, err := os.Stat(d); err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s is not a directory", d)
		}
		return os.Chown(d, uid, gid)
	}
	parent := d[:strings.LastIndex(d, "/")]
	if parent != "" {
		if err := mkdirOwned(parent, uid, gid); err != nil {
			return err
		}
	}
	if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return os.Chown(d, uid, gid)
}

// durationFlag parses a duration flag value, for the exec options.
func durationFlag(fs *flag.FlagSet, name string, def time.Duration) *time.Duration {
	return fs.Duration(name, def, "")
}

// du is the bytes and regular files below dir.
func du(dir string) (int64, int) {
	var size int64
	files := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			size += info.Size()
			files++
		}
		return nil
	})
	return size, files
}

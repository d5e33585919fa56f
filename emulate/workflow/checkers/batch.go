package checkers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// maxFilesPerProcess bounds one command line: 2,000 temporary paths of
// about 40 bytes stay far below Linux's 2 MB for arguments.
const maxFilesPerProcess = 2000

// perFileWeight is what a file costs a checker beyond its bytes (parsing
// starts, results are kept), in bytes of script: it balances many small
// scripts against a few large ones when they are cut into parts.
const perFileWeight = 256

// spool is a temporary directory holding one file per script.
type spool struct {
	dir   string
	paths []string
	// index maps a file's path back to its script.
	index map[string]int
}

// newSpool writes texts[i] to dir/i+ext. The files, not a pipe, are how
// the scripts reach the checker: a write into a pipe before the process
// reads it blocks once the pipe's 64 KB are full.
func newSpool(texts []string, ext string) (*spool, error) {
	dir, err := os.MkdirTemp("", "rehearse-lint-")
	if err != nil {
		return nil, fmt.Errorf("could not make a directory for the scripts to check: %w", err)
	}
	s := &spool{dir: dir, paths: make([]string, len(texts)), index: make(map[string]int, len(texts))}
	for i, t := range texts {
		p := filepath.Join(dir, strconv.Itoa(i)+ext)
		if err := os.WriteFile(p, []byte(t), 0o600); err != nil {
			s.remove()
			return nil, fmt.Errorf("could not write a script to check: %w", err)
		}
		s.paths[i] = p
		s.index[p] = i
	}
	return s, nil
}

func (s *spool) remove() { os.RemoveAll(s.dir) }

// split cuts the scripts idx into contiguous parts of about equal weight,
// as many as there are cores (fewer for fewer scripts, more when a part
// would pass maxFilesPerProcess), so that a checker starts about once per
// core rather than once per script.
func split(idx []int, texts []string) [][]int {
	if len(idx) == 0 {
		return nil
	}
	n := min(len(idx), runtime.NumCPU())
	n = max(n, (len(idx)+maxFilesPerProcess-1)/maxFilesPerProcess)
	weight := func(i int) int { return len(texts[i]) + perFileWeight }
	total := 0
	for _, i := range idx {
		total += weight(i)
	}
	var parts [][]int
	start, acc := 0, 0
	for k, i := range idx {
		acc += weight(i)
		shareReached := acc*n >= total*(len(parts)+1) && len(parts) < n-1
		if k == len(idx)-1 || shareReached || k+1-start == maxFilesPerProcess {
			parts = append(parts, idx[start:k+1])
			start = k + 1
		}
	}
	return parts
}

// runParts runs f(0) to f(n-1), as many at once as there are cores; the
// first error stops the others.
func runParts(ctx context.Context, n int, f func(ctx context.Context, k int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.NumCPU())
	for k := range n {
		g.Go(func() error { return f(ctx, k) })
	}
	return g.Wait()
}

// lastLine is the end of a checker's stderr, for an error message: the
// exception under a Python traceback, shellcheck's one-line complaint.
func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "(nothing on stderr)"
	}
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// output runs exe with args, its stdin empty, and returns what it wrote
// to stdout and stderr and its exit status. A checker exits non-zero when
// it finds something, so the status is the caller's to judge; an error is
// a checker that could not start, was killed, or was stopped by ctx.
func output(ctx context.Context, exe string, args []string) (stdout, stderr []byte, status int, err error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if cause := context.Cause(ctx); cause != nil {
		return nil, nil, 0, cause
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() < 0 {
			return nil, nil, 0, fmt.Errorf("%s was killed (%v); stderr: %q", exe, exit, errb.Bytes())
		}
		return out.Bytes(), errb.Bytes(), exit.ExitCode(), nil
	}
	if err != nil {
		return nil, nil, 0, fmt.Errorf("could not run %s: %w", exe, err)
	}
	return out.Bytes(), errb.Bytes(), 0, nil
}

// unique returns the distinct keys in first-seen order and, for each of
// keys, the index of its distinct key: a script repeated across jobs (or
// through a YAML alias) is checked once.
func unique(keys []string) (distinct []int, of []int) {
	seen := make(map[string]int, len(keys))
	of = make([]int, len(keys))
	for i, k := range keys {
		j, ok := seen[k]
		if !ok {
			j = len(distinct)
			seen[k] = j
			distinct = append(distinct, i)
		}
		of[i] = j
	}
	return distinct, of
}

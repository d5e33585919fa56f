package checkers

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// Pyflakes runs the pyflakes at exe on scripts (Python sources), started
// about once per core with many files each, and returns what it reported
// on scripts[i] as reports[i]: each line it prints for a file, without
// the file's name and its colon ("2:7: undefined name 'x'"), which is what
// actionlint takes after "<stdin>:". Warnings (stdout) come before syntax
// errors (stderr), each in pyflakes's order.
func Pyflakes(ctx context.Context, exe string, scripts []string) (reports [][]string, err error) {
	distinct, of := unique(scripts)
	texts := make([]string, len(distinct))
	idx := make([]int, len(distinct))
	for j, i := range distinct {
		texts[j] = scripts[i]
		idx[j] = j
	}
	// The name must not end in __init__.py, which pyflakes treats apart.
	sp, err := newSpool(texts, ".py")
	if err != nil {
		return nil, err
	}
	defer sp.remove()

	parts := split(idx, texts)
	// Each script is in one part only, so each goroutine writes the slots
	// of its own scripts and found needs no lock.
	found := make([][]string, len(texts))
	err = runParts(ctx, len(parts), func(ctx context.Context, k int) error {
		args := make([]string, 0, len(parts[k]))
		for _, j := range parts[k] {
			args = append(args, sp.paths[j])
		}
		stdout, stderr, status, err := output(ctx, exe, args)
		if err != nil {
			return err
		}
		// pyflakes exits 1 for any report, also when it crashes with a
		// traceback: that one is not a finding.
		if status > 1 || bytes.Contains(stderr, []byte("Traceback (most recent call last):")) {
			return fmt.Errorf("%s exited with status %d: %s", exe, status, lastLine(stderr))
		}
		for _, out := range [][]byte{stdout, stderr} {
			for line := range strings.Lines(string(out)) {
				if j, msg, ok := sp.report(line); ok {
					found[j] = append(found[j], msg)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	reports = make([][]string, len(scripts))
	for i := range scripts {
		reports[i] = found[of[i]]
	}
	return reports, nil
}

// report reads one line pyflakes printed: "PATH:REST" for one of the
// spool's files gives that file's index and REST. Other lines (the source
// line and caret under a syntax error) give ok false.
func (s *spool) report(line string) (j int, msg string, ok bool) {
	rest, ok := strings.CutPrefix(line, s.dir+string(filepath.Separator))
	if !ok {
		return 0, "", false
	}
	name, msg, ok := strings.Cut(rest, ":")
	if !ok {
		return 0, "", false
	}
	j, ok = s.index[filepath.Join(s.dir, name)]
	msg = strings.TrimSuffix(strings.TrimSuffix(msg, "\n"), "\r")
	return j, msg, ok
}

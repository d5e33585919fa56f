package checkers

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// ShellScript is a script for shellcheck.
type ShellScript struct {
	// Dialect is shellcheck's --shell: "bash" or "sh".
	Dialect string
	// Text is the script exactly as shellcheck is to read it.
	Text string
}

// ShellComment is one of shellcheck's findings in a script, from its json
// format: Column counts a tab up to the next multiple of 8, as the json1
// format does not, and as actionlint reports it.
type ShellComment struct {
	Line, Column int
	Level        string
	Code         int
	Message      string
}

// shellcheckExcluded are the codes actionlint v1.7.12 turns off
// (rule_shellcheck.go): SC1091 (sourced file not found here), SC2194,
// SC2050, SC2157 and SC2043 (constants that are ${{ }} expressions
// replaced by underscores), SC2153 and SC2154 (variables the step's env:
// sets).
const shellcheckExcluded = "SC1091,SC2194,SC2050,SC2153,SC2154,SC2157,SC2043"

// Shellcheck runs the shellcheck at exe on scripts, started about once per
// core and dialect with many files each, and returns scripts[i]'s comments
// as comments[i], in shellcheck's order. The arguments are actionlint's,
// with files for its "-", so each file gets the comments it would get
// alone.
func Shellcheck(ctx context.Context, exe string, scripts []ShellScript) (comments [][]ShellComment, err error) {
	keys := make([]string, len(scripts))
	for i, s := range scripts {
		keys[i] = s.Dialect + "\x00" + s.Text
	}
	distinct, of := unique(keys)
	texts := make([]string, len(distinct))
	var dialects []string
	byDialect := map[string][]int{}
	for j, i := range distinct {
		texts[j] = scripts[i].Text
		d := scripts[i].Dialect
		if !slices.Contains(dialects, d) {
			dialects = append(dialects, d)
		}
		byDialect[d] = append(byDialect[d], j)
	}
	sp, err := newSpool(texts, ".sh")
	if err != nil {
		return nil, err
	}
	defer sp.remove()

	type task struct {
		dialect string
		part    []int
	}
	var tasks []task
	for _, d := range dialects {
		for _, p := range split(byDialect[d], texts) {
			tasks = append(tasks, task{d, p})
		}
	}
	// Each script is in one part only, so each goroutine writes the slots
	// of its own scripts and found needs no lock.
	found := make([][]ShellComment, len(texts))
	err = runParts(ctx, len(tasks), func(ctx context.Context, k int) error {
		t := tasks[k]
		args := []string{"--norc", "-f", "json", "-x", "--shell", t.dialect, "-e", shellcheckExcluded}
		for _, j := range t.part {
			args = append(args, sp.paths[j])
		}
		stdout, stderr, status, err := output(ctx, exe, args)
		if err != nil {
			return err
		}
		// 0: no comment, 1: comments; 2 to 4 say a file or an option
		// could not be used.
		if status > 1 || len(stdout) == 0 {
			return fmt.Errorf("%s exited with status %d: %s", exe, status, lastLine(stderr))
		}
		var cs []struct {
			File string `json:"file"`
			ShellComment
		}
		if err := json.Unmarshal(stdout, &cs); err != nil {
			return fmt.Errorf("could not read shellcheck's JSON output: %w: %.200q", err, stdout)
		}
		for _, c := range cs {
			// Comments name only the files given (not the ones they
			// source), but skip any other rather than misplace it.
			if j, ok := sp.index[c.File]; ok {
				found[j] = append(found[j], c.ShellComment)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	comments = make([][]ShellComment, len(scripts))
	for i := range scripts {
		comments[i] = found[of[i]]
	}
	return comments, nil
}

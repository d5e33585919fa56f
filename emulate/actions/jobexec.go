package actions

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
)

// jobOutput runs prog (looked up on the step's PATH) with args in the job
// and returns its standard output and the program's path. A non-zero exit
// is an error carrying what it printed.
func jobOutput(ctx context.Context, h Host, prog string, args ...string) (out, path string, err error) {
	j := h.Job()
	env := h.ProcessEnv()
	path, err = j.LookPath(ctx, prog, env)
	if err != nil {
		return "", "", err
	}
	var stdout, stderr bytes.Buffer
	code, err := j.Exec(ctx, executor.Process{Argv: append([]string{path}, args...), Env: env, Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		return "", path, err
	}
	if code != 0 {
		return "", path, fmt.Errorf("%s %s exited with %d: %s", path, strings.Join(args, " "), code, strings.TrimSpace(stderr.String()+stdout.String()))
	}
	return stdout.String(), path, nil
}

// jobRun runs argv in the job with the step's environment, its output in the
// step's log, and fails on a non-zero exit.
func jobRun(ctx context.Context, h Host, argv ...string) error {
	j := h.Job()
	var out bytes.Buffer
	code, err := j.Exec(ctx, executor.Process{Argv: argv, Env: h.ProcessEnv(), Stdout: &out, Stderr: &out})
	for _, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if l != "" {
			h.Log(l)
		}
	}
	if err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("%s exited with %d", strings.Join(argv, " "), code)
	}
	return nil
}

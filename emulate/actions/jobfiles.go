package actions

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/treetar"
	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// The actions that read or write many files (cache, artifacts, checkout)
// work on a directory of this machine. When the job's files are this
// machine's (the host executor) that is the job's own tree; otherwise the
// job's paths are copied out into a staging directory that stands for the
// job's "/" (glob.Options.Root), and what the action wrote there is copied
// back in.

// stage makes the job's paths readable on this machine. root is where the
// job's "/" is here ("" when the job's files are this machine's); cleanup
// removes the copy.
func stage(ctx context.Context, j executor.Job, paths []string) (root string, cleanup func(), err error) {
	if _, local := j.HostPath("/"); local {
		return "", func() {}, nil
	}
	root, err = os.MkdirTemp("", "rehearse-stage-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { _ = os.RemoveAll(root) }
	if len(paths) == 0 {
		return root, cleanup, nil
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(j.Export(ctx, pw, paths)) }()
	if err := treetar.Extract(ctx, pr, root, nil); err != nil {
		pr.CloseWithError(err)
		cleanup()
		return "", nil, fmt.Errorf("could not copy %s out of the job: %w", strings.Join(paths, ", "), err)
	}
	return root, cleanup, nil
}

// publish copies what an action wrote below root (from stage) into the job
// at the same paths. Nothing to do when root is "".
func publish(ctx context.Context, j executor.Job, root string) error {
	if root == "" {
		return nil
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(treetar.Write(ctx, pw, root, []string{root})) }()
	if err := j.Import(ctx, pr, "/"); err != nil {
		pr.CloseWithError(err)
		return fmt.Errorf("could not copy files into the job: %w", err)
	}
	return nil
}

// importDir copies a directory of this machine into the job at dir.
func importDir(ctx context.Context, j executor.Job, local, dir string) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(treetar.Write(ctx, pw, local, []string{local})) }()
	if err := j.Import(ctx, pr, dir); err != nil {
		pr.CloseWithError(err)
		return err
	}
	return nil
}

// searchRoots are the literal directories of glob patterns (what stage
// must copy for them): relative patterns are rooted at the workspace, "~"
// at home, exclusions left out.
func searchRoots(patterns []string, workspace, home string) ([]string, error) {
	opts := glob.DefaultOptions()
	opts.Dir, opts.Home = workspace, home
	g, err := glob.New(strings.Join(patterns, "\n"), opts)
	if err != nil {
		return nil, err
	}
	return g.SearchPaths(), nil
}

// jobPath resolves a path input as actions do: relative to the workspace.
func jobPath(j executor.Job, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(j.Paths().Workspace, p)
}

// fsNotExist is what a job's ReadDir of a missing directory wraps.
var fsNotExist = fs.ErrNotExist

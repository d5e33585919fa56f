package actions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// checkout emulates actions/checkout: the job's workspace becomes a copy of
// the repository (tracked and untracked-but-not-ignored files, as they are
// now). path: puts it in a subdirectory; a ref: of another commit of the
// same repository is not emulated and is reported.
func checkout(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/checkout", in, "path", "fetch-depth", "ref", "repository", "token", "ssh-key", "persist-credentials", "clean", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory", "sparse-checkout", "sparse-checkout-cone-mode", "filter", "github-server-url", "ssh-strict", "ssh-known-hosts", "ssh-user")
	if repo := in.Get("repository"); repo != "" && !strings.EqualFold(repo, os.Getenv("GITHUB_REPOSITORY")) && h.Getenv("GITHUB_REPOSITORY") != "" && !strings.EqualFold(repo, h.Getenv("GITHUB_REPOSITORY")) {
		return fmt.Errorf("actions/checkout: checking out another repository (%s) needs the network; rehearse only copies this repository", repo)
	}
	if ref := in.Get("ref"); ref != "" {
		h.Warning(fmt.Sprintf("actions/checkout: ref %q is not checked out; the workspace is the repository as it is now", ref))
	}
	j := h.Job()
	ws := j.Paths().Workspace
	dst := ws
	if p := in.Get("path"); p != "" {
		dst = filepath.Join(ws, p)
		if rel, err := filepath.Rel(ws, dst); err != nil || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("actions/checkout: repository path %q is not under %q", p, ws)
		}
	}
	// actions/checkout cleans the target first (clean: true).
	if err := j.RemoveAll(ctx, dst); err != nil {
		return fmt.Errorf("actions/checkout: could not clean %q: %w", dst, err)
	}
	h.Log("Copying the repository into " + dst)
	if local, ok := j.HostPath(dst); ok {
		if err := svc.Checkout(ctx, local, false); err != nil {
			return fmt.Errorf("actions/checkout: %w", err)
		}
	} else {
		// The copy is made here, then sent into the job.
		tmp, err := os.MkdirTemp("", "rehearse-checkout-")
		if err != nil {
			return fmt.Errorf("actions/checkout: %w", err)
		}
		defer os.RemoveAll(tmp)
		src := filepath.Join(tmp, "repo")
		if err := svc.Checkout(ctx, src, true); err != nil {
			return fmt.Errorf("actions/checkout: %w", err)
		}
		if err := importDir(ctx, j, src, dst); err != nil {
			return fmt.Errorf("actions/checkout: could not copy the repository into the job: %w", err)
		}
	}
	if sha := h.Getenv("GITHUB_SHA"); sha != "" {
		h.SetOutput("commit", sha)
	}
	h.SetOutput("ref", h.Getenv("GITHUB_REF"))
	return nil
}

package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/artifact"
)

// uploadArtifact emulates actions/upload-artifact@v4 into the run's
// artifact store.
func uploadArtifact(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/upload-artifact", in, "name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite", "include-hidden-files")
	j := h.Job()
	ws, home := j.Paths().Workspace, h.Getenv("HOME")
	roots, err := searchRoots(cache.InputLines(in["path"]), ws, home)
	if err != nil {
		roots = nil // the upload reports the bad pattern itself
	}
	root, cleanup, err := stage(ctx, j, roots)
	if err != nil {
		return fmt.Errorf("actions/upload-artifact: %w", err)
	}
	defer cleanup()
	res, err := svc.Artifacts.Upload(ctx, artifact.UploadRequest{
		Name: in.Get("name"), Path: in["path"], IfNoFilesFound: in.Get("if-no-files-found"),
		RetentionDays: in.Get("retention-days"), CompressionLevel: in.Get("compression-level"),
		Overwrite: in.Get("overwrite") == "true", IncludeHiddenFiles: in.Get("include-hidden-files") == "true",
		Workspace: ws, Home: home, Root: root,
	})
	logMessages(h, res.Messages)
	if err != nil {
		return err
	}
	if res.Uploaded {
		h.SetOutput("artifact-id", fmt.Sprint(res.Artifact.ID))
		h.SetOutput("artifact-digest", res.Artifact.Digest)
	}
	return nil
}

// downloadArtifact emulates actions/download-artifact@v4 from the run's
// artifact store.
func downloadArtifact(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/download-artifact", in, "name", "path", "pattern", "merge-multiple", "artifact-ids", "github-token", "repository", "run-id")
	if err := checkDownloadSource(in, h); err != nil {
		return err
	}
	j := h.Job()
	root, cleanup, err := stage(ctx, j, nil)
	if err != nil {
		return fmt.Errorf("actions/download-artifact: %w", err)
	}
	defer cleanup()
	res, err := svc.Artifacts.Download(ctx, artifact.DownloadRequest{
		Name: in.Get("name"), ArtifactIDs: in.Get("artifact-ids"), Pattern: in.Get("pattern"),
		MergeMultiple: in.Get("merge-multiple") == "true", Path: in.Get("path"),
		Workspace: j.Paths().Workspace, Home: h.Getenv("HOME"), Root: root,
	})
	logMessages(h, res.Messages)
	if err != nil {
		return err
	}
	if err := publish(ctx, j, root); err != nil {
		return fmt.Errorf("actions/download-artifact: %w", err)
	}
	h.SetOutput("download-path", res.DownloadPath)
	return nil
}

// checkDownloadSource refuses a download from another run or repository,
// which needs GitHub's API. The action reads run-id and repository only
// with github-token, and they default to this run and repository
// (actions/download-artifact action.yml; src/download-artifact.ts sets
// findBy only when the token is given): a token alone, or a run-id
// naming this run, downloads this run's artifacts, and without a token
// run-id and repository are ignored.
func checkDownloadSource(in Inputs, h Host) error {
	runID, repo := in.Get("run-id"), in.Get("repository")
	curRun, curRepo := h.Getenv("GITHUB_RUN_ID"), h.Getenv("GITHUB_REPOSITORY")
	otherRun := runID != "" && runID != curRun
	otherRepo := repo != "" && curRepo != "" && !strings.EqualFold(repo, curRepo)
	if in.Get("github-token") == "" {
		if otherRun || otherRepo {
			h.Warning("actions/download-artifact: run-id and repository are used only with github-token; without it this run's artifacts are downloaded, as on GitHub")
		}
		return nil
	}
	if owner, name, _ := strings.Cut(repo, "/"); repo != "" && (owner == "" || name == "") {
		// The action's own failure, in its words.
		return &artifact.ActionError{Msg: fmt.Sprintf("Unable to download artifact(s): Invalid repository: '%s'. Must be in format owner/repo", repo)}
	}
	if otherRepo {
		return fmt.Errorf("actions/download-artifact: repository %q is not this repository (%s): the artifacts of another repository need GitHub's API; only this run's artifacts are available", repo, curRepo)
	}
	if otherRun {
		return fmt.Errorf("actions/download-artifact: run-id %q is not this run (%s): the artifacts of another run need GitHub's API; only this run's artifacts are available", runID, curRun)
	}
	return nil
}

func logMessages(h Host, msgs []artifact.Message) {
	for _, m := range msgs {
		switch m.Level {
		case artifact.Warning:
			h.Warning(m.Text)
		default:
			h.Log(m.Text)
		}
	}
}

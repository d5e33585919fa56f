package actions

import (
	"context"
	"fmt"

	"github.com/rehearse-dev/rehearse/emulate/artifact"
)

// uploadArtifact emulates actions/upload-artifact@v4 into the run's
// artifact store.
func uploadArtifact(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/upload-artifact", in, "name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite", "include-hidden-files")
	res, err := svc.Artifacts.Upload(ctx, artifact.UploadRequest{
		Name: in.Get("name"), Path: in["path"], IfNoFilesFound: in.Get("if-no-files-found"),
		RetentionDays: in.Get("retention-days"), CompressionLevel: in.Get("compression-level"),
		Overwrite: in.Get("overwrite") == "true", IncludeHiddenFiles: in.Get("include-hidden-files") == "true",
		Workspace: h.Workspace(), Home: h.Getenv("HOME"),
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
	if in.Get("run-id") != "" || in.Get("github-token") != "" {
		return fmt.Errorf("actions/download-artifact: artifacts of other runs need GitHub's API; only this run's artifacts are available")
	}
	res, err := svc.Artifacts.Download(ctx, artifact.DownloadRequest{
		Name: in.Get("name"), ArtifactIDs: in.Get("artifact-ids"), Pattern: in.Get("pattern"),
		MergeMultiple: in.Get("merge-multiple") == "true", Path: in.Get("path"),
		Workspace: h.Workspace(), Home: h.Getenv("HOME"),
	})
	logMessages(h, res.Messages)
	if err != nil {
		return err
	}
	h.SetOutput("download-path", res.DownloadPath)
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

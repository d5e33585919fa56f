package artifact

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// UploadRequest holds the inputs of actions/upload-artifact@v4 and the job
// facts the action reads from its environment.
type UploadRequest struct {
	// Name is the `name` input; "" means "artifact".
	Name string
	// Path is the `path` input as written: one @actions/glob pattern per
	// line, "!" excluding.
	Path string
	// IfNoFilesFound is `if-no-files-found`: warn (default), error or ignore.
	IfNoFilesFound string
	// RetentionDays is `retention-days`. It is checked like the action checks
	// it and otherwise ignored: a local run keeps its artifacts.
	RetentionDays string
	// CompressionLevel is `compression-level`, 0-9, "" for the default 6.
	CompressionLevel string
	// Overwrite is `overwrite`: replace an artifact of the same name instead
	// of failing with 409 Conflict.
	Overwrite bool
	// IncludeHiddenFiles is `include-hidden-files` (v4.4+; default false).
	IncludeHiddenFiles bool
	// Workspace is the directory relative paths are rooted at.
	Workspace string
	// Home is $HOME, which "~" stands for.
	Home string
	// Root is where the job's "/" is on this machine: a copy of a container
	// job's files. Path, Workspace and Home are the job's; empty means the
	// job's files are this machine's.
	Root string
}

// UploadResult describes the upload.
type UploadResult struct {
	// Uploaded is false when no file matched (and that was not an error).
	Uploaded bool
	// Artifact is the new artifact when Uploaded; its ID and Digest are the
	// `artifact-id` and `artifact-digest` outputs.
	Artifact Artifact
	// Messages are the lines the action logs, in order.
	Messages []Message
}

const defaultCompressionLevel = 6

// Upload implements upload-artifact@v4. A returned error carries the text
// the action fails the step with; Messages hold what was logged before.
func (s *Store) Upload(ctx context.Context, req UploadRequest) (UploadResult, error) {
	var res UploadResult
	name := req.Name
	if name == "" {
		name = "artifact" // action.yml default
	}
	onNone := req.IfNoFilesFound
	if onNone == "" {
		onNone = "warn"
	}
	// src/upload/input-helper.ts. The action calls core.setFailed and goes
	// on; the step fails either way, so rehearse stops here.
	if onNone != "warn" && onNone != "error" && onNone != "ignore" {
		return res, actionErrorf("Unrecognized if-no-files-found input. Provided: %s. Available options: warn,error,ignore", req.IfNoFilesFound)
	}
	if req.RetentionDays != "" {
		if _, ok := parseInt(req.RetentionDays); !ok {
			return res, actionErrorf("Invalid retention-days")
		}
	}
	level := defaultCompressionLevel
	if req.CompressionLevel != "" {
		n, ok := parseInt(req.CompressionLevel)
		if !ok {
			return res, actionErrorf("Invalid compression-level")
		}
		if n < 0 || n > 9 {
			return res, actionErrorf("Invalid compression-level. Valid values are 0-9")
		}
		level = n
	}

	found, msgs, err := findFiles(ctx, req.Path, req.IncludeHiddenFiles, req.Workspace, req.Home, req.Root)
	res.Messages = append(res.Messages, msgs...)
	if err != nil {
		return res, err
	}
	if len(found.files) == 0 {
		text := fmt.Sprintf("No files were found with the provided path: %s. No artifacts will be uploaded.", req.Path)
		switch onNone {
		case "error":
			return res, actionErrorf("%s", text)
		case "warn":
			res.Messages = append(res.Messages, warn(text))
		default:
			res.Messages = append(res.Messages, info(text))
		}
		return res, nil
	}
	plural := "s"
	if len(found.files) == 1 {
		plural = ""
	}
	res.Messages = append(res.Messages, info(fmt.Sprintf("With the provided path, there will be %d file%s uploaded", len(found.files), plural)))

	// The action deletes the old artifact before it validates anything.
	if req.Overwrite {
		old, ok, err := s.remove(name)
		if err != nil {
			return res, err
		}
		if ok {
			res.Messages = append(res.Messages, info(fmt.Sprintf("Artifact '%s' (ID: %d) deleted", name, old.ID)))
		}
	}

	// @actions/artifact upload-artifact.ts uploadArtifact
	if err := validateName(name); err != nil {
		return res, err
	}
	res.Messages = append(res.Messages, info("Artifact name is valid!"))
	if st, err := os.Stat(glob.Local(req.Root, found.root)); err != nil {
		return res, actionErrorf("The provided rootDirectory %s does not exist", found.root)
	} else if !st.IsDir() {
		return res, actionErrorf("The provided rootDirectory %s is not a valid directory", found.root)
	}
	res.Messages = append(res.Messages, info("Root directory input is valid!"))
	spec, err := zipSpec(found.files, found.root, req.Root)
	if err != nil {
		return res, err
	}

	id, ok := s.reserve(name)
	if !ok {
		return res, actionErrorf("Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run")
	}
	a, err := s.write(ctx, id, name, spec, level)
	if err != nil {
		_ = s.finish(name, nil)
		return res, err
	}
	if err := s.finish(name, &a); err != nil {
		return res, err
	}
	res.Uploaded = true
	res.Artifact = a
	res.Messages = append(res.Messages,
		info("Beginning upload of artifact content to blob storage"),
		info(fmt.Sprintf("Uploaded bytes %d", a.Size)),
		info("Finished uploading artifact content to blob storage!"),
		info("SHA256 digest of uploaded artifact zip is "+a.Digest),
		info("Finalizing artifact upload"),
		info(fmt.Sprintf("Artifact %s.zip successfully finalized. Artifact ID %d", name, a.ID)),
		// src/shared/upload-artifact.ts
		info(fmt.Sprintf("Artifact %s has been successfully uploaded! Final size is %d bytes. Artifact ID is %d", name, a.Size, a.ID)),
	)
	return res, nil
}

func (s *Store) write(ctx context.Context, id int64, name string, spec []zipEntry, level int) (Artifact, error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return Artifact{}, fmt.Errorf("could not create artifact directory %q: %w", s.dir, err)
	}
	size, digest, err := writeZip(ctx, s.zipPath(id), spec, level)
	if err != nil {
		_ = os.Remove(s.zipPath(id))
		return Artifact{}, err
	}
	return Artifact{ID: id, Name: name, Size: size, Files: len(spec), Digest: digest}, nil
}

// parseInt is JavaScript's parseInt(s) for the inputs the actions read: an
// optional sign and leading digits after leading spaces; ok is false where
// JavaScript gives NaN.
func parseInt(s string) (int, bool) {
	s = strings.TrimLeft(s, " \t\n\r")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	digits := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == digits {
		return 0, false
	}
	n, err := strconv.Atoi(s[:end])
	return n, err == nil
}

package artifact

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// DownloadRequest holds the inputs of actions/download-artifact@v4 for the
// current run (cross-run downloads with github-token are not emulated).
type DownloadRequest struct {
	// Name is the `name` input: download that one artifact into Path.
	Name string
	// ArtifactIDs is the `artifact-ids` input: comma-separated IDs.
	ArtifactIDs string
	// Pattern is the `pattern` input, a minimatch glob on artifact names.
	Pattern string
	// MergeMultiple is `merge-multiple`: put every artifact into Path itself
	// instead of Path/<name>.
	MergeMultiple bool
	// Path is the `path` input; "" is the workspace.
	Path string
	// Workspace is GITHUB_WORKSPACE, the default path and the base of
	// relative ones.
	Workspace string
	// Home is $HOME, for a path starting with "~".
	Home string
	// Root is where the job's "/" is on this machine (see UploadRequest.Root).
	Root string
}

// DownloadResult describes the download.
type DownloadResult struct {
	// DownloadPath is the `download-path` output.
	DownloadPath string
	// Artifacts are the artifacts downloaded, in download order.
	Artifacts []Artifact
	// Messages are the lines the action logs, in order.
	Messages []Message
}

// notFoundHelp follows every "not found" error of @actions/artifact.
const notFoundHelp = `
        Please ensure that your artifact is not expired and the artifact was uploaded using a compatible version of toolkit/upload-artifact.
        For more information, visit the GitHub Artifacts FAQ: https://github.com/actions/toolkit/blob/main/packages/artifact/docs/faq.md`

// Download implements download-artifact@v4 (src/download-artifact.ts). A
// returned error carries the text the action fails the step with
// ("Unable to download artifact(s): ...").
func (s *Store) Download(ctx context.Context, req DownloadRequest) (DownloadResult, error) {
	var res DownloadResult
	fail := func(err error) (DownloadResult, error) {
		res.Messages = append(res.Messages, errMsg("Action failed with error: "+err.Error()))
		return res, &ActionError{Msg: "Unable to download artifact(s): " + err.Error()}
	}

	p := req.Path
	if p == "" {
		p = req.Workspace
	}
	if strings.HasPrefix(p, "~") {
		p = strings.Replace(p, "~", req.Home, 1)
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(req.Workspace, p)
	}
	resolved := filepath.Clean(p)
	res.DownloadPath = resolved

	if req.Name != "" && req.ArtifactIDs != "" {
		return fail(actionErrorf("Inputs 'name' and 'artifact-ids' cannot be used together. Please specify only one."))
	}

	var targets []Artifact
	single := req.Name != ""
	switch {
	case single:
		res.Messages = append(res.Messages, info("Downloading single artifact"))
		a, ok := s.find(req.Name)
		if !ok {
			return fail(actionErrorf("Artifact not found for name: %s%s", req.Name, notFoundHelp))
		}
		targets = []Artifact{a}
	case req.ArtifactIDs != "":
		res.Messages = append(res.Messages, info("Downloading artifacts by ID"))
		var ids []int64
		for _, f := range strings.Split(req.ArtifactIDs, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			n, ok := parseInt(f)
			if !ok {
				return fail(actionErrorf("Invalid artifact ID: '%s'. Must be a number.", f))
			}
			ids = append(ids, int64(n))
		}
		if len(ids) == 0 {
			return fail(actionErrorf("No valid artifact IDs provided in 'artifact-ids' input"))
		}
		all := s.List()
		res.Messages = append(res.Messages, info(fmt.Sprintf("Found %d artifact(s)", len(all))))
		var missing []string
		for _, id := range ids {
			found := false
			for _, a := range all {
				if a.ID == id {
					found = true
				}
			}
			if !found {
				missing = append(missing, strconv.FormatInt(id, 10))
			}
		}
		// listArtifacts order, filtered to the requested IDs.
		for _, a := range all {
			for _, id := range ids {
				if a.ID == id {
					targets = append(targets, a)
					break
				}
			}
		}
		if len(targets) == 0 {
			return fail(actionErrorf("None of the provided artifact IDs were found"))
		}
		if len(missing) > 0 {
			res.Messages = append(res.Messages, warn("Could not find the following artifact IDs: "+strings.Join(missing, ", ")))
		}
	default:
		all := s.List()
		res.Messages = append(res.Messages, info(fmt.Sprintf("Found %d artifact(s)", len(all))))
		if req.Pattern != "" {
			res.Messages = append(res.Messages, info(fmt.Sprintf("Filtering artifacts by pattern '%s'", req.Pattern)))
			m := newNameMatcher(req.Pattern)
			for _, a := range all {
				if m.match(a.Name) {
					targets = append(targets, a)
				}
			}
		} else {
			targets = all
			res.Messages = append(res.Messages, info("No input name, artifact-ids or pattern filtered specified, downloading all artifacts"))
			if !req.MergeMultiple {
				res.Messages = append(res.Messages, info("An extra directory with the artifact name will be created for each download"))
			}
		}
	}

	if len(targets) > 0 {
		res.Messages = append(res.Messages, info("Preparing to download the following artifacts:"))
		for _, a := range targets {
			res.Messages = append(res.Messages, info(fmt.Sprintf("- %s (ID: %d, Size: %d, Expected Digest: sha256:%s)", a.Name, a.ID, a.Size, a.Digest)))
		}
	}
	for _, a := range targets {
		// One artifact, a named one or merge-multiple: straight into the
		// path; otherwise a directory per artifact. Note the first case: a
		// pattern that matches exactly one artifact gets no extra directory.
		dest := resolved
		if !single && !req.MergeMultiple && len(targets) != 1 {
			dest = filepath.Join(resolved, a.Name)
		}
		res.Messages = append(res.Messages, info("Starting download of artifact to: "+dest))
		if err := extractZip(ctx, s.zipPath(a.ID), glob.Local(req.Root, dest)); err != nil {
			res.Messages = append(res.Messages, errMsg(fmt.Sprintf("Download failed for artifact '%s': %v", a.Name, err)))
			return fail(err)
		}
		res.Messages = append(res.Messages,
			info("SHA256 digest of downloaded artifact is "+a.Digest),
			info("Artifact download completed successfully."))
		res.Artifacts = append(res.Artifacts, a)
	}
	res.Messages = append(res.Messages,
		info(fmt.Sprintf("Total of %d artifact(s) downloaded", len(targets))),
		info("Download artifact has finished successfully"))
	return res, nil
}

// nameMatcher is `new Minimatch(pattern)` with minimatch's default options,
// applied to artifact names (which have no "/"): braces expand, a leading
// "!" negates, a pattern starting with "#" matches nothing, and wildcards do
// not match a leading dot.
type nameMatcher struct {
	negate  bool
	comment bool
	alts    []string
}

func newNameMatcher(pattern string) nameMatcher {
	var m nameMatcher
	if strings.HasPrefix(pattern, "#") {
		m.comment = true
		return m
	}
	for strings.HasPrefix(pattern, "!") {
		m.negate = !m.negate
		pattern = pattern[1:]
	}
	m.alts = expandBraces(pattern)
	return m
}

func (m nameMatcher) match(name string) bool {
	if m.comment {
		return false
	}
	matched := false
	for _, alt := range m.alts {
		// dot: false — a leading "." must be matched literally.
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(alt, ".") {
			continue
		}
		// "**" is "*" within one path segment, and names are one segment.
		alt = strings.ReplaceAll(alt, "**", "*")
		if ok, err := filepath.Match(strings.ReplaceAll(alt, "[!", "[^"), name); err == nil && ok {
			matched = true
			break
		} else if err != nil && alt == name {
			matched = true // a malformed class matches itself literally
			break
		}
	}
	return matched != m.negate
}

// expandBraces expands {a,b} and {1..3} as brace-expansion does for
// minimatch; a brace set without a comma or range stays literal.
func expandBraces(p string) []string {
	open := -1
	depth := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			if depth == 0 {
				open = i
			}
			depth++
		case '}':
			if depth == 0 {
				continue
			}
			depth--
			if depth != 0 {
				continue
			}
			body := p[open+1 : i]
			pre, post := p[:open], p[i+1:]
			parts := splitTopLevel(body)
			if len(parts) < 2 {
				if seq := numericRange(body); seq != nil {
					parts = seq
				} else {
					// Literal braces: keep them and expand what follows.
					var out []string
					for _, rest := range expandBraces(post) {
						out = append(out, pre+"{"+body+"}"+rest)
					}
					return out
				}
			}
			var out []string
			for _, part := range parts {
				for _, rest := range expandBraces(part + post) {
					out = append(out, pre+rest)
				}
			}
			return out
		}
	}
	return []string{p}
}

func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

func numericRange(s string) []string {
	lo, hi, ok := strings.Cut(s, "..")
	if !ok {
		return nil
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil {
		return nil
	}
	step := 1
	if b < a {
		step = -1
	}
	var out []string
	for i := a; ; i += step {
		out = append(out, strconv.Itoa(i))
		if i == b {
			break
		}
	}
	return out
}

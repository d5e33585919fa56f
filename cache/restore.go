package cache

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
)

// RestoreRequest holds the inputs of actions/cache (or actions/cache/restore)
// and the facts of the job that the action reads from its environment.
type RestoreRequest struct {
	// Key is the `key` input, the primary key.
	Key string
	// RestoreKeys is the `restore-keys` input split by [InputLines].
	RestoreKeys []string
	// Paths is the `path` input split by [InputLines]. Only the version is
	// computed from it; restoring puts back what was saved.
	Paths []string
	// Workspace is GITHUB_WORKSPACE: relative paths are rooted here.
	Workspace string
	// Home is $HOME, which "~" stands for.
	Home string
	// Root is where the job's "/" is on this machine (see SaveRequest.Root):
	// files are extracted below it.
	Root string
	// Scopes are the branch scopes a run may read, in search order: the
	// current ref, then a pull request's base ref, then the default branch.
	// An empty list means the single scope "".
	Scopes []string
	// EnableCrossOsArchive is the `enableCrossOsArchive` input.
	EnableCrossOsArchive bool
	// LookupOnly is the `lookup-only` input: report a match, do not extract.
	LookupOnly bool
	// FailOnCacheMiss is the `fail-on-cache-miss` input.
	FailOnCacheMiss bool
}

// RestoreResult says what the restore found.
type RestoreResult struct {
	// MatchedKey is the key of the restored entry ("" on a miss): the
	// `cache-matched-key` output.
	MatchedKey string
	// ExactHit is the `cache-hit` output: the matched key equals the primary
	// key, ignoring case.
	ExactHit bool
	// Restored lists the absolute top-level paths put back, in save order.
	Restored []string
	// Messages are the lines the action logs, in order.
	Messages []string
}

// Restore implements actions/cache restore. Input errors are returned as
// *[ValidationError] with GitHub's message (the step fails); so is a miss
// under fail-on-cache-miss. A miss is otherwise not an error.
func (s *Store) Restore(ctx context.Context, req RestoreRequest) (RestoreResult, error) {
	var res RestoreResult
	if err := checkKeys(req.Key, req.RestoreKeys); err != nil {
		return res, err
	}
	if err := checkPaths(req.Paths); err != nil {
		return res, err
	}
	scopes := req.Scopes
	if len(scopes) == 0 {
		scopes = []string{""}
	}
	keys := append([]string{req.Key}, req.RestoreKeys...)

	entries, err := s.entries(Version(req.Paths, req.EnableCrossOsArchive))
	if err != nil {
		return res, err
	}
	e, ok := lookup(entries, scopes, keys)
	if !ok {
		if req.FailOnCacheMiss {
			// restoreImpl.ts
			return res, &ValidationError{fmt.Sprintf("Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: %s", req.Key)}
		}
		res.Messages = append(res.Messages, "Cache not found for input keys: "+strings.Join(keys, ", "))
		return res, nil
	}

	// cache.ts restoreCacheV2
	if e.Key != req.Key {
		res.Messages = append(res.Messages, "Cache hit for restore-key: "+e.Key)
	} else {
		res.Messages = append(res.Messages, "Cache hit for: "+e.Key)
	}
	res.MatchedKey = e.Key
	res.ExactHit = exactKeyMatch(req.Key, e.Key)
	if req.LookupOnly {
		res.Messages = append(res.Messages,
			"Lookup only - skipping download",
			"Cache found and can be restored from key: "+e.Key)
		return res, nil
	}

	l := layout{workspace: req.Workspace, home: req.Home, root: req.Root}
	f, err := os.Open(s.entryPath(e.ID, ".tar.gz"))
	if err != nil {
		return res, fmt.Errorf("could not open cache entry %q: %w", e.Key, err)
	}
	defer f.Close()
	res.Messages = append(res.Messages, fmt.Sprintf("Cache Size: ~%d MB (%d B)",
		int64(math.Round(float64(e.Size)/(1024*1024))), e.Size))
	if err := extractArchive(ctx, f, l); err != nil {
		return res, fmt.Errorf("could not restore cache entry %q: %w", e.Key, err)
	}
	for _, name := range e.Paths {
		p, err := l.path(name)
		if err != nil {
			return res, err
		}
		res.Restored = append(res.Restored, p)
	}
	res.Messages = append(res.Messages,
		"Cache restored successfully",
		"Cache restored from key: "+e.Key)
	return res, nil
}

package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SaveRequest holds the inputs of the actions/cache post step (or
// actions/cache/save).
type SaveRequest struct {
	// Key is the primary key.
	Key string
	// Paths is the `path` input split by [InputLines].
	Paths []string
	// Workspace is GITHUB_WORKSPACE: relative paths are rooted here.
	Workspace string
	// Home is $HOME, which "~" stands for.
	Home string
	// Root is where the job's "/" is on this machine: a copy of a container
	// job's files. Workspace, Home and Paths are the job's; empty means the
	// job's files are this machine's.
	Root string
	// Scope is the branch scope the entry is saved in (the current ref).
	Scope string
	// EnableCrossOsArchive is the `enableCrossOsArchive` input.
	EnableCrossOsArchive bool
	// MatchedKey is the key the restore half of actions/cache matched, if
	// any. An exact match means nothing changed and nothing is saved.
	MatchedKey string
}

// Save stores Paths under Key unless an entry with that key, version and
// scope exists or is being saved by another job. It reports whether it
// saved and the line actions/cache logs either way. Problems that the
// action only logs (bad key, no files) come back as msg with err nil; err is
// for local failures such as a full disk.
func (s *Store) Save(ctx context.Context, req SaveRequest) (saved bool, msg string, err error) {
	// saveImpl.ts
	if req.Key == "" {
		return false, "[warning]Key is not specified.", nil
	}
	if exactKeyMatch(req.Key, req.MatchedKey) {
		return false, fmt.Sprintf("Cache hit occurred on the primary key %s, not saving cache.", req.Key), nil
	}
	if err := checkPaths(req.Paths); err != nil {
		return false, "[warning]" + err.Error(), nil
	}
	if err := checkKey(req.Key); err != nil {
		return false, "[warning]" + err.Error(), nil
	}

	files, err := resolvePaths(ctx, req.Paths, req.Workspace, req.Home, req.Root)
	if err != nil {
		return false, "[warning]" + err.Error(), nil
	}
	if len(files) == 0 {
		// cache.ts saveCacheV2
		return false, "[warning]Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.", nil
	}

	version := Version(req.Paths, req.EnableCrossOsArchive)
	id := entryID(req.Scope, version, req.Key)
	ok, err := s.reserve(id)
	if err != nil {
		return false, "", err
	}
	if !ok {
		// cache.ts saveCacheV2: ReserveCacheError, logged with core.info.
		return false, fmt.Sprintf("Failed to save: Unable to reserve cache with key %s, another job may be creating this cache.", req.Key), nil
	}
	e, err := s.write(ctx, id, req, files)
	if err != nil {
		s.release(id)
		return false, "", err
	}
	e.Version = version
	if err := s.publish(e); err != nil {
		s.release(id)
		_ = os.Remove(s.entryPath(id, ".tar.gz"))
		return false, "", fmt.Errorf("could not publish cache entry %q: %w", req.Key, err)
	}
	return true, "Cache saved with key: " + req.Key, nil
}

// write archives the resolved paths into the entry's archive file.
func (s *Store) write(ctx context.Context, id string, req SaveRequest, files []string) (entry, error) {
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), id+"-*.tar.gz")
	if err != nil {
		return entry{}, fmt.Errorf("could not create cache archive: %w", err)
	}
	defer os.Remove(tmp.Name())
	tops, err := writeArchive(ctx, tmp, layout{workspace: req.Workspace, home: req.Home, root: req.Root}, files)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return entry{}, err
	}
	info, err := os.Stat(tmp.Name())
	if err != nil {
		return entry{}, err
	}
	if err := os.Rename(tmp.Name(), s.entryPath(id, ".tar.gz")); err != nil {
		return entry{}, fmt.Errorf("could not store cache archive: %w", err)
	}
	if len(tops) == 0 {
		return entry{}, errors.New("nothing was archived")
	}
	return entry{
		ID:      id,
		Key:     req.Key,
		Scope:   req.Scope,
		Created: s.now(),
		Size:    info.Size(),
		Paths:   tops,
	}, nil
}

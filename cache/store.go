package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Store is a local actions/cache service. Entries are immutable once saved
// and safe to share between concurrent jobs and processes: a save reserves
// its key with an O_EXCL marker file, writes the archive and publishes the
// entry's metadata with an atomic rename, and lookups only see published
// entries.
//
// Layout under the root:
//
//	entries/<id>.json      metadata (key, version, scope, creation time)
//	entries/<id>.tar.gz    the archive
//	entries/<id>.reserved  the reservation marker
//	tmp/                   archives being written
type Store struct {
	root string
	// now is the clock for creation times; tests replace it.
	now func() time.Time
}

// staleReservation is how old a reservation without a published entry must
// be before a save may take it over: the saving process died.
const staleReservation = time.Hour

// entry is one saved cache, as the cache service records it.
type entry struct {
	ID      string `json:"-"`
	Key     string `json:"key"`
	Version string `json:"version"`
	Scope   string `json:"scope"`
	// Created orders prefix matches: the newest entry wins.
	Created time.Time `json:"created"`
	Size    int64     `json:"size"`
	// Paths are the archive names of the top-level paths saved.
	Paths []string `json:"paths"`
}

// OpenStore opens (creating if needed) the store rooted at root, usually
// [ActionsCacheDir].
func OpenStore(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("could not resolve cache store %q: %w", root, err)
	}
	for _, d := range []string{"entries", "tmp"} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o755); err != nil {
			return nil, fmt.Errorf("could not create cache store %q: %w", abs, err)
		}
	}
	return &Store{root: abs, now: time.Now}, nil
}

// entryID names an entry: one per scope, version and key. Keys compare
// without case, as GitHub's service does (actions/cache isExactKeyMatch
// exists because the service may return the key in another case).
func entryID(scope, version, key string) string {
	sum := sha256.Sum256([]byte(scope + "\x00" + version + "\x00" + strings.ToLower(key)))
	return hex.EncodeToString(sum[:])
}

func (s *Store) entryPath(id, ext string) string {
	return filepath.Join(s.root, "entries", id+ext)
}

// entries lists the published entries with the given version.
func (s *Store) entries(version string) ([]entry, error) {
	dirents, err := os.ReadDir(filepath.Join(s.root, "entries"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // emptied (rehearse cache prune) meanwhile: no entries
	}
	if err != nil {
		return nil, fmt.Errorf("could not list cache entries: %w", err)
	}
	var out []entry
	for _, d := range dirents {
		name := d.Name()
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(s.root, "entries", name))
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("could not read cache entry %q: %w", name, err)
		}
		var e entry
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, fmt.Errorf("could not parse cache entry %q: %w", name, err)
		}
		if e.Version != version {
			continue
		}
		e.ID = strings.TrimSuffix(name, ".json")
		out = append(out, e)
	}
	return out, nil
}

// lookup finds the entry GitHub would restore. Scopes are searched in order
// (the current branch, then the PR base branch, then the default branch);
// within a scope each key in order, first exactly and then as a prefix, the
// newest prefix match winning. Both comparisons ignore case.
//
// Source: GitHub docs "Dependency caching reference", sections "cache action
// usage" and "Cache key matching" (search priority: every key in the feature
// branch, then every key in the main branch).
func lookup(entries []entry, scopes, keys []string) (entry, bool) {
	for _, scope := range scopes {
		for _, key := range keys {
			lower := strings.ToLower(key)
			var best entry
			found := false
			for _, e := range entries {
				if e.Scope == scope && strings.EqualFold(e.Key, key) {
					return e, true
				}
			}
			for _, e := range entries {
				if e.Scope != scope || !strings.HasPrefix(strings.ToLower(e.Key), lower) {
					continue
				}
				if !found || e.Created.After(best.Created) {
					best, found = e, true
				}
			}
			if found {
				return best, true
			}
		}
	}
	return entry{}, false
}

// reserve claims an entry id for saving. It reports false when the entry
// exists or another save holds it.
func (s *Store) reserve(id string) (bool, error) {
	// The store may have been pruned since it was opened.
	for _, d := range []string{"entries", "tmp"} {
		if err := os.MkdirAll(filepath.Join(s.root, d), 0o755); err != nil {
			return false, fmt.Errorf("could not create cache store %q: %w", s.root, err)
		}
	}
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(s.entryPath(id, ".reserved"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			return true, f.Close()
		}
		if !errors.Is(err, fs.ErrExist) {
			return false, fmt.Errorf("could not reserve cache entry: %w", err)
		}
		if _, err := os.Stat(s.entryPath(id, ".json")); err == nil {
			return false, nil
		}
		info, err := os.Stat(s.entryPath(id, ".reserved"))
		if err != nil || s.now().Sub(info.ModTime()) < staleReservation {
			return false, nil
		}
		// The process holding the reservation died before publishing.
		if err := os.Remove(s.entryPath(id, ".reserved")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("could not clear stale cache reservation: %w", err)
		}
	}
	return false, nil
}

// release drops a reservation whose save failed, so a later save may retry.
func (s *Store) release(id string) {
	_ = os.Remove(s.entryPath(id, ".reserved"))
}

// publish writes the metadata atomically; from then on lookups see the entry.
func (s *Store) publish(e entry) error {
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), e.ID+"-*.json")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), s.entryPath(e.ID, ".json"))
}

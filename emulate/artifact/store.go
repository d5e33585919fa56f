package artifact

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Artifact describes one uploaded artifact.
type Artifact struct {
	// ID is unique within the run and never reused, even after an overwrite.
	ID int64 `json:"id"`
	// Name is the artifact name; at most one live artifact has it.
	Name string `json:"name"`
	// Size is the zip's size in bytes (GitHub's size_in_bytes).
	Size int64 `json:"size"`
	// Files is the number of files in the artifact.
	Files int `json:"files"`
	// Digest is the hex sha256 of the zip (the `artifact-digest` output).
	Digest string `json:"digest"`
	// Created is when the upload finished.
	Created time.Time `json:"created"`
}

// Store keeps one run's artifacts under a directory. It is safe for
// concurrent use by the run's jobs.
//
// Layout: <dir>/<id>.zip per artifact and <dir>/index.json listing the live
// artifacts for the run report.
type Store struct {
	dir string

	// mu guards the fields below. Zips are written and read outside the
	// lock; a name is reserved in pending while its zip is being written.
	mu        sync.Mutex
	nextID    int64
	artifacts []Artifact
	pending   map[string]bool
	now       func() time.Time
}

// NewStore returns the store for the run directory dir. The directory is
// created on the first upload.
func NewStore(dir string) *Store {
	return &Store{dir: dir, nextID: 1, pending: map[string]bool{}, now: time.Now}
}

// List returns the live artifacts in upload order.
func (s *Store) List() []Artifact {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.artifacts)
}

func (s *Store) zipPath(id int64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%d.zip", id))
}

// find returns the live artifact named name.
func (s *Store) find(name string) (Artifact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.artifacts {
		if a.Name == name {
			return a, true
		}
	}
	return Artifact{}, false
}

// remove deletes the live artifact named name, as the artifact API's delete
// does for overwrite: true.
func (s *Store) remove(name string) (Artifact, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.artifacts, func(a Artifact) bool { return a.Name == name })
	if i < 0 {
		return Artifact{}, false, nil
	}
	a := s.artifacts[i]
	s.artifacts = slices.Delete(s.artifacts, i, i+1)
	if err := os.Remove(s.zipPath(a.ID)); err != nil && !os.IsNotExist(err) {
		return a, true, err
	}
	return a, true, s.writeIndexLocked()
}

// reserve claims name for an upload and allocates its id. It fails when an
// artifact with the name exists or is being uploaded, which GitHub's
// CreateArtifact answers with 409 Conflict.
func (s *Store) reserve(name string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending[name] || slices.ContainsFunc(s.artifacts, func(a Artifact) bool { return a.Name == name }) {
		return 0, false
	}
	s.pending[name] = true
	id := s.nextID
	s.nextID++
	return id, true
}

// finish publishes a reserved upload, or drops the reservation when a is nil.
func (s *Store) finish(name string, a *Artifact) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pending, name)
	if a == nil {
		return nil
	}
	a.Created = s.now()
	s.artifacts = append(s.artifacts, *a)
	return s.writeIndexLocked()
}

// writeIndexLocked records the live artifacts for tools that read the run
// directory. s.mu must be held.
func (s *Store) writeIndexLocked() error {
	data, err := json.MarshalIndent(s.artifacts, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, "index.json.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("could not write artifact index: %w", err)
	}
	return os.Rename(tmp, filepath.Join(s.dir, "index.json"))
}

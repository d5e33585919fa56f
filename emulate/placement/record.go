package placement

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	digest "github.com/opencontainers/go-digest"
)

// RecordFile is the record's file name in the state directory.
const RecordFile = "placement.json"

const (
	// recordVersion is the file format; a file of another version is
	// started afresh, as a corrupt one is.
	recordVersion = 1
	// maxEntries bounds the record: past it the oldest entries go. At
	// about 200 bytes an entry the file stays under 200 KB, and 1,000
	// entries are a fleet of 50 builders with 20 projects each.
	maxEntries = 1000
	// maxRecordBytes is the largest file read: a bigger one was not written
	// by rehearse, and is started afresh rather than read into memory.
	maxRecordBytes = 4 << 20
)

// Entry is one past placement: a cell of Image (at Digest) with
// dependency key DepKey finished on Builder at At.
type Entry struct {
	Builder string        `json:"builder"`
	Image   string        `json:"image,omitempty"`
	Digest  digest.Digest `json:"digest,omitempty"`
	DepKey  string        `json:"depKey,omitempty"`
	At      time.Time     `json:"at"`
}

// recordJSON is the file's shape.
type recordJSON struct {
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
}

// Record is rehearse's record of past placements, kept in its state
// directory across runs. It says which builder ran which image and which
// dependency key, and when; a [Placer] trusts an entry only while the
// builder still reports what the entry speaks of. Its methods are safe
// from several goroutines.
type Record struct {
	mu   sync.Mutex
	path string // "" for a record that is never saved
	// entries is the newest time of each entry; a map, as a run adds an
	// entry per finished cell and most repeat one.
	entries map[entryID]time.Time
	// depAt is the newest entry's time per builder and dependency key, and
	// digestOf the newest digest per builder and image reference: the two
	// questions placement asks, once per builder per cell.
	depAt    map[[2]string]time.Time
	digestOf map[[2]string]Entry
}

// entryID is an entry but for its time.
type entryID struct {
	builder, image string
	digest         digest.Digest
	depKey         string
}

// LoadRecord reads the record in dir. It always returns a usable record:
// when the file is missing the record is empty; when it cannot be read or
// is not a record (corrupt, cut short, another version, too large) the
// record is empty and the error is a warning to show, saying what and
// where. Saving then replaces the file.
func LoadRecord(dir string) (*Record, error) {
	r := &Record{path: filepath.Join(dir, RecordFile)}
	r.reset()
	f, err := os.Open(r.path)
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("could not read the placement record %q, placing without it: %w", r.path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRecordBytes+1))
	if err != nil {
		return r, fmt.Errorf("could not read the placement record %q, placing without it: %w", r.path, err)
	}
	if len(data) > maxRecordBytes {
		return r, fmt.Errorf("the placement record %q is over %d MiB, which rehearse never writes; placing without it (it is replaced after the run)", r.path, maxRecordBytes>>20)
	}
	var file recordJSON
	if err := json.Unmarshal(data, &file); err != nil {
		return r, fmt.Errorf("the placement record %q is corrupt (%v); placing without it (it is replaced after the run)", r.path, err)
	}
	if file.Version != recordVersion {
		return r, fmt.Errorf("the placement record %q has version %d, not %d; placing without it (it is replaced after the run)", r.path, file.Version, recordVersion)
	}
	for _, e := range file.Entries {
		// An entry without a builder or a time says nothing usable.
		if e.Builder != "" && !e.At.IsZero() {
			r.put(e)
		}
	}
	// A file may hold more (hand-edited, or written with a larger bound).
	r.trim(maxEntries)
	return r, nil
}

// Save writes the record atomically: a reader (another run) sees the old
// file or the new one, never part of one. Two runs that end together each
// write their own view; the last one wins, which costs affinity, not
// correctness.
func (r *Record) Save() error {
	r.mu.Lock()
	entries := r.sorted()
	path := r.path
	r.mu.Unlock()
	entries = entries[max(0, len(entries)-maxEntries):]
	data, err := json.MarshalIndent(recordJSON{Version: recordVersion, Entries: entries}, "", "  ")
	if err != nil {
		return fmt.Errorf("could not encode the placement record: %w", err)
	}
	if path == "" {
		return errors.New("the placement record has no file: it was not loaded from a state directory")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("could not write the placement record %q: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, ".placement-*.json")
	if err != nil {
		return fmt.Errorf("could not write the placement record %q: %w", path, err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("could not write the placement record %q: %w", path, err)
	}
	return nil
}

// add records e, or a newer time for an entry like it. Past the bound by
// a quarter the oldest entries are dropped (the slack keeps that rare);
// Save writes the newest maxEntries.
func (r *Record) add(e Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.put(e)
	if len(r.entries) > maxEntries+maxEntries/4 {
		r.trim(maxEntries)
	}
}

// depSince is the time of the newest entry of builder with depKey, zero
// when there is none.
func (r *Record) depSince(builder, depKey string) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.depAt[[2]string{builder, depKey}]
}

// digest is the digest builder last ran image at, "" when unknown.
func (r *Record) digest(builder, image string) digest.Digest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.digestOf[[2]string{builder, image}].Digest
}

// clone is a copy that is never saved, for a forecast.
func (r *Record) clone() *Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := &Record{}
	c.reset()
	for _, e := range r.sorted() {
		c.put(e)
	}
	return c
}

func (r *Record) reset() {
	r.entries = make(map[entryID]time.Time)
	r.depAt = make(map[[2]string]time.Time)
	r.digestOf = make(map[[2]string]Entry)
}

// put adds e and indexes it. r.mu is held (or r is not shared yet).
func (r *Record) put(e Entry) {
	id := entryID{e.Builder, e.Image, e.Digest, e.DepKey}
	if old, ok := r.entries[id]; ok && !e.At.After(old) {
		return
	}
	r.entries[id] = e.At
	if e.DepKey != "" {
		k := [2]string{e.Builder, e.DepKey}
		if e.At.After(r.depAt[k]) {
			r.depAt[k] = e.At
		}
	}
	if e.Image != "" && e.Digest != "" {
		k := [2]string{e.Builder, e.Image}
		if old, ok := r.digestOf[k]; !ok || !old.At.After(e.At) {
			r.digestOf[k] = e
		}
	}
}

// trim keeps the newest n entries.
func (r *Record) trim(n int) {
	if len(r.entries) <= n {
		return
	}
	keep := r.sorted()
	keep = keep[len(keep)-n:]
	r.reset()
	for _, e := range keep {
		r.put(e)
	}
}

// sorted is the entries oldest first; equal times in a fixed order, so
// that the file does not change between saves of the same record.
func (r *Record) sorted() []Entry {
	out := make([]Entry, 0, len(r.entries))
	for id, at := range r.entries {
		out = append(out, Entry{Builder: id.builder, Image: id.image, Digest: id.digest, DepKey: id.depKey, At: at})
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Builder, b.Builder), cmp.Compare(a.Image, b.Image),
			cmp.Compare(a.Digest, b.Digest), cmp.Compare(a.DepKey, b.DepKey))
	})
	return out
}

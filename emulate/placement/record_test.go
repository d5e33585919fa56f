package placement

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRecordSaveAndLoad(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state") // Save makes it
	rec, warn := LoadRecord(dir)
	if warn != nil {
		t.Fatalf("a missing record is no warning: %v", warn)
	}
	want := []Entry{
		{Builder: "b1", Image: imgRef, Digest: imgDig, DepKey: depKey, At: t0.Add(-2 * time.Hour)},
		{Builder: "b2", DepKey: depKey, At: t0.Add(-time.Hour)},
	}
	for _, e := range want {
		rec.add(e)
	}
	rec.add(want[1]) // the same entry again is one entry
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	again, warn := LoadRecord(dir)
	if warn != nil {
		t.Fatal(warn)
	}
	if diff := cmp.Diff(want, again.sorted()); diff != "" {
		t.Errorf("entries after a round trip (-want +got):\n%s", diff)
	}
	if got := again.digest("b1", imgRef); got != imgDig {
		t.Errorf("digest of b1's image = %q", got)
	}
	if got := again.depSince("b2", depKey); !got.Equal(t0.Add(-time.Hour)) {
		t.Errorf("b2's dependency key entry at %v", got)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 || files[0].Name() != RecordFile {
		t.Errorf("the state directory holds %v, want only %s (no temporary file left)", files, RecordFile)
	}
}

func TestRecordLoadStartsEmptyWithAWarning(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		data string
		want string // in the warning
	}{
		{"corrupt", `{"version": 1, "entries": [{"builder": "b1", "at": `, "is corrupt"},
		{"not JSON", "\x00\xff garbage", "is corrupt"},
		{"wrong shape", `{"version": 1, "entries": {"builder": "b1"}}`, "is corrupt"},
		{"another version", `{"version": 7, "entries": []}`, "has version 7, not 1"},
		{"too large", `{"version": 1, "entries": [], "pad": "` + strings.Repeat("x", maxRecordBytes) + `"}`, "is over 4 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, RecordFile)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			rec, warn := LoadRecord(dir)
			if warn == nil || !strings.Contains(warn.Error(), tc.want) || !strings.Contains(warn.Error(), path) {
				t.Errorf("warning %v, want one naming %s and saying %q", warn, path, tc.want)
			}
			if rec == nil || len(rec.entries) != 0 {
				t.Fatalf("record %v, want an empty one", rec)
			}
			// The empty record is usable and replaces the file.
			rec.add(Entry{Builder: "b1", DepKey: depKey, At: t0})
			if err := rec.Save(); err != nil {
				t.Fatal(err)
			}
			if _, warn := LoadRecord(dir); warn != nil {
				t.Errorf("after Save: %v", warn)
			}
		})
	}
}

func TestRecordLoadDropsUselessEntriesAndSorts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := fmt.Sprintf(`{"version": 1, "entries": [
		{"builder": "b2", "depKey": "k", "at": %q},
		{"builder": "", "depKey": "k", "at": %q},
		{"builder": "b1", "depKey": "k"},
		{"builder": "b1", "depKey": "k", "at": %q}
	]}`, t0.Format(time.RFC3339), t0.Format(time.RFC3339), t0.Add(-time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, RecordFile), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, warn := LoadRecord(dir)
	if warn != nil {
		t.Fatal(warn)
	}
	want := []Entry{{Builder: "b1", DepKey: "k", At: t0.Add(-time.Hour)}, {Builder: "b2", DepKey: "k", At: t0}}
	if diff := cmp.Diff(want, rec.sorted()); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestRecordIsBounded(t *testing.T) {
	t.Parallel()
	entry := func(i int) Entry {
		return Entry{Builder: fmt.Sprintf("b%d", i%50), DepKey: fmt.Sprintf("k%d", i), At: t0.Add(time.Duration(i) * time.Second)}
	}
	t.Run("a run that adds more than the bound saves the newest", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		rec, _ := LoadRecord(dir)
		const n = 3 * maxEntries
		for i := range n {
			rec.add(entry(i))
			if len(rec.entries) > maxEntries+maxEntries/4 {
				t.Fatalf("%d entries in memory after %d added", len(rec.entries), i+1)
			}
		}
		if err := rec.Save(); err != nil {
			t.Fatal(err)
		}
		again, warn := LoadRecord(dir)
		if warn != nil {
			t.Fatal(warn)
		}
		got := again.sorted()
		if len(got) != maxEntries || got[0] != entry(n-maxEntries) || got[maxEntries-1] != entry(n-1) {
			t.Fatalf("saved %d entries from %+v to %+v, want the newest %d", len(got), got[0], got[len(got)-1], maxEntries)
		}
		if at := again.depSince("b0", "k0"); !at.IsZero() {
			t.Errorf("a dropped entry is still found: %v", at)
		}
		if e := entry(n - maxEntries); again.depSince(e.Builder, e.DepKey).IsZero() {
			t.Error("the oldest kept entry is not found")
		}
	})
	t.Run("a file over the bound loads its newest entries", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		var file recordJSON
		file.Version = recordVersion
		for i := maxEntries + 4; i >= 0; i-- { // newest first: order does not matter
			file.Entries = append(file.Entries, entry(i))
		}
		data, err := json.Marshal(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, RecordFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		rec, warn := LoadRecord(dir)
		if warn != nil {
			t.Fatal(warn)
		}
		got := rec.sorted()
		if len(got) != maxEntries || got[0] != entry(5) {
			t.Errorf("loaded %d entries from %+v, want %d from %+v", len(got), got[0], maxEntries, entry(5))
		}
	})
}

func TestRecordSaveWithoutAFile(t *testing.T) {
	t.Parallel()
	if err := recordOf().Save(); err == nil {
		t.Error("Save of a record that was not loaded from a directory succeeded")
	}
}

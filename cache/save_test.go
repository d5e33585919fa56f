package cache

import (
	"os"
	"sync"
	"testing"
	"time"
)

func TestSave(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what      string
		before    []string // keys saved first, in scope "main"
		req       SaveRequest
		wantSaved bool
		wantMsg   string
	}{
		// actions/cache src/saveImpl.ts and @actions/cache cache.ts saveCacheV2.
		{"first save", nil, SaveRequest{Key: "k", Paths: []string{"out"}, Scope: "main"},
			true, "Cache saved with key: k"},
		{"same key twice", []string{"k"}, SaveRequest{Key: "k", Paths: []string{"out"}, Scope: "main"},
			false, "Failed to save: Unable to reserve cache with key k, another job may be creating this cache."},
		{"same key in another case", []string{"k"}, SaveRequest{Key: "K", Paths: []string{"out"}, Scope: "main"},
			false, "Failed to save: Unable to reserve cache with key K, another job may be creating this cache."},
		{"same key in another scope", []string{"k"}, SaveRequest{Key: "k", Paths: []string{"out"}, Scope: "feature"},
			true, "Cache saved with key: k"},
		{"same key with other paths is another version", []string{"k"}, SaveRequest{Key: "k", Paths: []string{"out/*"}, Scope: "main"},
			true, "Cache saved with key: k"},
		{"exact hit on restore skips the save", nil, SaveRequest{Key: "k", Paths: []string{"out"}, MatchedKey: "K"},
			false, "Cache hit occurred on the primary key k, not saving cache."},
		{"restore-key hit still saves", nil, SaveRequest{Key: "k-2", Paths: []string{"out"}, MatchedKey: "k-1"},
			true, "Cache saved with key: k-2"},
		{"nothing matches the paths", nil, SaveRequest{Key: "k", Paths: []string{"missing/*"}},
			false, "[warning]Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved."},
		{"no key", nil, SaveRequest{Paths: []string{"out"}},
			false, "[warning]Key is not specified."},
		{"bad key is only a warning after the job", nil, SaveRequest{Key: "a,b", Paths: []string{"out"}},
			false, "[warning]Key Validation Error: a,b cannot contain commas."},
		{"no path", nil, SaveRequest{Key: "k"},
			false, "[warning]Input required and not supplied: path"},
		{"bad pattern", nil, SaveRequest{Key: "k", Paths: []string{"../x"}},
			false, "[warning]Invalid pattern '../x'. Relative pathing '.' and '..' is not allowed."},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			j := newJob(t)
			tree(t, j.ws, map[string]string{"out/f": "f"})
			for _, k := range tc.before {
				save(t, s, j, "main", k, []string{"out"}, nil)
			}
			req := tc.req
			req.Workspace, req.Home = j.ws, j.home
			saved, msg, err := s.Save(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			if saved != tc.wantSaved || msg != tc.wantMsg {
				t.Errorf("Save = (%v, %q), want (%v, %q)", saved, msg, tc.wantSaved, tc.wantMsg)
			}
		})
	}
}

func TestSaveConcurrentSameKey(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	s.now = time.Now // the fake clock is not safe for concurrent use
	const jobs = 8
	var wg sync.WaitGroup
	saved := make([]bool, jobs) // one slot per goroutine
	errs := make([]error, jobs)
	for i := range jobs {
		j := newJob(t)
		tree(t, j.ws, map[string]string{"out/f": "job"})
		wg.Add(1)
		go func() {
			defer wg.Done()
			saved[i], _, errs[i] = s.Save(t.Context(), SaveRequest{Key: "shared", Paths: []string{"out"}, Workspace: j.ws, Home: j.home, Scope: "main"})
		}()
	}
	wg.Wait()
	n := 0
	for i := range jobs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if saved[i] {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d of %d concurrent saves of one key succeeded, want exactly 1", n, jobs)
	}
	entries, err := s.entries(Version([]string{"out"}, false))
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries = %v, %v; want one", entries, err)
	}
}

func TestSaveTakesOverStaleReservation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what      string
		age       time.Duration
		wantSaved bool
	}{
		{"a fresh reservation blocks the save", time.Minute, false},
		{"a reservation older than an hour without an entry is taken over", 2 * time.Hour, true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			s.now = time.Now
			j := newJob(t)
			tree(t, j.ws, map[string]string{"out/f": "f"})
			id := entryID("main", Version([]string{"out"}, false), "k")
			marker := s.entryPath(id, ".reserved")
			if err := os.WriteFile(marker, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-tc.age)
			if err := os.Chtimes(marker, old, old); err != nil {
				t.Fatal(err)
			}
			saved, msg, err := s.Save(t.Context(), SaveRequest{Key: "k", Paths: []string{"out"}, Workspace: j.ws, Home: j.home, Scope: "main"})
			if err != nil {
				t.Fatal(err)
			}
			if saved != tc.wantSaved {
				t.Errorf("Save = (%v, %q), want saved %v", saved, msg, tc.wantSaved)
			}
		})
	}
}

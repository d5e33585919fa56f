package cache

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seeded is a store with entries saved in order (so later is newer), each
// holding the file out/which.txt whose content names the entry.
type seeded struct {
	scope, key string
	paths      []string
}

func TestRestoreLookup(t *testing.T) {
	t.Parallel()
	paths := []string{"out"}
	tests := []struct {
		what        string
		entries     []seeded
		key         string
		restoreKeys []string
		scopes      []string
		reqPaths    []string
		wantKey     string
		wantExact   bool
	}{
		{"exact hit", []seeded{{"main", "npm-abc", paths}, {"main", "npm-abcd", paths}},
			"npm-abc", nil, []string{"main"}, paths, "npm-abc", true},
		{"exact hit ignores case", []seeded{{"main", "Linux-npm-abc", paths}},
			"linux-NPM-abc", nil, []string{"main"}, paths, "Linux-npm-abc", true},
		{"the primary key is also a prefix (docs: partial matches of the key)", []seeded{{"main", "npm-abc-1", paths}},
			"npm-abc", nil, []string{"main"}, paths, "npm-abc-1", false},
		{"prefix restore picks the newest", []seeded{{"main", "npm-1", paths}, {"main", "npm-3", paths}, {"main", "npm-2", paths}},
			"npm-zzz", []string{"npm-"}, []string{"main"}, paths, "npm-2", false},
		{"a restore key matches exactly before by prefix", []seeded{{"main", "npm-", paths}, {"main", "npm-new", paths}},
			"x", []string{"npm-"}, []string{"main"}, paths, "npm-", false},
		{"restore keys are tried in order", []seeded{{"main", "npm-feature-1", paths}, {"main", "npm-main-1", paths}},
			"x", []string{"npm-feature-", "npm-"}, []string{"main"}, paths, "npm-feature-1", false},
		{"version mismatch misses", []seeded{{"main", "npm-abc", []string{"other"}}},
			"npm-abc", []string{"npm-"}, []string{"main"}, paths, "", false},
		// docs "Example of search priority": all keys in the feature branch,
		// then all keys in the main branch.
		{"every key in the current scope before the next scope", []seeded{{"main", "npm-abc", paths}, {"feature", "npm-old", paths}},
			"npm-abc", []string{"npm-"}, []string{"feature", "main"}, paths, "npm-old", false},
		{"falls back to the default branch scope", []seeded{{"main", "npm-abc", paths}},
			"npm-abc", nil, []string{"feature", "main"}, paths, "npm-abc", true},
		{"other scopes are invisible", []seeded{{"sibling", "npm-abc", paths}},
			"npm-abc", nil, []string{"feature", "main"}, paths, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			src := newJob(t)
			for _, e := range tc.entries {
				save(t, s, src, e.scope, e.key, e.paths, map[string]string{
					filepath.Join(e.paths[0], "which.txt"): e.scope + "/" + e.key,
				})
			}
			dst := newJob(t)
			res, err := s.Restore(t.Context(), RestoreRequest{
				Key: tc.key, RestoreKeys: tc.restoreKeys, Paths: tc.reqPaths,
				Workspace: dst.ws, Home: dst.home, Scopes: tc.scopes,
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.MatchedKey != tc.wantKey || res.ExactHit != tc.wantExact {
				t.Fatalf("Restore = (%q, exact %v), want (%q, exact %v)", res.MatchedKey, res.ExactHit, tc.wantKey, tc.wantExact)
			}
			if tc.wantKey == "" {
				if _, err := os.Stat(filepath.Join(dst.ws, "out")); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("a miss restored files: %v", err)
				}
				return
			}
			got, err := os.ReadFile(filepath.Join(dst.ws, "out", "which.txt"))
			if err != nil {
				t.Fatal(err)
			}
			var wantScope string
			for _, e := range tc.entries {
				if e.key == tc.wantKey {
					wantScope = e.scope
				}
			}
			if string(got) != wantScope+"/"+tc.wantKey {
				t.Errorf("restored content %q, want %q", got, wantScope+"/"+tc.wantKey)
			}
		})
	}
}

func TestRestoreMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		req     RestoreRequest
		want    []string
		wantErr string
	}{
		// actions/cache src/restoreImpl.ts and @actions/cache cache.ts restoreCacheV2.
		{"exact hit", RestoreRequest{Key: "k-1", Paths: []string{"out"}},
			[]string{"Cache hit for: k-1", "Cache Size: ~0 MB (<size> B)", "Cache restored successfully", "Cache restored from key: k-1"}, ""},
		{"restore key hit", RestoreRequest{Key: "k-2", RestoreKeys: []string{"k-"}, Paths: []string{"out"}},
			[]string{"Cache hit for restore-key: k-1", "Cache Size: ~0 MB (<size> B)", "Cache restored successfully", "Cache restored from key: k-1"}, ""},
		{"lookup only", RestoreRequest{Key: "k-1", Paths: []string{"out"}, LookupOnly: true},
			[]string{"Cache hit for: k-1", "Lookup only - skipping download", "Cache found and can be restored from key: k-1"}, ""},
		{"miss", RestoreRequest{Key: "z-1", RestoreKeys: []string{"z-", "y-"}, Paths: []string{"out"}},
			[]string{"Cache not found for input keys: z-1, z-, y-"}, ""},
		{"miss with fail-on-cache-miss", RestoreRequest{Key: "z-1", Paths: []string{"out"}, FailOnCacheMiss: true},
			nil, "Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: z-1"},
		{"no path", RestoreRequest{Key: "k-1"},
			nil, "Input required and not supplied: path"},
		{"bad key", RestoreRequest{Key: "a,b", Paths: []string{"out"}},
			nil, "Key Validation Error: a,b cannot contain commas."},
	}
	s := newStore(t)
	src := newJob(t)
	save(t, s, src, "", "k-1", []string{"out"}, map[string]string{"out/a": "a"})
	entries, err := s.entries(Version([]string{"out"}, false))
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries = %v, %v", entries, err)
	}
	size := entries[0].Size
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dst := newJob(t)
			req := tc.req
			req.Workspace, req.Home = dst.ws, dst.home
			res, err := s.Restore(t.Context(), req)
			if tc.wantErr != "" {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Msg != tc.wantErr {
					t.Fatalf("Restore error = %v, want ValidationError %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := make([]string, len(tc.want))
			for i, m := range tc.want {
				want[i] = strings.ReplaceAll(m, "<size>", strconv.FormatInt(size, 10))
			}
			if diff := cmp.Diff(want, res.Messages); diff != "" {
				t.Errorf("messages mismatch (-want +got):\n%s", diff)
			}
			if req.LookupOnly {
				if _, err := os.Stat(filepath.Join(dst.ws, "out")); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("lookup-only extracted files: %v", err)
				}
			}
		})
	}
}

func TestRestoreHomeAndGlobPaths(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	src := newJob(t)
	paths := InputLines("~/.cache/tool\nbuild/*.o\n!build/skip.o")
	tree(t, src.home, map[string]string{".cache/tool/db": "tool db", ".cache/other": "not saved"})
	save(t, s, src, "main", "k", paths, map[string]string{
		"build/a.o": "a", "build/b.o": "b", "build/skip.o": "skip", "build/c.txt": "not an object",
	})

	dst := newJob(t) // another workspace depth and another HOME
	res, err := s.Restore(t.Context(), RestoreRequest{Key: "k", Paths: paths, Workspace: dst.ws, Home: dst.home, Scopes: []string{"main"}})
	if err != nil {
		t.Fatal(err)
	}
	wantRestored := []string{
		filepath.Join(dst.home, ".cache/tool"),
		filepath.Join(dst.ws, "build/a.o"),
		filepath.Join(dst.ws, "build/b.o"),
	}
	if diff := cmp.Diff(wantRestored, res.Restored); diff != "" {
		t.Errorf("Restored mismatch (-want +got):\n%s", diff)
	}
	checks := []struct {
		what  string
		path  string
		exist bool
	}{
		{"home path lands in the new HOME", filepath.Join(dst.home, ".cache/tool/db"), true},
		{"sibling of a home path is not saved", filepath.Join(dst.home, ".cache/other"), false},
		{"glob match", filepath.Join(dst.ws, "build/a.o"), true},
		{"excluded match", filepath.Join(dst.ws, "build/skip.o"), false},
		{"non-matching file", filepath.Join(dst.ws, "build/c.txt"), false},
	}
	for _, c := range checks {
		_, err := os.Stat(c.path)
		if exists := err == nil; exists != c.exist {
			t.Errorf("%s: %s exists = %v, want %v", c.what, c.path, exists, c.exist)
		}
	}
}

package glob

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tree creates files (and, for names ending in "/", directories) under root.
func tree(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, n)
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// rel strips root from each result so expectations stay short.
func rel(root string, paths []string) []string {
	out := []string{}
	for _, p := range paths {
		r, err := filepath.Rel(root, p)
		if err != nil {
			r = p
		}
		out = append(out, r)
	}
	return out
}

func TestGlob(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	ws := filepath.Join(root, "ws")
	home := filepath.Join(root, "home")
	tree(t, root,
		"ws/a.txt", "ws/b.log", "ws/.env", "ws/{x,y}.txt",
		"ws/dir/one.txt", "ws/dir/sub/two.txt", "ws/dir/.hidden/three.txt", "ws/dir/empty/",
		"home/.cache/pip/http/k", "home/.npm/_cacache/i",
	)
	noImplicit := DefaultOptions()
	noImplicit.ImplicitDescendants = false
	hidden := DefaultOptions()
	hidden.ExcludeHiddenFiles = true

	tests := []struct {
		what     string
		patterns string
		opts     Options
		want     []string
	}{
		{"directory with implicit descendants yields it and everything below, byte order", "dir", DefaultOptions(),
			[]string{"ws/dir", "ws/dir/.hidden", "ws/dir/.hidden/three.txt", "ws/dir/empty", "ws/dir/one.txt", "ws/dir/sub", "ws/dir/sub/two.txt"}},
		{"directory without implicit descendants (actions/cache) yields only it", "dir", noImplicit,
			[]string{"ws/dir"}},
		{"globstar file pattern", "**/*.txt", DefaultOptions(),
			[]string{"ws/a.txt", "ws/dir/.hidden/three.txt", "ws/dir/one.txt", "ws/dir/sub/two.txt", "ws/{x,y}.txt"}},
		{"exclusion removes a subtree", "dir\n!dir/sub", DefaultOptions(),
			[]string{"ws/dir", "ws/dir/.hidden", "ws/dir/.hidden/three.txt", "ws/dir/empty", "ws/dir/one.txt"}},
		// internal-pattern-helper.ts match applies patterns in order, so an
		// include after an exclusion adds the excluded paths back.
		{"an include after an exclusion re-adds what it excluded", "!dir/sub\ndir", DefaultOptions(),
			[]string{"ws/dir", "ws/dir/.hidden", "ws/dir/.hidden/three.txt", "ws/dir/empty", "ws/dir/one.txt", "ws/dir/sub", "ws/dir/sub/two.txt"}},
		{"comments and blank lines are skipped", "# a comment\n\n  a.txt  \n", DefaultOptions(),
			[]string{"ws/a.txt"}},
		{"braces are literal", "{x,y}.txt", DefaultOptions(),
			[]string{"ws/{x,y}.txt"}},
		{"star matches dot files", "*", noImplicit,
			[]string{"ws/.env", "ws/a.txt", "ws/b.log", "ws/dir", "ws/{x,y}.txt"}},
		{"exclude hidden skips dot files and dot directories", "*\ndir/**", hidden,
			[]string{"ws/a.txt", "ws/b.log", "ws/dir", "ws/dir/empty", "ws/dir/one.txt", "ws/dir/sub", "ws/dir/sub/two.txt", "ws/{x,y}.txt"}},
		// Only the basename of each visited entry is checked: a hidden search
		// root is skipped, a hidden directory above the search root is not.
		{"exclude hidden skips a hidden search root but not hidden ancestors", ".env\n~/.cache/pip", hidden,
			[]string{"home/.cache/pip", "home/.cache/pip/http", "home/.cache/pip/http/k"}},
		{"tilde patterns search the home directory", "~/.cache/pip\n~/.npm", noImplicit,
			[]string{"home/.cache/pip", "home/.npm"}},
		{"trailing slash matches only directories", "dir/*/", noImplicit,
			[]string{"ws/dir/.hidden", "ws/dir/empty", "ws/dir/sub"}},
		{"missing search paths are skipped", "nope/*\na.txt", DefaultOptions(),
			[]string{"ws/a.txt"}},
		{"class", "[ab].*", DefaultOptions(),
			[]string{"ws/a.txt", "ws/b.log"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			opts := tc.opts
			opts.Dir, opts.Home = ws, home
			g, err := New(tc.patterns, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := g.Glob(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, rel(root, got)); diff != "" {
				t.Errorf("Glob(%q) mismatch (-want +got):\n%s", tc.patterns, diff)
			}
		})
	}
}

func TestGlobRootPattern(t *testing.T) {
	t.Parallel()
	opts := DefaultOptions()
	opts.ImplicitDescendants = false
	opts.Dir, opts.Home = "/", "/"
	g, err := New("/", opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := g.Glob(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/"}, got); diff != "" {
		t.Errorf("Glob(\"/\") mismatch (-want +got):\n%s", diff)
	}
}

func TestGlobSymlinks(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	tree(t, root, "d/f.txt")
	if err := os.Symlink(root+"/d", root+"/d/loop"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root+"/missing", root+"/d/broken"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		what    string
		mutate  func(*Options)
		want    []string
		wantErr string
	}{
		// DefaultGlobber.stat returns undefined for a directory already on the
		// traversal chain, so the looping link is neither walked nor listed.
		{"a symlink cycle and a broken link are left out", func(*Options) {},
			[]string{"d", "d/f.txt"}, ""},
		{"without following, links are files", func(o *Options) { o.FollowSymbolicLinks = false },
			[]string{"d", "d/broken", "d/f.txt", "d/loop"}, ""},
		{"broken links fail unless omitted", func(o *Options) { o.OmitBrokenSymbolicLinks = false },
			nil, "No information found for the path '" + root + "/d/broken'. This may indicate a broken symbolic link."},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			opts := DefaultOptions()
			opts.Dir, opts.Home = root, root
			tc.mutate(&opts)
			g, err := New("d", opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := g.Glob(t.Context())
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Glob error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, rel(root, got)); diff != "" {
				t.Errorf("Glob mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSearchPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		patterns string
		want     []string
	}{
		// The two examples of internal-globber.ts Globber.getSearchPaths.
		{"separate directories", "/foo/*\n/bar/*", []string{"/foo", "/bar"}},
		{"a descendant is dropped", "/foo/*\n/foo/bar/*", []string{"/foo"}},
		{"a descendant listed first is dropped too", "/foo/bar/*\n/foo/*", []string{"/foo"}},
		{"exclusions are not search paths", "/foo/*\n!/baz", []string{"/foo"}},
		{"duplicates collapse", "/foo/a\n/foo/a", []string{"/foo/a"}},
		{"relative patterns use the working directory", "out/**/*.whl", []string{"/ws/out"}},
		// From emulate/expr's hashFiles globber, merged here.
		{"one", "src/*.go", []string{"/ws/src"}},
		{"descendants are dropped", "src/a/*.go\nsrc/*\nlib/**", []string{"/ws/src", "/ws/lib"}},
		{"duplicates are dropped", "a/*\na/*.go", []string{"/ws/a"}},
		{"negations do not search", "!x/*\ny", []string{"/ws/y"}},
		{"root", "/*\n/etc/x", []string{"/"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			opts := DefaultOptions()
			opts.Dir, opts.Home = "/ws", "/h"
			g, err := New(tc.patterns, opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, g.SearchPaths()); diff != "" {
				t.Errorf("SearchPaths(%q) mismatch (-want +got):\n%s", tc.patterns, diff)
			}
		})
	}
}

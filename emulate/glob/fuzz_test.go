package glob

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// globDeadline bounds one search of the small fuzz tree.
const globDeadline = 10 * time.Second

// fuzzTree is the tree the fuzzed patterns search, under a job root: a
// workspace six levels deep with dot files, names with glob characters and
// a symlink cycle, and a home directory.
var fuzzTree = []string{
	"ws/a/b/c/d/e/f/deep.go", "ws/a/b/c/x.txt", "ws/a/y.go", "ws/a/.hidden/h.txt",
	"ws/[x]/star*name", "ws/q?/b\\c", "ws/dir/", "ws/.git/config", "home/.cache/pip/p.whl",
}

func makeFuzzTree(f *testing.F) string {
	f.Helper()
	root := f.TempDir()
	for _, n := range fuzzTree {
		p := filepath.Join(root, n)
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				f.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.Symlink("..", filepath.Join(root, "ws", "a", "b", "up")); err != nil {
		f.Fatal(err)
	}
	return root
}

// FuzzGlob: any multi-line path: input (as hashFiles, actions/cache and
// upload-artifact pass it) with any of the options is parsed and searched
// within globDeadline without a panic, and the results are distinct paths
// that exist, lie below a search path, and are files when directories are
// not wanted. Seeds: the patterns of the package's tests and the shapes
// that make a matcher backtrack (runs of **, many classes).
func FuzzGlob(f *testing.F) {
	for _, s := range []string{
		"**/*.go\n!**/deep.go", "a/**/", "~/.cache/pip", "./a/*\n# comment\n\n!!a/y.go",
		"[[]x]/star[*]name", "q[?]/b\\\\c", "**/.hidden/**", "/ws/a/../b", "a/[z-a]/[!x]", "[[:alpha:]]/**",
		strings.Repeat("**/", 40) + "nothing", strings.Repeat("*a", 30) + "/" + strings.Repeat("?", 30),
		strings.Repeat("a/b/up/", 10) + "**",
	} {
		f.Add(s, uint8(0b0111))
		f.Add(s, uint8(0b1010))
	}
	root := makeFuzzTree(f)
	f.Fuzz(func(t *testing.T, patterns string, flags uint8) {
		opts := Options{
			FollowSymbolicLinks:     flags&1 != 0,
			ImplicitDescendants:     flags&2 != 0,
			MatchDirectories:        flags&4 != 0,
			OmitBrokenSymbolicLinks: true,
			ExcludeHiddenFiles:      flags&8 != 0,
			Dir:                     "/ws",
			Home:                    "/home",
			Root:                    root,
		}
		var (
			g       *Globber
			results []string
			err     error
		)
		ctx, cancel := context.WithTimeout(t.Context(), globDeadline)
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			if g, err = New(patterns, opts); err == nil {
				results, err = g.Glob(ctx)
			}
		}()
		select {
		case <-done:
		case <-time.After(globDeadline + time.Second):
			t.Fatalf("globbing %q did not stop within %v", patterns, globDeadline)
		}
		if ctx.Err() != nil {
			t.Fatalf("globbing %q took more than %v", patterns, globDeadline)
		}
		if err != nil {
			return
		}
		search := g.SearchPaths()
		seen := map[string]bool{}
		for _, r := range results {
			if seen[r] {
				t.Errorf("%q: %s is a result twice", patterns, r)
			}
			seen[r] = true
			stat := os.Stat
			if !opts.FollowSymbolicLinks {
				stat = os.Lstat // a link to a directory is then a file
			}
			info, err := stat(Local(root, r))
			if err != nil {
				t.Errorf("%q: result %s: %v", patterns, r, err)
				continue
			}
			if info.IsDir() && !opts.MatchDirectories {
				t.Errorf("%q: result %s is a directory, which MatchDirectories off excludes", patterns, r)
			}
			if !slices.ContainsFunc(search, func(sp string) bool { return r == sp || strings.HasPrefix(r, strings.TrimSuffix(sp, "/")+"/") }) {
				t.Errorf("%q: result %s is below none of the search paths %q", patterns, r, search)
			}
		}
	})
}

// FuzzGlobLiteral: a file name escaped as @actions/glob escapes a literal
// path (Pattern.globEscape) is found, and only it, whatever characters it
// holds.
func FuzzGlobLiteral(f *testing.F) {
	for _, s := range []string{"plain.txt", "[x]", "*", "a?b", `back\slash`, "[!x]", "]x[", "{a,b}", "+(x)", ".dot", " space", "é[é]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if name == "" || name == "." || name == ".." || name == "~" || len(name) > 200 ||
			strings.ContainsAny(name, "/\x00\r\n") || strings.TrimSpace(name) != name ||
			strings.HasPrefix(name, "#") || strings.HasPrefix(name, "!") || !utf8.ValidString(name) {
			// Not one file name, or a line @actions/glob reads as
			// something else, or not UTF-8, which a pattern from a
			// workflow always is (and Go's regexp needs).
			return
		}
		// @actions/glob escapes a "[" only when a "]" follows it after
		// at least one character, before it turns "*" and "?" into "[*]"
		// and "[?]": "a[b*" becomes "a[b[*]", a class. The port keeps
		// that; such a name is not checked.
		for i := range len(name) {
			if name[i] == '[' && !strings.Contains(name[min(i+2, len(name)):], "]") && strings.ContainsAny(name[i:], "*?") {
				return
			}
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			return // a name this file system refuses
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-other"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		opts := DefaultOptions()
		opts.Dir = dir
		g, err := New(globEscape(name), opts)
		if err != nil {
			t.Fatalf("New(%q): %v", globEscape(name), err)
		}
		got, err := g.Glob(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{filepath.Join(dir, name)}; !slices.Equal(got, want) {
			t.Errorf("pattern %q for the file %q found %q", globEscape(name), name, got)
		}
	})
}

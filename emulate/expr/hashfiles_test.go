package expr

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree creates files (path -> content) under a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// wantHash is GitHub's hashFiles result for file contents in order: the
// SHA-256 of the concatenated SHA-256 digests, or "" for none.
func wantHash(contents ...string) string {
	if len(contents) == 0 {
		return ""
	}
	outer := sha256.New()
	for _, c := range contents {
		d := sha256.Sum256([]byte(c))
		outer.Write(d[:])
	}
	return hex.EncodeToString(outer.Sum(nil))
}

var hashTree = map[string]string{
	"a.txt":             "A",
	"a/b.txt":           "B",
	"a.b/c.txt":         "C",
	".hidden/h.txt":     "H",
	"node_modules/x.js": "X",
	"src/main.go":       "M",
	"src/util.go":       "U",
	"src/[x].go":        "BRACKET",
}

func TestHashFiles(t *testing.T) {
	t.Parallel()
	root := writeTree(t, hashTree)
	if err := os.Mkdir(filepath.Join(root, "emptydir"), 0o755); err != nil {
		t.Fatal(err)
	}
	outside := writeTree(t, map[string]string{"o.txt": "O"})
	tests := []struct {
		what     string
		patterns []string
		want     string
	}{
		{"everything, depth first in byte order", []string{"**"}, wantHash("H", "B", "C", "A", "X", "BRACKET", "M", "U")},
		{"top-level only", []string{"*.txt"}, wantHash("A")},
		{"any depth, dot directories included", []string{"**/*.txt"}, wantHash("H", "B", "C", "A")},
		{"a directory means everything below it", []string{"src"}, wantHash("BRACKET", "M", "U")},
		{"trailing slash too", []string{"src/"}, wantHash("BRACKET", "M", "U")},
		// @actions/glob 0.1.2 (actions/toolkit#805), older than the runner's
		// 0.4.0: the implicit `a.txt/**` no longer matches a.txt itself.
		{"trailing slash does not match a file", []string{"a.txt/"}, ""},
		{"negation after", []string{"**/*.go", "!src/util.go"}, wantHash("BRACKET", "M")},
		{"negation before has no effect", []string{"!src/util.go", "**/*.go"}, wantHash("BRACKET", "M", "U")},
		{"negated directory", []string{"**/*.js", "**/*.txt", "!node_modules", "!.hidden"}, wantHash("B", "C", "A")},
		{"double negation", []string{"!!a.txt"}, wantHash("A")},
		{"later patterns re-include", []string{"src/*", "!src/*", "src/main.go"}, wantHash("M")},
		{"no match", []string{"nope/**"}, ""},
		{"empty directory", []string{"emptydir"}, ""},
		{"comments and blank lines", []string{"# all go files\n\n  src/main.go  "}, wantHash("M")},
		{"one file per argument line", []string{"a.txt\nsrc/util.go"}, wantHash("A", "U")},
		{"files are hashed once", []string{"src/*.go", "src/main.go"}, wantHash("BRACKET", "M", "U")},
		{"dot prefix", []string{"./src/main.go"}, wantHash("M")},
		{"character class", []string{"src/[mu]*.go"}, wantHash("M", "U")},
		{"question mark", []string{"src/?ain.go"}, wantHash("M")},
		{"escaped bracket", []string{`src/\[x\].go`}, wantHash("BRACKET")},
		{"no brace expansion", []string{"src/{main,util}.go"}, ""},
		{"absolute path inside", []string{filepath.Join(root, "a.txt")}, wantHash("A")},
		{"absolute path outside is ignored", []string{filepath.Join(outside, "o.txt")}, ""},
		{"no patterns", nil, ""},
		{"option only", []string{"--follow-symbolic-links"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := HashFiles(root, tc.patterns)
			if err != nil {
				t.Fatalf("HashFiles(%q): %v", tc.patterns, err)
			}
			if got != tc.want {
				t.Errorf("HashFiles(%q) = %q, want %q", tc.patterns, got, tc.want)
			}
		})
	}
}

func TestHashFilesErrors(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{"a.txt": "A"})
	tests := []struct {
		what     string
		patterns []string
		want     string
	}{
		{"parent segments", []string{"../x"}, `invalid pattern "../x": relative pathing '.' and '..' is not allowed`},
		{"dot segment inside", []string{"a/./b"}, `invalid pattern "a/./b": relative pathing '.' and '..' is not allowed`},
		{"empty after negation", []string{"!"}, "pattern cannot be empty"},
		{"unknown option", []string{"--nope", "a.txt"}, `invalid glob option "--nope", available option: '--follow-symbolic-links'`},
		// Once parseGlobPattern's cases, from before hashFiles used emulate/glob.
		{"parent", []string{"a/../b"}, `invalid pattern "a/../b": relative pathing '.' and '..' is not allowed`},
		{"escaped parent is still a parent", []string{`\.\./b`}, `invalid pattern "\\.\\./b": relative pathing '.' and '..' is not allowed`},
		{"empty", []string{"!  "}, "pattern cannot be empty"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := HashFiles(root, tc.patterns)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("HashFiles(%q) error = %v, want it to contain %q", tc.patterns, err, tc.want)
			}
		})
	}
}

func TestHashFilesSymlinks(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{"real/f.txt": "F", "top.txt": "T"})
	for link, target := range map[string]string{"linkdir": "real", "link.txt": "top.txt", "loop/self": ".."} {
		p := filepath.Join(root, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	tests := []struct {
		what     string
		patterns []string
		want     string
	}{
		{"links to directories are not followed", []string{"linkdir/**"}, ""},
		{"links to files are hashed", []string{"link.txt"}, wantHash("T")},
		{"following links", []string{"--follow-symbolic-links", "linkdir/**"}, wantHash("F")},
		{"the option ignores case", []string{"--FOLLOW-symbolic-links", "linkdir"}, wantHash("F")},
		// loop/self is the root again: below it, linkdir and real each reach
		// f.txt once, and loop/self/loop is cut off as a cycle.
		{"cycles stop", []string{"--follow-symbolic-links", "loop/**/f.txt"}, wantHash("F", "F")},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := HashFiles(root, tc.patterns)
			if err != nil {
				t.Fatalf("HashFiles(%q): %v", tc.patterns, err)
			}
			if got != tc.want {
				t.Errorf("HashFiles(%q) = %q, want %q", tc.patterns, got, tc.want)
			}
		})
	}
}

func TestHashFilesInExpression(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{"go.sum": "sum", "sub/go.sum": "sub"})
	env := &Env{HashFiles: func(p []string) (string, error) { return HashFiles(root, p) }}
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"typical cache key", "format('go-{0}', hashFiles('**/go.sum'))", "go-" + wantHash("sum", "sub")},
		{"no match is empty", "hashFiles('*.lock') == ''", "true"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Evaluate(tc.input, env)
			if err != nil {
				t.Fatal(err)
			}
			if ToString(got) != tc.want {
				t.Errorf("Evaluate(%q) = %v, want %s", tc.input, got, tc.want)
			}
		})
	}
}

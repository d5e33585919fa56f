package expr

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// HashFiles computes hashFiles(patterns...) for the workspace directory root
// as the runner does (actions/runner src/Runner.Worker/Expressions/
// HashFilesFunction.cs and src/Misc/expressionFunc/hashFiles/src/hashFiles.ts):
//
//   - a first argument starting with -- must be --follow-symbolic-links
//     (any case), which makes the search follow symbolic links;
//   - the patterns are @actions/glob patterns relative to root, one per
//     argument (an argument holding newlines is several patterns); blank
//     lines and # comments are skipped, ! negates, and later patterns
//     override earlier ones; a pattern matching a directory matches all files
//     below it; '..' segments are an error;
//   - matching files inside root are visited depth first in byte order of
//     their names; files outside root and directories are skipped;
//   - the result is the hex SHA-256 of the concatenated SHA-256 digests of
//     the files' contents, or "" when no file matches.
func HashFiles(root string, patterns []string) (string, error) {
	follow := false
	if len(patterns) > 0 && strings.HasPrefix(patterns[0], "--") {
		if !strings.EqualFold(patterns[0], "--follow-symbolic-links") {
			return "", fmt.Errorf("invalid glob option %q, available option: '--follow-symbolic-links'", patterns[0])
		}
		follow = true
		patterns = patterns[1:]
	}
	workdir, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	// The runner's node process sees its working directory with symbolic
	// links resolved, and rejects files outside it by that path.
	if real, err := filepath.EvalSymlinks(workdir); err == nil {
		workdir = real
	}
	home, _ := os.UserHomeDir()
	g, err := newGlobber(strings.Split(strings.Join(patterns, "\n"), "\n"), workdir, home, follow)
	if err != nil {
		return "", fmt.Errorf("could not read the patterns: %w", err)
	}
	sum := sha256.New()
	count := 0
	err = g.walk(func(path string) error {
		if !strings.HasPrefix(path, workdir+string(filepath.Separator)) {
			return nil // not under the workspace
		}
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		digest, err := fileDigest(path)
		if err != nil {
			return err
		}
		sum.Write(digest)
		count++
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("could not hash files under %q: %w", workdir, err)
	}
	if count == 0 {
		return "", nil
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}

func fileDigest(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

package expr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// HashFiles computes hashFiles(patterns...) for the workspace directory root
// as the runner does (actions/runner src/Runner.Worker/Expressions/
// HashFilesFunction.cs and src/Misc/expressionFunc/hashFiles/src/hashFiles.ts,
// which runs @actions/glob 0.4.0 through [glob]):
//
//   - a first argument starting with -- must be --follow-symbolic-links
//     (any case), which makes the search follow symbolic links
//     ([glob.Options.FollowSymbolicLinks], off otherwise, unlike
//     @actions/glob's default);
//   - the patterns are @actions/glob patterns relative to root, one per
//     argument (an argument holding newlines is several patterns); blank
//     lines and # comments are skipped, ! negates, and later patterns
//     override earlier ones; a pattern matching a directory matches all files
//     below it (implicit descendants); '..' segments are an error;
//   - matching files inside root are visited depth first in byte order of
//     their names; files outside root and directories are skipped;
//   - the result is the hex SHA-256 of the concatenated SHA-256 digests of
//     the files' contents, or "" when no file matches.
func HashFiles(root string, patterns []string) (string, error) {
	opts := glob.DefaultOptions()
	opts.FollowSymbolicLinks = false
	if len(patterns) > 0 && strings.HasPrefix(patterns[0], "--") {
		if !strings.EqualFold(patterns[0], "--follow-symbolic-links") {
			return "", fmt.Errorf("invalid glob option %q, available option: '--follow-symbolic-links'", patterns[0])
		}
		opts.FollowSymbolicLinks = true
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
	opts.Dir = workdir
	opts.Home, _ = os.UserHomeDir()
	g, err := glob.New(strings.Join(patterns, "\n"), opts)
	if err != nil {
		// The runner reports only that hashFiles failed; the reason is worded
		// here as this project words errors, not as @actions/glob does.
		var rel *glob.RelativePathError
		if errors.As(err, &rel) {
			err = fmt.Errorf("invalid pattern %q: relative pathing '.' and '..' is not allowed", rel.Pattern)
		}
		return "", fmt.Errorf("could not read the patterns: %w", err)
	}
	// hashFiles() has no context of its own: it runs while an expression is
	// evaluated, which cannot be cancelled.
	paths, err := g.Glob(context.Background())
	sum := ""
	if err == nil {
		sum, err = hashPaths(workdir, paths)
	}
	if err != nil {
		return "", fmt.Errorf("could not hash files under %q: %w", workdir, err)
	}
	return sum, nil
}

// hashPaths is the loop of hashFiles.ts over the globber's results: paths
// outside workdir and directories are skipped, the rest hashed in order.
func hashPaths(workdir string, paths []string) (string, error) {
	sum := sha256.New()
	count := 0
	for _, path := range paths {
		if !strings.HasPrefix(path, workdir+string(filepath.Separator)) {
			continue // not under the workspace
		}
		info, err := os.Stat(path)
		if err != nil {
			return "", err
		}
		if info.IsDir() {
			continue
		}
		digest, err := fileDigest(path)
		if err != nil {
			return "", err
		}
		sum.Write(digest)
		count++
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

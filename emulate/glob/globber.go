package glob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options mirrors @actions/glob's GlobOptions plus the two process facts the
// JavaScript reads implicitly: the working directory and the home directory.
type Options struct {
	// FollowSymbolicLinks makes symlinked directories searchable. @actions/glob
	// default: true; hashFiles() passes false unless its first argument is
	// --follow-symbolic-links (hashFiles.ts).
	FollowSymbolicLinks bool
	// ImplicitDescendants makes a pattern match everything below what it
	// matches. Default true; actions/cache turns it off.
	ImplicitDescendants bool
	// MatchDirectories lets directories be results. Default true.
	MatchDirectories bool
	// OmitBrokenSymbolicLinks skips dangling links instead of failing.
	// Default true.
	OmitBrokenSymbolicLinks bool
	// ExcludeHiddenFiles skips every entry whose name starts with "." and
	// everything below it, search roots included. Default false;
	// upload-artifact sets it unless include-hidden-files is true.
	ExcludeHiddenFiles bool
	// Dir roots relative patterns (process.cwd(), the workspace for an action).
	Dir string
	// Home replaces a leading "~" (os.homedir()).
	Home string
	// Root is the directory on this machine that stands for "/" of the
	// paths matched: a copy of a container job's files. Patterns, Dir, Home
	// and the results are the job's paths; empty means this machine's root.
	Root string
}

// DefaultOptions returns @actions/glob's defaults (internal-glob-options-helper.ts).
func DefaultOptions() Options {
	return Options{
		FollowSymbolicLinks:     true,
		ImplicitDescendants:     true,
		MatchDirectories:        true,
		OmitBrokenSymbolicLinks: true,
	}
}

// Globber holds parsed patterns, as DefaultGlobber does.
type Globber struct {
	opts        Options
	patterns    []*pattern
	searchPaths []string
}

// New parses newline-separated patterns (DefaultGlobber.create). Empty lines
// and lines starting with "#" are skipped.
func New(patterns string, opts Options) (*Globber, error) {
	g := &Globber{opts: opts}
	for _, line := range strings.Split(patterns, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p, err := parsePattern(line, opts.Dir, opts.Home)
		if err != nil {
			return nil, err
		}
		g.patterns = append(g.patterns, p)
	}
	g.searchPaths = searchPaths(g.patterns)
	return g, nil
}

// SearchPaths returns the literal directory before the first glob segment of
// each include pattern, with duplicates and descendants of other search
// paths removed (Globber.getSearchPaths). upload-artifact derives the
// artifact root from these.
func (g *Globber) SearchPaths() []string {
	return append([]string(nil), g.searchPaths...)
}

// searchPaths is internal-pattern-helper.ts getSearchPaths.
func searchPaths(patterns []*pattern) []string {
	candidates := map[string]bool{}
	for _, p := range patterns {
		if !p.negate {
			candidates[p.searchPath] = true
		}
	}
	included := map[string]bool{}
	var result []string
	for _, p := range patterns {
		if p.negate || included[p.searchPath] {
			continue
		}
		ancestor := false
		for cur, parent := p.searchPath, filepath.Dir(p.searchPath); parent != cur; cur, parent = parent, filepath.Dir(parent) {
			if candidates[parent] {
				ancestor = true
				break
			}
		}
		if !ancestor {
			result = append(result, p.searchPath)
			included[p.searchPath] = true
		}
	}
	return result
}

// Glob returns the matching files and directories in @actions/glob's order:
// search paths in pattern order, each walked depth first with entries in
// byte order.
func (g *Globber) Glob(ctx context.Context) ([]string, error) {
	patterns := g.patterns
	if g.opts.ImplicitDescendants {
		patterns = nil
		for _, p := range g.patterns {
			patterns = append(patterns, p)
			if p.trailingSeparator || p.lastSegment() != "**" {
				patterns = append(patterns, p.implicitDescendants())
			}
		}
	}

	type state struct {
		path  string
		level int
	}
	var stack []state
	for _, sp := range searchPaths(patterns) {
		if _, err := os.Lstat(g.local(sp)); err != nil {
			// Only a missing search path is skipped; anything else (ENOTDIR,
			// EACCES) fails, as in the JavaScript.
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		// JS unshifts then pops, so the first search path is walked first.
		stack = append([]state{{sp, 1}}, stack...)
	}

	var results []string
	var chain []string // real paths of the directories being walked, for cycles
	for len(stack) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		item := stack[len(stack)-1]
		stack = stack[:len(stack)-1]

		kind := matchPatterns(patterns, item.path)
		partial := kind != matchNone || partialPatterns(patterns, item.path)
		if !partial {
			continue
		}

		info, err := g.stat(item.path, item.level, &chain)
		if err != nil {
			return nil, err
		}
		if info == nil {
			continue
		}
		if g.opts.ExcludeHiddenFiles && strings.HasPrefix(filepath.Base(item.path), ".") {
			continue
		}

		if !info.IsDir() {
			if kind&matchFile != 0 {
				results = append(results, item.path)
			}
			continue
		}
		if kind&matchDirectory != 0 && g.opts.MatchDirectories {
			results = append(results, item.path)
		}
		// @actions/glob reads every partially matched directory; reading only
		// those an include pattern can match below yields the same results
		// without walking, say, a whole pip cache that `path:` names.
		if !belowPatterns(patterns, item.path) {
			continue
		}
		entries, err := os.ReadDir(g.local(item.path))
		if err != nil {
			return nil, err
		}
		for i := len(entries) - 1; i >= 0; i-- {
			stack = append(stack, state{filepath.Join(item.path, entries[i].Name()), item.level + 1})
		}
	}
	return results, nil
}

// stat is DefaultGlobber.stat: follows links when asked, reports broken links
// and symlink cycles as nil.
func (g *Globber) stat(jobPath string, level int, chain *[]string) (fs.FileInfo, error) {
	p := g.local(jobPath)
	if !g.opts.FollowSymbolicLinks {
		return os.Lstat(p)
	}
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if g.opts.OmitBrokenSymbolicLinks {
				return nil, nil
			}
			//lint:ignore ST1005 @actions/glob's message, verbatim, as GitHub prints it
			return nil, fmt.Errorf("No information found for the path '%s'. This may indicate a broken symbolic link.", jobPath)
		}
		return nil, err
	}
	if info.IsDir() {
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil, err
		}
		for len(*chain) >= level {
			*chain = (*chain)[:len(*chain)-1]
		}
		for _, seen := range *chain {
			if seen == real {
				return nil, nil // symlink cycle
			}
		}
		*chain = append(*chain, real)
	}
	return info, nil
}

// local is where a job path's file is on this machine.
func (g *Globber) local(p string) string {
	return Local(g.opts.Root, p)
}

// Local is the path on this machine of a job path p below root (see
// Options.Root); with an empty root it is p.
func Local(root, p string) string {
	if root == "" {
		return p
	}
	return filepath.Join(root, p)
}

// matchPatterns is internal-pattern-helper.ts match: include patterns add,
// exclude patterns remove, in order.
func matchPatterns(patterns []*pattern, itemPath string) matchKind {
	result := matchNone
	for _, p := range patterns {
		if p.negate {
			result &^= p.match(itemPath)
		} else {
			result |= p.match(itemPath)
		}
	}
	return result
}

// partialPatterns is internal-pattern-helper.ts partialMatch.
func partialPatterns(patterns []*pattern, itemPath string) bool {
	for _, p := range patterns {
		if !p.negate && p.partialMatch(itemPath) {
			return true
		}
	}
	return false
}

func belowPatterns(patterns []*pattern, itemPath string) bool {
	for _, p := range patterns {
		if !p.negate && p.mayMatchBelow(itemPath) {
			return true
		}
	}
	return false
}

package trigger

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxLooseObject bounds what readLooseObject inflates: commits and tags
// are small; a larger one is left to git.
const maxLooseObject = 1 << 20

var inflaters sync.Pool

// readLooseObject inflates the loose object oid: its type and content.
// ok is false when it is not loose (packed) or not readable.
func readLooseObject(gitDir, oid string) (typ string, body []byte, ok bool) {
	if !isObjectName(oid) {
		return "", nil, false
	}
	f, err := os.Open(filepath.Join(gitDir, "objects", oid[:2], oid[2:]))
	if err != nil {
		return "", nil, false
	}
	defer f.Close()
	// A zlib reader allocates tens of KB: reading a history's commits
	// reuses them.
	var z io.ReadCloser
	if pooled, _ := inflaters.Get().(io.ReadCloser); pooled != nil {
		if pooled.(zlib.Resetter).Reset(f, nil) == nil {
			z = pooled
		}
	}
	if z == nil {
		if z, err = zlib.NewReader(f); err != nil {
			return "", nil, false
		}
	}
	defer inflaters.Put(z)
	data, err := io.ReadAll(io.LimitReader(z, maxLooseObject+64))
	if err != nil || len(data) > maxLooseObject {
		return "", nil, false
	}
	header, body, found := bytes.Cut(data, []byte{0})
	if !found {
		return "", nil, false
	}
	typ, size, found := strings.Cut(string(header), " ")
	if n, err := strconv.Atoi(size); !found || err != nil || n != len(body) {
		return "", nil, false
	}
	return typ, body, true
}

// readLooseTagTarget reads the type of a loose object and, for a tag, the
// object it tags and that object's type, as for-each-ref's %(objecttype),
// %(*objectname) and %(*objecttype) show them.
func readLooseTagTarget(gitDir, oid string) (typ, target, targetType string, ok bool) {
	typ, body, ok := readLooseObject(gitDir, oid)
	if !ok || typ != "tag" {
		return typ, "", "", ok
	}
	headers, _, _ := strings.Cut(string(body), "\n\n")
	for line := range strings.SplitSeq(headers, "\n") {
		if v, found := strings.CutPrefix(line, "object "); found {
			target = v
		} else if v, found := strings.CutPrefix(line, "type "); found {
			targetType = v
		}
	}
	return typ, target, targetType, isObjectName(target) && targetType != ""
}

// readLooseCommit reads a loose commit as `git log -1 --format=...`
// (commitFormat) shows it. ok is false when it is not loose, names another
// encoding (git would convert the message) or has an identity line it does
// not read.
func readLooseCommit(gitDir, oid string) (Commit, bool) {
	c, _, ok := readLooseCommitParents(gitDir, oid)
	return c, ok
}

// readLooseCommitParents is readLooseCommit with the commit's parents.
func readLooseCommitParents(gitDir, oid string) (Commit, []string, bool) {
	typ, body, ok := readLooseObject(gitDir, oid)
	if !ok || typ != "commit" {
		return Commit{}, nil, false
	}
	headers, message, _ := strings.Cut(string(body), "\n\n")
	c := Commit{ID: oid, Message: strings.TrimRight(message, "\n")}
	var committerWhen string
	var parents []string
	for line := range strings.SplitSeq(headers, "\n") {
		key, value, _ := strings.Cut(line, " ")
		switch key {
		case "tree":
			c.TreeID = value
		case "parent":
			parents = append(parents, value)
		case "author":
			if c.Author, _, ok = parseIdent(value); !ok {
				return Commit{}, nil, false
			}
		case "committer":
			if c.Committer, committerWhen, ok = parseIdent(value); !ok {
				return Commit{}, nil, false
			}
		case "encoding":
			return Commit{}, nil, false
		}
	}
	ts, ok := strictISODate(committerWhen)
	if !ok || !isObjectName(c.TreeID) || c.Committer.Email == "" && c.Committer.Name == "" {
		return Commit{}, nil, false
	}
	c.Timestamp = ts
	return c, parents, true
}

// looseHistory lists the commits `git log --reverse --max-count=max head
// ^stop` shows (all of head's ancestors when stop is ""), oldest first,
// from loose objects, for a linear history: ok is false at a merge, a
// packed commit, or when stop is not an ancestor of head.
func looseHistory(gitDir, head, stop string, max int) (commits []Commit, ok bool) {
	for sha := head; sha != stop; {
		if sha == "" {
			// The root passed without meeting stop: not linear from it.
			return nil, false
		}
		c, parents, ok := readLooseCommitParents(gitDir, sha)
		if !ok || len(parents) > 1 {
			return nil, false
		}
		commits = append(commits, c)
		next := ""
		if len(parents) == 1 {
			next = parents[0]
		}
		if stop == "" && next == "" {
			break
		}
		if len(commits) == max {
			// Enough commits; stop must still be an ancestor, found by
			// walking on without keeping them.
			if stop != "" && !looseAncestor(gitDir, next, stop) {
				return nil, false
			}
			break
		}
		sha = next
	}
	slices.Reverse(commits)
	return commits, true
}

// looseAncestor reports whether stop is reached from sha along a linear
// history of loose commits.
func looseAncestor(gitDir, sha, stop string) bool {
	for sha != "" && sha != stop {
		_, parents, ok := readLooseCommitParents(gitDir, sha)
		if !ok || len(parents) > 1 {
			return false
		}
		sha = ""
		if len(parents) == 1 {
			sha = parents[0]
		}
	}
	return sha == stop
}

// treeEntry is one entry of a tree object.
type treeEntry struct{ mode, oid string }

// readLooseTree reads a loose tree: its entries by name.
func readLooseTree(gitDir, oid string) (map[string]treeEntry, bool) {
	typ, body, ok := readLooseObject(gitDir, oid)
	if !ok || typ != "tree" {
		return nil, false
	}
	entries := map[string]treeEntry{}
	for len(body) > 0 {
		sp := bytes.IndexByte(body, ' ')
		nul := bytes.IndexByte(body, 0)
		if sp < 0 || nul < sp || len(body) < nul+21 {
			return nil, false
		}
		entries[string(body[sp+1:nul])] = treeEntry{mode: string(body[:sp]), oid: fmt.Sprintf("%x", body[nul+1:nul+21])}
		body = body[nul+21:]
	}
	return entries, true
}

// isTreeMode is the mode of a subdirectory entry.
func isTreeMode(mode string) bool { return mode == "40000" }

// looseTreeDiff lists the paths whose content or mode differs between two
// loose trees ("" is the empty tree), as `git diff-tree -r --name-only
// --no-renames` does, in no particular order.
func looseTreeDiff(gitDir, from, to, prefix string) ([]string, bool) {
	if from == to {
		return nil, true
	}
	a, b := map[string]treeEntry{}, map[string]treeEntry{}
	var ok bool
	if from != "" {
		if a, ok = readLooseTree(gitDir, from); !ok {
			return nil, false
		}
	}
	if to != "" {
		if b, ok = readLooseTree(gitDir, to); !ok {
			return nil, false
		}
	}
	var paths []string
	add := func(name string, x, y treeEntry) bool {
		// A side that is a directory contributes its files; a side that
		// is a file (or submodule) the path itself.
		xTree, yTree := isTreeMode(x.mode), isTreeMode(y.mode)
		if xTree || yTree {
			xo, yo := "", ""
			if xTree {
				xo = x.oid
			}
			if yTree {
				yo = y.oid
			}
			sub, ok := looseTreeDiff(gitDir, xo, yo, prefix+name+"/")
			if !ok {
				return false
			}
			paths = append(paths, sub...)
		}
		if (x.mode != "" && !xTree) || (y.mode != "" && !yTree) {
			paths = append(paths, prefix+name)
		}
		return true
	}
	for name, x := range a {
		y := b[name]
		if x == y {
			continue
		}
		if !add(name, x, y) {
			return nil, false
		}
	}
	for name, y := range b {
		if _, both := a[name]; both {
			continue
		}
		if !add(name, treeEntry{}, y) {
			return nil, false
		}
	}
	return paths, true
}

// parseIdent splits "Name <email> 1700000000 +0100".
func parseIdent(s string) (Person, string, bool) {
	lt := strings.IndexByte(s, '<')
	gt := strings.LastIndexByte(s, '>')
	if lt < 0 || gt < lt || strings.Count(s, "<") != 1 || strings.Count(s, ">") != 1 {
		return Person{}, "", false
	}
	return Person{Name: strings.TrimSpace(s[:lt]), Email: s[lt+1 : gt]}, strings.TrimSpace(s[gt+1:]), true
}

// strictISODate formats "1700000000 +0100" as %cI does:
// 2023-11-14T23:13:20+01:00.
func strictISODate(when string) (string, bool) {
	secs, zone, found := strings.Cut(when, " ")
	t, err := strconv.ParseInt(secs, 10, 64)
	if !found || err != nil || len(zone) != 5 || (zone[0] != '+' && zone[0] != '-') {
		return "", false
	}
	h, err1 := strconv.Atoi(zone[1:3])
	m, err2 := strconv.Atoi(zone[3:5])
	if err1 != nil || err2 != nil {
		return "", false
	}
	offset := h*3600 + m*60
	if zone[0] == '-' {
		offset = -offset
	}
	return time.Unix(t, 0).In(time.FixedZone(zone, offset)).Format("2006-01-02T15:04:05") + fmt.Sprintf("%c%s:%s", zone[0], zone[1:3], zone[3:5]), true
}

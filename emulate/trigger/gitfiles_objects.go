package trigger

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// maxLooseObject bounds what readLooseObject inflates: commits and tags
// are small; a larger one is left to git.
const maxLooseObject = 1 << 20

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
	z, err := zlib.NewReader(f)
	if err != nil {
		return "", nil, false
	}
	defer z.Close()
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
	typ, body, ok := readLooseObject(gitDir, oid)
	if !ok || typ != "commit" {
		return Commit{}, false
	}
	headers, message, _ := strings.Cut(string(body), "\n\n")
	c := Commit{ID: oid, Message: strings.TrimRight(message, "\n")}
	var committerWhen string
	for line := range strings.SplitSeq(headers, "\n") {
		key, value, _ := strings.Cut(line, " ")
		switch key {
		case "tree":
			c.TreeID = value
		case "author":
			if c.Author, _, ok = parseIdent(value); !ok {
				return Commit{}, false
			}
		case "committer":
			if c.Committer, committerWhen, ok = parseIdent(value); !ok {
				return Commit{}, false
			}
		case "encoding":
			return Commit{}, false
		}
	}
	ts, ok := strictISODate(committerWhen)
	if !ok || !isObjectName(c.TreeID) || c.Committer.Email == "" && c.Committer.Name == "" {
		return Commit{}, false
	}
	c.Timestamp = ts
	return c, true
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

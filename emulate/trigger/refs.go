package trigger

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Refs are the repository's refs as [ReadGit] found them, read with one
// `git for-each-ref`. [NewEvent] resolves branches, tags and remote branches
// from them instead of starting git for each lookup. A Git made by hand has
// none, and then every lookup asks git.
type Refs struct {
	byName map[string]refInfo
	// gitDir is set when the refs were read from the repository's files
	// (gitfiles.go): loose objects may then be read from there too.
	gitDir string
}

// refInfo is one line of the listing.
type refInfo struct {
	// typ and oid are the object the ref points at; peeledType and peeled
	// are what it tags when it is an annotated tag.
	typ, oid, peeledType, peeled string
	// symref is the target of a symbolic ref.
	symref string
	// upstream is a branch's upstream as a full ref and shortened the way
	// `git rev-parse --abbrev-ref @{upstream}` shortens it.
	upstream, upstreamShort string
}

// refFields is the format of the listing: the fields of refInfo after the
// ref name, NUL-separated. for-each-ref lists every ref that resolves
// (dangling symbolic refs are left out, as show-ref and rev-parse do not
// find them either).
const refFields = "%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(symref)%00%(upstream)%00%(upstream:short)"

func readRefs(ctx context.Context, root string) (*Refs, error) {
	out, err := runGitRaw(ctx, root, "for-each-ref", "--format="+refFields)
	if err != nil {
		return nil, err
	}
	r := &Refs{byName: map[string]refInfo{}}
	for line := range strings.SplitSeq(out, "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 8 {
			if line != "" {
				return nil, errors.New("unexpected git for-each-ref output")
			}
			continue
		}
		r.byName[f[0]] = refInfo{typ: f[1], oid: f[2], peeledType: f[3], peeled: f[4], symref: f[5], upstream: f[6], upstreamShort: f[7]}
	}
	return r, nil
}

func (r *Refs) exists(name string) bool {
	_, ok := r.byName[name]
	return ok
}

// revParseRules are the rules by which Git expands a short ref name, in
// order (git help revisions, "<refname>").
var revParseRules = []string{"%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"}

func expandRule(rule, name string) string {
	return strings.Replace(rule, "%s", name, 1)
}

// commit resolves name as `git rev-parse --verify name^{commit}` does when
// name is a ref: the first rule that names an existing ref wins. sure is
// false when the listing cannot answer (a tag of a tag, or a name that
// could be an abbreviated object name), and git must be asked.
func (r *Refs) commit(name string) (sha string, ok, sure bool) {
	if name == "HEAD" || isHex(name) {
		return "", false, false
	}
	for _, rule := range revParseRules {
		ref, found := r.byName[expandRule(rule, name)]
		if !found {
			continue
		}
		switch {
		case ref.typ == "commit":
			return ref.oid, true, true
		case ref.typ == "tag" && ref.peeledType == "commit":
			return ref.peeled, true, true
		case ref.typ == "tag" && ref.peeledType == "tag":
			return "", false, false
		}
		return "", false, true
	}
	return "", false, true
}

// pointingAt lists the refs under prefix that point at sha, directly or
// through an annotated tag, as `git for-each-ref --points-at` does, in no
// particular order.
func (r *Refs) pointingAt(sha, prefix string) []string {
	var names []string
	for name, ref := range r.byName {
		if !strings.HasPrefix(name, prefix+"/") {
			continue
		}
		if ref.oid == sha || (ref.typ == "tag" && ref.peeled == sha) {
			names = append(names, name)
		}
	}
	return names
}

// shorten shortens a full ref name as Git's shorten_unambiguous_ref does
// for `git symbolic-ref --short` (not strict): the shortest form that no
// earlier rule would read as another existing ref. Names directly under
// the Git directory (like FETCH_HEAD), which the first rule also matches,
// are not in the listing and not considered.
func (r *Refs) shorten(full string) string {
	for i := len(revParseRules) - 1; i > 0; i-- {
		prefix, suffix, _ := strings.Cut(revParseRules[i], "%s")
		short, ok := strings.CutPrefix(full, prefix)
		if !ok {
			continue
		}
		if short, ok = strings.CutSuffix(short, suffix); !ok || short == "" {
			continue
		}
		ambiguous := false
		for _, rule := range revParseRules[:i] {
			if r.exists(expandRule(rule, short)) {
				ambiguous = true
				break
			}
		}
		if !ambiguous {
			return short
		}
	}
	return full
}

// resolveSymref follows a symbolic ref to the ref it ends at, as `git
// symbolic-ref` does.
func (r *Refs) resolveSymref(name string) string {
	for range 5 {
		ref, ok := r.byName[name]
		if !ok || ref.symref == "" {
			break
		}
		name = ref.symref
	}
	return name
}

// maybeLooseRef reports whether a loose ref file exists for name in the
// repository whose Git directory is gitDir: a symbolic ref whose target is
// gone is such a file that the listing leaves out. It answers true when it
// cannot tell, so that the caller asks git.
func maybeLooseRef(gitDir, name string) bool {
	if gitDir == "" {
		return true
	}
	// Refs other than HEAD and a worktree's own live in the common
	// directory, which a linked worktree names in its commondir file.
	common := gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common = strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return true
	}
	_, err := os.Lstat(filepath.Join(common, filepath.FromSlash(name)))
	return !errors.Is(err, os.ErrNotExist)
}

func isHex(s string) bool {
	if len(s) < 4 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// looseObjects is the Git directory whose loose objects may be read, ""
// when git must be asked.
func (g *Git) looseObjects() string {
	if g.Refs == nil {
		return ""
	}
	return g.Refs.gitDir
}

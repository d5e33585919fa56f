package trigger

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Reading the repository's own files answers what `git rev-parse`,
// `git for-each-ref` and `git config` would, without their processes, for
// the common layout: a work tree with a .git directory, refs in files,
// configuration without includes. Anything else (a linked worktree or
// submodule, a bare repository, GIT_* variables that move things, reftable,
// SHA-256, a ref or file this reader does not follow) is left to git, so
// the answer is git's either way (TestRepoFilesAsGit compares them).

const onLinux = runtime.GOOS == "linux"

// repoFiles is what ReadGit's first three git processes tell.
type repoFiles struct {
	head headInfo
	refs *Refs
	// entries are every configuration entry, in Git's order.
	entries []configEntry
}

// allowedGitEnv are the GIT_* variables that change nothing read here.
var allowedGitEnv = map[string]bool{
	"GIT_CONFIG_NOSYSTEM": true, "GIT_CONFIG_GLOBAL": true, "GIT_TERMINAL_PROMPT": true,
	"GIT_OPTIONAL_LOCKS": true, "GIT_PAGER": true, "GIT_EDITOR": true, "GIT_ASKPASS": true,
	"GIT_SSH": true, "GIT_SSH_COMMAND": true, "GIT_SSH_VARIANT": true,
	"GIT_AUTHOR_NAME": true, "GIT_AUTHOR_EMAIL": true, "GIT_AUTHOR_DATE": true,
	"GIT_COMMITTER_NAME": true, "GIT_COMMITTER_EMAIL": true, "GIT_COMMITTER_DATE": true,
}

// networkGitEnv reports whether a GIT_* variable only concerns talking to
// remotes (certificates, HTTP, proxies) or tracing.
func networkGitEnv(name string) bool {
	for _, p := range []string{"GIT_SSL_", "GIT_HTTP_", "GIT_CURL_", "GIT_PROXY_", "GIT_TRACE"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// readRepoFiles reads the repository that contains dir from its files; ok
// is false when git must be asked.
func readRepoFiles(dir string) (repoFiles, bool) {
	if !onLinux {
		return repoFiles{}, false
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "GIT_") && !allowedGitEnv[name] && !networkGitEnv(name) {
			return repoFiles{}, false
		}
	}
	top, gitDir, ok := discoverRepo(dir)
	if !ok {
		return repoFiles{}, false
	}
	paths, ok := configFilePaths(gitDir)
	if !ok {
		return repoFiles{}, false
	}
	entries, ok := readConfigFiles(paths)
	if !ok {
		return repoFiles{}, false
	}
	refs, ok := readRefFiles(gitDir, entries)
	if !ok {
		return repoFiles{}, false
	}
	// Replaced objects and grafts change what git log shows.
	if _, err := os.Stat(filepath.Join(gitDir, "info", "grafts")); err == nil {
		return repoFiles{}, false
	}
	for name := range refs.byName {
		if strings.HasPrefix(name, "refs/replace/") {
			return repoFiles{}, false
		}
	}
	head, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return repoFiles{}, false
	}
	h := headInfo{top: top, gitDir: gitDir}
	line := strings.TrimSpace(string(head))
	if target, sym := strings.CutPrefix(line, "ref: "); sym {
		ref, found := refs.byName[target]
		if !found || !strings.HasPrefix(target, "refs/") || ref.symref != "" {
			return repoFiles{}, false // no commits yet, or HEAD through a symbolic ref
		}
		h.symbolic, h.sha = target, ref.oid
	} else if isObjectName(line) {
		h.symbolic, h.sha = "HEAD", line
	} else {
		return repoFiles{}, false
	}
	return repoFiles{head: h, refs: refs, entries: entries}, true
}

// discoverRepo finds the work tree's top level and its .git directory as
// git does, walking up from dir, with symbolic links resolved as
// `git rev-parse --show-toplevel` prints them. It gives up (ok false) on
// a .git file, a bare repository, a file system boundary, a directory
// inside .git and a repository another user owns (git's safe.directory
// check).
func discoverRepo(dir string) (top, gitDir string, ok bool) {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil || !filepath.IsAbs(dir) {
		return "", "", false
	}
	start, err := os.Stat(dir)
	if err != nil {
		return "", "", false
	}
	_, dev, ok := fileOwnerDevice(start)
	if !ok {
		return "", "", false
	}
	for d := dir; ; {
		if filepath.Base(d) == ".git" {
			return "", "", false
		}
		fi, err := os.Lstat(filepath.Join(d, ".git"))
		switch {
		case err == nil && fi.IsDir():
			g := filepath.Join(d, ".git")
			if !isGitDir(g) || !ownedByUs(d) || !ownedByUs(g) {
				return "", "", false
			}
			return d, g, true
		case err == nil || !os.IsNotExist(err) || isGitDir(d):
			return "", "", false
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", false
		}
		pi, err := os.Stat(parent)
		if err != nil {
			return "", "", false
		}
		if _, pdev, _ := fileOwnerDevice(pi); pdev != dev {
			return "", "", false
		}
		d = parent
	}
}

func ownedByUs(p string) bool {
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	uid, _, ok := fileOwnerDevice(fi)
	return ok && uid == os.Geteuid()
}

// isGitDir is git's test of a Git directory: HEAD, objects/ and refs/.
func isGitDir(d string) bool {
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(d, name)); err != nil {
			return false
		}
	}
	return true
}

func isObjectName(s string) bool { return len(s) == 40 && isHex(s) }

// readRefFiles lists the refs as `git for-each-ref --format=refFields`
// does, from packed-refs and the loose ref files.
func readRefFiles(gitDir string, config []configEntry) (*Refs, bool) {
	type raw struct{ oid, peeled, symref string }
	all := map[string]raw{}
	packed, err := os.ReadFile(filepath.Join(gitDir, "packed-refs"))
	switch {
	case err == nil:
		fullyPeeled := false
		last := ""
		for i, line := range strings.Split(strings.TrimSuffix(string(packed), "\n"), "\n") {
			switch {
			case i == 0 && strings.HasPrefix(line, "# pack-refs with:"):
				fullyPeeled = strings.Contains(line+" ", " fully-peeled ")
			case strings.HasPrefix(line, "^"):
				r, ok := all[last]
				if last == "" || !ok || !isObjectName(line[1:]) {
					return nil, false
				}
				r.peeled = line[1:]
				all[last] = r
			default:
				oid, name, found := strings.Cut(line, " ")
				if !found || !isObjectName(oid) || !strings.HasPrefix(name, "refs/") {
					return nil, false
				}
				// Without fully-peeled, a tag without a peeled line may
				// still be an annotated tag.
				if !fullyPeeled && strings.HasPrefix(name, "refs/tags/") {
					return nil, false
				}
				all[name], last = raw{oid: oid}, name
			}
		}
	case !os.IsNotExist(err):
		return nil, false
	}
	loose := map[string]bool{}
	ok := true
	walkErr := filepath.WalkDir(filepath.Join(gitDir, "refs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(gitDir, p)
		if err != nil || !d.Type().IsRegular() {
			ok = false
			return fs.SkipAll
		}
		name := filepath.ToSlash(rel)
		if !plainRefName(name) {
			ok = false
			return fs.SkipAll
		}
		data, err := os.ReadFile(p)
		if err != nil {
			ok = false
			return fs.SkipAll
		}
		content := strings.TrimSpace(string(data))
		if target, sym := strings.CutPrefix(content, "ref: "); sym {
			all[name] = raw{symref: target}
		} else if isObjectName(content) {
			all[name] = raw{oid: content}
		} else {
			ok = false
			return fs.SkipAll
		}
		loose[name] = true
		return nil
	})
	if walkErr != nil || !ok {
		return nil, false
	}

	r := &Refs{byName: map[string]refInfo{}, gitDir: gitDir}
	for name, raw := range all {
		info := refInfo{oid: raw.oid, typ: "commit"}
		if raw.symref != "" {
			// A symbolic ref shows what it ends at; a dangling one is
			// not listed.
			target, ok := all[raw.symref]
			for range 5 {
				if !ok || target.symref == "" {
					break
				}
				target, ok = all[target.symref]
			}
			if !ok || target.symref != "" {
				continue
			}
			if strings.HasPrefix(raw.symref, "refs/tags/") {
				return nil, false
			}
			info.oid, info.symref = target.oid, raw.symref
		}
		if strings.HasPrefix(name, "refs/tags/") && raw.symref == "" {
			switch {
			case loose[name]:
				typ, target, targetType, ok := readLooseTagTarget(gitDir, raw.oid)
				if !ok {
					return nil, false
				}
				info.typ = typ
				if typ == "tag" {
					info.peeled, info.peeledType = target, targetType
				}
			case raw.peeled != "":
				// packed-refs peels fully: a tag of a tag shows its
				// commit, which is what every lookup here wants of it.
				info.typ, info.peeled, info.peeledType = "tag", raw.peeled, "commit"
			}
		}
		r.byName[name] = info
	}
	if !setUpstreams(r, config) {
		return nil, false
	}
	return r, true
}

// plainRefName is a ref file name git lists without question: no lock
// file, no component starting with a dot, nothing git would refuse.
func plainRefName(name string) bool {
	if strings.HasSuffix(name, ".lock") || strings.Contains(name, "..") || strings.ContainsAny(name, " ~^:?*[\\\x7f") || strings.Contains(name, "@{") {
		return false
	}
	for part := range strings.SplitSeq(name, "/") {
		if part == "" || strings.HasPrefix(part, ".") {
			return false
		}
		for _, c := range []byte(part) {
			if c < 0x20 {
				return false
			}
		}
	}
	return true
}

// setUpstreams gives each branch its upstream as for-each-ref's
// %(upstream) and %(upstream:short) show it: branch.<name>.merge mapped
// through the first of branch.<name>.remote's fetch refspecs that matches
// it (a remote of "." is this repository). ok is false on what it does not
// follow (a merge without a remote, negative refspecs).
func setUpstreams(r *Refs, config []configEntry) bool {
	remoteOf, mergeOf := map[string]string{}, map[string]string{}
	fetch := map[string][]string{}
	for _, e := range config {
		section, rest, _ := strings.Cut(e.key, ".")
		dot := strings.LastIndex(rest, ".")
		if dot < 0 {
			continue
		}
		sub, variable := rest[:dot], rest[dot+1:]
		switch {
		case section == "branch" && variable == "remote":
			remoteOf[sub] = e.value
		case section == "branch" && variable == "merge":
			if _, set := mergeOf[sub]; !set {
				mergeOf[sub] = e.value
			}
		case section == "remote" && variable == "fetch":
			if !plainRefspec(e.value) {
				return false
			}
			fetch[sub] = append(fetch[sub], e.value)
		}
	}
	for branch, merge := range mergeOf {
		name := "refs/heads/" + branch
		info, listed := r.byName[name]
		if !listed {
			continue
		}
		remote, set := remoteOf[branch]
		if !set {
			return false
		}
		upstream := ""
		if remote == "." {
			upstream = merge
		} else {
			for _, spec := range fetch[remote] {
				if dst, ok := mapRefspec(spec, merge); ok {
					upstream = dst
					break
				}
			}
		}
		if upstream == "" {
			continue
		}
		info.upstream = upstream
		r.byName[name] = info
	}
	for name, info := range r.byName {
		if info.upstream != "" {
			info.upstreamShort = r.shorten(info.upstream)
			r.byName[name] = info
		}
	}
	return true
}

// plainRefspec is a fetch refspec "[+]src:dst" of ref names with at most
// one "*" a side; git refuses others, or reads them in ways not followed
// here (negative refspecs).
func plainRefspec(spec string) bool {
	src, dst, found := strings.Cut(strings.TrimPrefix(spec, "+"), ":")
	if !found {
		return false
	}
	for _, side := range []string{src, dst} {
		if strings.Count(side, "*") > 1 || !plainRefName(strings.Replace(side, "*", "x", 1)) {
			return false
		}
	}
	return true
}

// mapRefspec maps ref through a fetch refspec "[+]src:dst" with at most
// one "*" on each side.
func mapRefspec(spec, ref string) (string, bool) {
	src, dst, found := strings.Cut(strings.TrimPrefix(spec, "+"), ":")
	if !found || dst == "" {
		return "", false
	}
	prefix, suffix, glob := strings.Cut(src, "*")
	if !glob {
		return dst, src == ref
	}
	if !strings.HasPrefix(ref, prefix) || !strings.HasSuffix(ref, suffix) || len(ref) < len(prefix)+len(suffix) {
		return "", false
	}
	return strings.Replace(dst, "*", ref[len(prefix):len(ref)-len(suffix)], 1), true
}

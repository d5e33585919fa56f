package actions

import "strings"

// Ref is a parsed `uses:` value.
type Ref struct {
	// Raw is the value as written.
	Raw string
	// Owner/Repo/Path for a remote action ("actions", "cache", "restore" for
	// actions/cache/restore@v4); Path is empty for a root action.
	Owner, Repo, Path string
	// Version is the ref after @: a tag, a branch or a commit SHA.
	Version string
	// Local is set for ./path actions; Docker for docker:// images.
	Local, Docker bool
}

// Name is owner/repo[/path], lowercased: GitHub matches owners and repos
// case-insensitively.
func (r Ref) Name() string {
	n := r.Owner + "/" + r.Repo
	if r.Path != "" {
		n += "/" + r.Path
	}
	return strings.ToLower(n)
}

// ParseRef splits a uses: value. It never fails: a value it cannot split is
// returned as a remote action with an empty version, and the registry marks
// it unsupported.
func ParseRef(uses string) Ref {
	r := Ref{Raw: uses}
	switch {
	case strings.HasPrefix(uses, "./") || strings.HasPrefix(uses, "../"):
		r.Local = true
		r.Path = uses
		return r
	case strings.HasPrefix(uses, "docker://"):
		r.Docker = true
		r.Path = strings.TrimPrefix(uses, "docker://")
		return r
	}
	name, version, _ := strings.Cut(uses, "@")
	r.Version = version
	parts := strings.SplitN(name, "/", 3)
	r.Owner = parts[0]
	if len(parts) > 1 {
		r.Repo = parts[1]
	}
	if len(parts) > 2 {
		r.Path = parts[2]
	}
	return r
}

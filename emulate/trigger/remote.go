package trigger

import (
	"net/url"
	"strings"
)

// parseRemoteURL takes owner and repository name from a Git remote URL:
//
//	https://github.com/owner/repo.git     (also http, with user:token@)
//	ssh://git@github.com[:22]/owner/repo.git   (also git+ssh, ssh+git)
//	git://github.com/owner/repo.git
//	git@github.com:owner/repo.git         (scp-like)
//
// The last two path segments are taken, so GitHub Enterprise hosts and
// servers with a path prefix work too. Local paths and file:// URLs have no
// owner and report ok false.
func parseRemoteURL(raw string) (owner, repo string, ok bool) {
	raw = strings.TrimSpace(raw)
	var path string
	if i := strings.Index(raw, "://"); i >= 0 {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || u.Scheme == "file" {
			return "", "", false
		}
		path = u.Path
	} else {
		// scp-like: [user@]host:path, where the colon comes before any slash.
		// A single letter before the colon is a Windows drive, not a host.
		colon := strings.Index(raw, ":")
		slash := strings.Index(raw, "/")
		if colon <= 0 || (slash >= 0 && slash < colon) {
			return "", "", false
		}
		host := raw[:colon]
		if at := strings.LastIndex(host, "@"); at >= 0 {
			host = host[at+1:]
		}
		if len(host) <= 1 {
			return "", "", false
		}
		path = raw[colon+1:]
	}
	path = strings.Trim(path, "/")
	path = strings.TrimSuffix(path, ".git")
	segs := strings.Split(path, "/")
	if len(segs) < 2 {
		return "", "", false
	}
	owner, repo = segs[len(segs)-2], segs[len(segs)-1]
	owner = strings.TrimPrefix(owner, "~") // ssh://host/~user/repo
	if owner == "" || repo == "" {
		return "", "", false
	}
	return owner, repo, true
}

// redactURL drops credentials from a remote URL (https://user:token@host/...)
// so they never reach logs or the github context.
func redactURL(raw string) string {
	if !strings.Contains(raw, "://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.User != nil {
		if _, hasPassword := u.User.Password(); hasPassword || u.Scheme == "https" || u.Scheme == "http" {
			u.User = nil
		}
	}
	return u.String()
}

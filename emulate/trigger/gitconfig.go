package trigger

import (
	"context"
	"slices"
	"strings"
)

// configKeys are the configuration ReadGit reads, as an extended regular
// expression over Git's canonical key names (section and variable in lower
// case): the identity, every remote.<name>.* key (any of them makes <name>
// a remote, as `git remote` lists them) and the url.<base>.insteadOf
// rewrites that `git remote get-url` applies.
const configKeys = `^(github\.user|user\.name|user\.email|remote\..*|url\..*\.insteadof)$`

// gitConfig is what ReadGit needs of the configuration, read with one
// `git config --get-regexp` instead of `git config --get` per key,
// `git remote` and `git remote get-url`.
type gitConfig struct {
	// last holds the last value of github.user, user.name and user.email,
	// the one `git config --get` prints.
	last map[string]string
	// remotes are the remote names in the order the configuration gives
	// them; urls holds the first URL of each.
	remotes []string
	urls    map[string]string
	// rewrites are the url.<base>.insteadOf entries in order.
	rewrites []urlRewrite
}

type urlRewrite struct {
	base      string
	insteadOf []string
}

// readConfig reads the configuration. A failure (including no matching
// key) leaves it empty, as the separate calls it replaces each answered
// nothing.
func readConfig(ctx context.Context, root string) gitConfig {
	out, _ := runGitRaw(ctx, root, "config", "-z", "--get-regexp", configKeys)
	return newGitConfig(gitOutputEntries(out))
}

// gitOutputEntries reads entries as `git config -z --get-regexp` prints
// them: "key\nvalue" (or "key" for a bare boolean), each ended by a NUL.
func gitOutputEntries(out string) []configEntry {
	var entries []configEntry
	for entry := range strings.SplitSeq(out, "\x00") {
		if entry == "" {
			continue
		}
		key, value, hasValue := strings.Cut(entry, "\n")
		entries = append(entries, configEntry{key: key, value: value, bare: !hasValue})
	}
	return entries
}

// newGitConfig keeps what ReadGit needs of the entries (configKeys; the
// others are passed over), in their order.
func newGitConfig(entries []configEntry) gitConfig {
	c := gitConfig{last: map[string]string{}, urls: map[string]string{}}
	for _, e := range entries {
		key, value := e.key, e.value
		switch key {
		case "github.user", "user.name", "user.email":
			// `git config --get` ends the value with a newline, which
			// the caller trimmed with any other surrounding space.
			c.last[key] = strings.TrimSpace(value)
			continue
		}
		section, rest, _ := strings.Cut(key, ".")
		dot := strings.LastIndex(rest, ".")
		if dot < 0 {
			continue // remote.pushDefault and the like
		}
		sub, variable := rest[:dot], rest[dot+1:]
		switch section {
		case "remote":
			if strings.HasPrefix(sub, "/") {
				continue // git ignores such a remote with a warning
			}
			if !slices.Contains(c.remotes, sub) {
				c.remotes = append(c.remotes, sub)
			}
			if _, ok := c.urls[sub]; !ok && variable == "url" {
				c.urls[sub] = value
			}
		case "url":
			if variable != "insteadof" {
				continue
			}
			i := slices.IndexFunc(c.rewrites, func(r urlRewrite) bool { return r.base == sub })
			if i < 0 {
				c.rewrites = append(c.rewrites, urlRewrite{base: sub})
				i = len(c.rewrites) - 1
			}
			c.rewrites[i].insteadOf = append(c.rewrites[i].insteadOf, value)
		}
	}
	return c
}

// remoteNames lists the remotes as the words of `git remote`.
func (c gitConfig) remoteNames() []string {
	return strings.Fields(strings.Join(c.remotes, "\n"))
}

// remoteURL is the URL `git remote get-url` prints: the first one, with
// the longest matching url.<base>.insteadOf prefix replaced by its base.
// ok is false when the configuration has none.
func (c gitConfig) remoteURL(name string) (string, bool) {
	url, ok := c.urls[name]
	if !ok {
		return "", false
	}
	longest, base := -1, ""
	for _, r := range c.rewrites {
		for _, p := range r.insteadOf {
			if strings.HasPrefix(url, p) && len(p) > longest {
				longest, base = len(p), r.base
			}
		}
	}
	if longest >= 0 {
		url = base + url[longest:]
	}
	return strings.TrimSpace(url), true
}

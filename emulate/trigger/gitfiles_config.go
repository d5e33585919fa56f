package trigger

import (
	"os"
	"path/filepath"
	"strings"
)

// configEntry is one key of a Git configuration file: the canonical name
// (section and variable in lower case, the subsection as written), the
// value after Git's unquoting, and bare for a key without "=" (a boolean
// true).
type configEntry struct {
	key, value string
	bare       bool
}

// configFilePaths are the configuration files Git reads, in its order
// (system, global, repository), for a Git on Linux installed with prefix
// /usr; ok is false where that is not sure: another system, a system file
// under /usr/local (a Git of another prefix), variables that name other
// files.
func configFilePaths(gitDir string) ([]string, bool) {
	if !onLinux {
		return nil, false
	}
	var paths []string
	if !gitBool(os.Getenv("GIT_CONFIG_NOSYSTEM")) {
		if _, err := os.Stat("/usr/local/etc/gitconfig"); err == nil {
			return nil, false
		}
		paths = append(paths, "/etc/gitconfig")
	}
	if g, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		if g != "" {
			paths = append(paths, g)
		}
	} else {
		home := os.Getenv("HOME")
		xdg := os.Getenv("XDG_CONFIG_HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if xdg != "" {
			paths = append(paths, filepath.Join(xdg, "git", "config"))
		}
		if home != "" {
			paths = append(paths, filepath.Join(home, ".gitconfig"))
		}
	}
	return append(paths, filepath.Join(gitDir, "config")), true
}

// readConfigFiles reads every entry of the files in order. ok is false
// when a file holds what this reader does not follow: includes, a work
// tree or bare setting, repository extensions, syntax it does not know.
func readConfigFiles(paths []string) ([]configEntry, bool) {
	var all []configEntry
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			if os.IsNotExist(err) || p == os.DevNull {
				continue
			}
			return nil, false
		}
		entries, ok := parseConfigFile(string(data))
		if !ok {
			return nil, false
		}
		local := i == len(paths)-1
		for _, e := range entries {
			if !followed(e, local) {
				return nil, false
			}
		}
		all = append(all, entries...)
	}
	return all, true
}

// followed reports whether an entry leaves what Git reads as this reader
// sees it: no includes, no other work tree, a version 0 or 1 repository
// with SHA-1 objects and files for refs.
func followed(e configEntry, local bool) bool {
	section, _, _ := strings.Cut(e.key, ".")
	switch {
	case section == "include" || section == "includeif":
		return false
	case !local:
		return true
	case e.key == "core.worktree":
		return false
	case e.key == "core.bare":
		return !e.bare && !gitBool(e.value)
	case e.key == "core.repositoryformatversion":
		return e.value == "0" || e.value == "1"
	case section == "extensions":
		return e.key == "extensions.objectformat" && strings.EqualFold(e.value, "sha1")
	}
	return true
}

// gitBool is Git's reading of a true boolean value.
func gitBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true
	}
	return false
}

// parseConfigFile parses a configuration file as Git's config.c does:
// sections "[name]", `[name "sub"]` and the old "[name.sub]", keys with
// or without a value, values with quotes, escapes, comments and continued
// lines. ok is false on anything else.
func parseConfigFile(src string) ([]configEntry, bool) {
	src = strings.TrimPrefix(src, "\ufeff")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	var entries []configEntry
	section := ""
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' || c == ';':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '[':
			name, next, ok := parseSection(src, i+1)
			if !ok {
				return nil, false
			}
			section, i = name, next
		case isAlpha(c):
			if section == "" {
				return nil, false
			}
			start := i
			for i < len(src) && (isAlpha(src[i]) || isDigit(src[i]) || src[i] == '-') {
				i++
			}
			e := configEntry{key: section + "." + strings.ToLower(src[start:i])}
			for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
				i++
			}
			switch {
			case i >= len(src) || src[i] == '\n' || src[i] == '#' || src[i] == ';':
				e.bare = true
			case src[i] == '=':
				v, next, ok := parseValue(src, i+1)
				if !ok {
					return nil, false
				}
				e.value, i = v, next
			default:
				return nil, false
			}
			entries = append(entries, e)
		default:
			return nil, false
		}
	}
	return entries, true
}

// parseSection reads a section header from just after its "[" and
// returns its canonical prefix and where the line goes on.
func parseSection(src string, i int) (string, int, bool) {
	start := i
	for i < len(src) && (isAlpha(src[i]) || isDigit(src[i]) || src[i] == '-' || src[i] == '.') {
		i++
	}
	name := strings.ToLower(src[start:i])
	if name == "" || i >= len(src) {
		return "", 0, false
	}
	if src[i] == ']' {
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") {
			return "", 0, false
		}
		return name, i + 1, true
	}
	if src[i] != ' ' && src[i] != '\t' || strings.Contains(name, ".") {
		return "", 0, false
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i >= len(src) || src[i] != '"' {
		return "", 0, false
	}
	i++
	var sub strings.Builder
	for {
		if i >= len(src) || src[i] == '\n' {
			return "", 0, false
		}
		c := src[i]
		i++
		if c == '"' {
			break
		}
		if c == '\\' {
			if i >= len(src) || src[i] == '\n' {
				return "", 0, false
			}
			c = src[i]
			i++
		}
		sub.WriteByte(c)
	}
	if i >= len(src) || src[i] != ']' {
		return "", 0, false
	}
	return name + "." + sub.String(), i + 1, true
}

// parseValue reads a value from just after its "=" to the end of its
// (possibly continued) line, as config.c's parse_value: whitespace outside
// quotes is trimmed at both ends and kept (each as one space) inside,
// comments start at # or ; outside quotes.
func parseValue(src string, i int) (string, int, bool) {
	var v strings.Builder
	quoted, comment, spaces := false, false, 0
	for ; i <= len(src); i++ {
		c := byte('\n')
		if i < len(src) {
			c = src[i]
		}
		if c == '\n' {
			if quoted {
				return "", 0, false
			}
			return v.String(), i, true
		}
		if comment {
			continue
		}
		if !quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			if v.Len() > 0 {
				spaces++
			}
			continue
		}
		if !quoted && (c == '#' || c == ';') {
			comment = true
			continue
		}
		for ; spaces > 0; spaces-- {
			v.WriteByte(' ')
		}
		switch c {
		case '\\':
			i++
			if i >= len(src) {
				return "", 0, false
			}
			switch src[i] {
			case '\n':
				continue
			case 't':
				v.WriteByte('\t')
			case 'b':
				v.WriteByte('\b')
			case 'n':
				v.WriteByte('\n')
			case '"', '\\':
				v.WriteByte(src[i])
			default:
				return "", 0, false
			}
		case '"':
			quoted = !quoted
		default:
			v.WriteByte(c)
		}
	}
	return v.String(), len(src), true
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

package host

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// lookPath finds prog on the PATH of env (the step's environment), since
// setup-python and GITHUB_PATH change the step's PATH, not rehearse's.
func lookPath(prog string, env []string) (string, error) {
	if strings.Contains(prog, "/") {
		return prog, nil
	}
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, dir := range filepath.SplitList(path) {
		// An empty or relative entry means the step's working directory,
		// which is not rehearse's: skip it rather than look in the wrong place.
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, prog)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("not found on the step's PATH")
}

// LookPath is lookPath for callers that resolve shells before running.
func LookPath(prog string, env []string) (string, error) { return lookPath(prog, env) }

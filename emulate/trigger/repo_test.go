package trigger

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestMain keeps the user's and the system's Git configuration out of the
// tests, so that an init.defaultBranch or github.user set on the machine
// cannot change what ReadGit sees. It runs before any test, so setting the
// environment here is safe alongside t.Parallel.
func TestMain(m *testing.M) {
	os.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	os.Unsetenv("GIT_DIR")
	os.Unsetenv("GIT_WORK_TREE")
	os.Exit(m.Run())
}

// repo is a throwaway Git repository for integration tests. Author and
// committer dates are fixed, so commit SHAs are the same on every run.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("these tests need the git binary: %v", err)
	}
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := &repo{t: t, dir: dir}
	r.git("init", "--quiet", "--initial-branch=main")
	r.config("[user]\n\tname = Mona Lisa\n\temail = mona@example.com\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n")
	return r
}

// config appends text to the repository's .git/config, as the git config
// and git remote add commands of a setup would write it. A git process
// costs about 10 ms here and these tests make about 70 repositories, so
// the settings every repository gets are written, not set one process
// at a time.
func (r *repo) config(text string) {
	r.t.Helper()
	f, err := os.OpenFile(filepath.Join(r.dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		r.t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		r.t.Fatal(err)
	}
}

// git runs a git command in the repository and returns its trimmed output.
func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_DATE=2024-01-02T03:04:05+01:00",
		"GIT_COMMITTER_DATE=2024-01-02T03:04:05+01:00",
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// write creates or replaces files, given as path, content pairs.
func (r *repo) write(pathContent ...string) {
	r.t.Helper()
	for i := 0; i < len(pathContent); i += 2 {
		p := filepath.Join(r.dir, filepath.FromSlash(pathContent[i]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(pathContent[i+1]), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// commit writes the files, commits everything and returns the new SHA.
func (r *repo) commit(msg string, pathContent ...string) string {
	r.t.Helper()
	r.write(pathContent...)
	r.git("add", "--all")
	r.git("commit", "--quiet", "--allow-empty", "-m", msg)
	return r.head()
}

// head returns the SHA of HEAD. Right after a commit HEAD is a branch
// whose loose ref file holds it (or a detached SHA), read without another
// git process; anything else asks git rev-parse.
func (r *repo) head() string {
	r.t.Helper()
	gitDir := filepath.Join(r.dir, ".git")
	if data, err := os.ReadFile(filepath.Join(gitDir, "HEAD")); err == nil {
		v := strings.TrimSpace(string(data))
		if ref, ok := strings.CutPrefix(v, "ref: "); ok {
			data, err = os.ReadFile(filepath.Join(gitDir, filepath.FromSlash(ref)))
			v = strings.TrimSpace(string(data))
			if err != nil {
				v = ""
			}
		}
		if isSHA(v) {
			return v
		}
	}
	return r.git("rev-parse", "HEAD")
}

func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// origin adds a fake origin remote and points refs/remotes/origin/<branch>
// at the given commits, as a fetch would, without any network.
func (r *repo) origin(url string, branches ...string) {
	r.t.Helper()
	if strings.ContainsAny(url, "#;\"\\ \t\n") {
		// Would need quoting in .git/config: let git write it.
		r.git("remote", "add", "origin", url)
	} else {
		r.config("[remote \"origin\"]\n\turl = " + url + "\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n")
	}
	for i := 0; i < len(branches); i += 2 {
		r.git("update-ref", "refs/remotes/origin/"+branches[i], branches[i+1])
	}
}

// track makes origin/<branch> the upstream of the local branch.
func (r *repo) track(branch string) {
	r.t.Helper()
	r.config("[branch \"" + branch + "\"]\n\tremote = origin\n\tmerge = refs/heads/" + branch + "\n")
}

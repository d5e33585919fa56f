package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// TestCacheCommand: cache ls shows the containers' pip cache on the
// builder (with its size), the host's pip cache and the actions/cache
// store; prune clears them; bad arguments are usage errors.
func TestCacheCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Its own caches: prune must not empty those of the tests running
	// beside it.
	env := []string{"REHEARSE_CACHE_DIR=" + t.TempDir()}
	for _, tc := range []struct {
		what string
		args []string
		want string
	}{
		{"no action", []string{"cache"}, "cache takes an action: ls or prune"},
		{"unknown action", []string{"cache", "clean"}, `unknown cache action "clean"`},
		{"unknown cache", []string{"cache", "prune", "npm"}, `cache prune "npm": expected pip or actions`},
	} {
		r := runBin(t, dir, env, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tc.what, r.code, r.stderr, tc.want)
		}
	}
	if testing.Short() {
		return
	}
	addr := buildkittest.Addr(t)
	r := runBin(t, dir, env, "cache", "ls", "--builder", addr)
	if r.code != 0 {
		t.Fatalf("cache ls: exit %d\n%s", r.code, r.stderr)
	}
	for _, re := range []string{
		`(?m)^pip \(containers\)\s+BuildKit ` + regexp.QuoteMeta(addr) + `, cache mount rehearse-pip-cache\s+(\d+(\.\d)? [KMG]?i?B|0 B)\s`,
		`(?m)^pip \(host\)\s+\S+`,
		`(?m)^actions/cache\s+\S+`,
	} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("cache ls output does not match %s:\n%s", re, r.stdout)
		}
	}
	r = runBin(t, dir, env, "cache", "prune", "actions")
	if r.code != 0 || !strings.Contains(r.stdout, "cleared the actions/cache store") {
		t.Errorf("cache prune actions: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

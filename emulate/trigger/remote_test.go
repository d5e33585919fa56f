package trigger

import "testing"

func TestParseRemoteURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, url, owner, repo string
		ok                     bool
	}{
		{"https with .git", "https://github.com/octocat/Hello-World.git", "octocat", "Hello-World", true},
		{"https without .git", "https://github.com/octocat/Hello-World", "octocat", "Hello-World", true},
		{"https with a trailing slash", "https://github.com/octocat/hello/", "octocat", "hello", true},
		{"https with a token", "https://x-access-token:secret@github.com/acme/app.git", "acme", "app", true},
		{"http", "http://ghe.example.com/acme/app.git", "acme", "app", true},
		{"ssh URL", "ssh://git@github.com/acme/app.git", "acme", "app", true},
		{"ssh URL with a port", "ssh://git@github.com:22/acme/app.git", "acme", "app", true},
		{"git+ssh URL", "git+ssh://git@github.com/acme/app.git", "acme", "app", true},
		{"git protocol", "git://github.com/acme/app.git", "acme", "app", true},
		{"scp-like", "git@github.com:acme/app.git", "acme", "app", true},
		{"scp-like without user", "github.com:acme/app", "acme", "app", true},
		{"scp-like with an ssh alias", "gh-work:acme/app.git", "acme", "app", true},
		{"path prefix on the server", "https://git.example.com/scm/acme/app.git", "acme", "app", true},
		{"ssh with ~user", "ssh://host/~alice/app.git", "alice", "app", true},
		{"local path", "/srv/git/app.git", "", "", false},
		{"relative path", "../app", "", "", false},
		{"file URL", "file:///srv/git/acme/app.git", "", "", false},
		{"windows drive", "C:/repos/acme/app", "", "", false},
		{"host only", "https://github.com/", "", "", false},
		{"one segment", "git@github.com:app.git", "", "", false},
		{"empty", "", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			owner, repo, ok := parseRemoteURL(tc.url)
			if owner != tc.owner || repo != tc.repo || ok != tc.ok {
				t.Errorf("parseRemoteURL(%q) = %q, %q, %v; want %q, %q, %v", tc.url, owner, repo, ok, tc.owner, tc.repo, tc.ok)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ what, url, want string }{
		{"token and user", "https://user:tok@github.com/a/b.git", "https://github.com/a/b.git"},
		{"token alone", "https://tok@github.com/a/b.git", "https://github.com/a/b.git"},
		{"ssh user is kept", "ssh://git@github.com/a/b.git", "ssh://git@github.com/a/b.git"},
		{"ssh password is dropped", "ssh://git:pw@github.com/a/b.git", "ssh://github.com/a/b.git"},
		{"scp-like is unchanged", "git@github.com:a/b.git", "git@github.com:a/b.git"},
		{"no credentials", "https://github.com/a/b", "https://github.com/a/b"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := redactURL(tc.url); got != tc.want {
				t.Errorf("redactURL(%q) = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
}

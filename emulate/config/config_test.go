package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		what       string
		user, repo string
		want       Config
		wantErr    string
	}{
		{what: "no files", want: Config{}},
		{
			what: "the repository's file overrides the user's key by key",
			user: "executor: container\nbuilder: tcp://b:1234\nplatforms:\n  Ubuntu-Latest: oci-layout:///a\n  gpu: host\npython:\n  manifest: http://m\nuv:\n  download-url: http://u/releases/download\n  manifest: http://u/uv.ndjson\n",
			repo: "executor: host\nplatforms:\n  ubuntu-latest: oci-layout:///b\npython:\n  sources:\n    \"3.8\": docker-image://x\nuv:\n  manifest: http://r/uv.ndjson\nnetwork: false\n",
			want: Config{Executor: "host", Builder: "tcp://b:1234", BuildersFile: "user",
				Platforms: map[string]string{"ubuntu-latest": "oci-layout:///b", "gpu": "host"},
				Python:    Python{Manifest: "http://m", Sources: map[string]string{"3.8": "docker-image://x"}},
				UV:        UV{DownloadURL: "http://u/releases/download", Manifest: "http://r/uv.ndjson"},
				Network:   new(bool)},
		},
		{what: "empty file", user: "", repo: "# nothing\n", want: Config{}},
		{
			what: "the repository's builders replace the user's builder",
			user: "builder: tcp://b:1234\n",
			repo: "builders:\n  - unix:///a.sock,jobs=2\n  - tcp://c:1234\n",
			want: Config{Builders: []string{"unix:///a.sock,jobs=2", "tcp://c:1234"}, BuildersFile: "repo"},
		},
		{
			what: "the repository's builder replaces the user's builders",
			user: "builders:\n  - unix:///a.sock\n  - unix:///b.sock\n",
			repo: "builder: tcp://c:1234\n",
			want: Config{Builder: "tcp://c:1234", BuildersFile: "repo"},
		},
		{
			what: "the user's builders stay when the repository names none",
			user: "builders: [unix:///a.sock, unix:///b.sock]\n",
			repo: "executor: container\n",
			want: Config{Executor: "container", Builders: []string{"unix:///a.sock", "unix:///b.sock"}, BuildersFile: "user"},
		},
		{what: "builder and builders in one file", repo: "builder: tcp://c:1234\nbuilders: [unix:///a.sock]\n", wantErr: "builder and builders are both set"},
		{what: "empty builders entry", repo: "builders: [unix:///a.sock, '']\n", wantErr: "builders[1] is empty"},
		{what: "builders not a list", repo: "builders: unix:///a.sock\n", wantErr: "cannot unmarshal"},
		{what: "unknown key", repo: "executer: host\n", wantErr: "field executer not found"},
		{what: "bad executor", repo: "executor: vm\n", wantErr: `executor "vm": expected host, container or auto`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			dir := t.TempDir()
			user := filepath.Join(dir, "user.yml")
			if tc.user != "" {
				if err := os.WriteFile(user, []byte(tc.user), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			root := filepath.Join(dir, "repo")
			if err := os.MkdirAll(root, 0o755); err != nil {
				t.Fatal(err)
			}
			if tc.repo != "" {
				if err := os.WriteFile(filepath.Join(root, RepoFile), []byte(tc.repo), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv("REHEARSE_CONFIG", user)
			got, err := Load(root)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Files = nil
			// Which file gave the builders, by its role.
			switch got.BuildersFile {
			case user:
				got.BuildersFile = "user"
			case filepath.Join(root, RepoFile):
				got.BuildersFile = "repo"
			}
			if diff := cmp.Diff(&tc.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

package toolchain

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeNode writes <prefix>/bin/node printing a version and its own path.
func fakeNode(t *testing.T, prefix, version string) string {
	t.Helper()
	p := filepath.Join(prefix, "bin", "node")
	fakeBin(t, p, version+"\n"+p+"\n")
	return p
}

func TestFindNode(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	home := filepath.Join(root, "home")
	onPath := fakeNode(t, filepath.Join(root, "usr"), "v20.11.1")
	nvm18 := fakeNode(t, filepath.Join(home, ".nvm", "versions", "node", "v18.19.0"), "v18.19.0")
	nvm22 := fakeNode(t, filepath.Join(home, ".nvm", "versions", "node", "v22.3.0"), "v22.3.0")
	env := testEnv(root, filepath.Dir(onPath))

	got, err := FindNode(t.Context(), env)
	if err != nil {
		t.Fatal(err)
	}
	want := []Node{
		{Version: "22.3.0", Path: nvm22, Dir: filepath.Join(home, ".nvm", "versions", "node", "v22.3.0")},
		{Version: "20.11.1", Path: onPath, Dir: filepath.Join(root, "usr")},
		{Version: "18.19.0", Path: nvm18, Dir: filepath.Join(home, ".nvm", "versions", "node", "v18.19.0")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindNode mismatch (-want +got):\n%s", diff)
	}
}

var installedNode = []Node{
	{Version: "22.3.0", Path: "/n/22"},
	{Version: "20.11.1", Path: "/n/20.11"},
	{Version: "20.9.0", Path: "/n/20.9"},
	{Version: "18.19.0", Path: "/n/18"},
}

func TestMatchNode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, spec, want string
	}{
		{"major", "20", "/n/20.11"},
		{"v prefix", "v20", "/n/20.11"},
		{"x-range", "20.x", "/n/20.11"},
		{"exact", "20.9.0", "/n/20.9"},
		{"exact with v", "v20.9.0", "/n/20.9"},
		{"range", ">=18 <21", "/n/20.11"},
		{"caret", "^18.0.0", "/n/18"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := MatchNode(installedNode, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != tc.want {
				t.Errorf("MatchNode(%q) = %s, want %s", tc.spec, got.Path, tc.want)
			}
		})
	}
}

func TestMatchNodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, spec   string
		wantNotFound bool
		wantMessage  string
	}{
		{"missing major", "16", true, "Unable to find Node version '16' for platform linux and architecture " + Architecture() + "."},
		{"lts alias", "lts/*", false, ""},
		{"named lts", "lts/iron", false, ""},
		{"latest", "latest", false, ""},
		{"current", "current", false, ""},
		{"node", "node", false, ""},
		{"nightly", "21-nightly", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := MatchNode(installedNode, tc.spec)
			var nf *NotFoundError
			var ue *UnsupportedError
			if tc.wantNotFound {
				if !errors.As(err, &nf) || nf.Message != tc.wantMessage {
					t.Errorf("error = %v, want NotFoundError %q", err, tc.wantMessage)
				}
				return
			}
			if !errors.As(err, &ue) {
				t.Errorf("error = %v, want an UnsupportedError", err)
			}
		})
	}
}

func TestNodeVersionFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		files map[string]string
		read  string
		want  string
	}{
		// setup-node __tests__ getNodeVersionFromFile cases.
		{".nvmrc with v", map[string]string{".nvmrc": "v14\n"}, ".nvmrc", "14"},
		{".node-version", map[string]string{".node-version": "20.11.1"}, ".node-version", "20.11.1"},
		{".tool-versions nodejs line", map[string]string{".tool-versions": "python 3.12\nnodejs 18.19.0\n"}, ".tool-versions", "18.19.0"},
		{".tool-versions node line", map[string]string{".tool-versions": "node 20"}, ".tool-versions", "20"},
		{"lts alias passes through", map[string]string{".nvmrc": "lts/iron"}, ".nvmrc", "lts/iron"},
		{"package.json volta", map[string]string{"package.json": `{"volta":{"node":"18.17.1"},"engines":{"node":">=16"}}`}, "package.json", "18.17.1"},
		{"package.json engines", map[string]string{"package.json": `{"engines":{"node":">=20.0.0"}}`}, "package.json", ">=20.0.0"},
		{"package.json volta extends", map[string]string{
			"package.json":      `{"volta":{"extends":"base/package.json"}}`,
			"base/package.json": `{"volta":{"node":"16.20.2"}}`,
		}, "package.json", "16.20.2"},
		{"package.json volta extends an absolute path", map[string]string{
			"app/package.json":  `{"volta":{"extends":"$DIR/base/package.json"}}`,
			"base/package.json": `{"volta":{"node":"16.20.2"}}`,
		}, "app/package.json", "16.20.2"},
		{"package.json without a node version", map[string]string{"package.json": `{"name":"x"}`}, "package.json", ""},
		{"bare JSON number is text", map[string]string{".nvmrc": "20"}, ".nvmrc", "20"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, body := range tc.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				body = strings.ReplaceAll(body, "$DIR", dir)
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := NodeVersionFile(filepath.Join(dir, tc.read), os.ReadFile)
			if err != nil || got != tc.want {
				t.Errorf("NodeVersionFile = (%q, %v), want %q", got, err, tc.want)
			}
		})
	}
}

func TestNodeVersionFileMissing(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), ".nvmrc")
	_, err := NodeVersionFile(p, os.ReadFile)
	var ae *ActionError
	if want := "The specified node version file at: " + p + " does not exist"; !errors.As(err, &ae) || ae.Msg != want {
		t.Errorf("NodeVersionFile(missing) = %v; want ActionError %q", err, want)
	}
}

func TestIsNodeAlias(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]bool{
		"lts/*": true, "lts/iron": true, "LTS/Hydrogen": true, "latest": true, "current": true, "node": true, " node ": true,
		"20": false, "v20": false, "lts": false, "21-nightly": false, ">=18": false, "": false,
	} {
		if got := IsNodeAlias(spec); got != want {
			t.Errorf("IsNodeAlias(%q) = %v, want %v", spec, got, want)
		}
	}
}

func TestFindNodeOnThisMachine(t *testing.T) {
	t.Parallel()
	env := EnvFrom(os.Getenv)
	nodes, err := FindNode(t.Context(), env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/usr/bin/node"); err != nil {
		t.Skip("no /usr/bin/node")
	}
	if len(nodes) == 0 {
		t.Fatal("no node found although /usr/bin/node exists")
	}
	if _, err := MatchNode(nodes, nodes[0].Version); err != nil {
		t.Errorf("the newest install %s does not match itself: %v", nodes[0].Version, err)
	}
}

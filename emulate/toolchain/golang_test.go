package toolchain

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeGo writes <root>/bin/go answering `go env GOVERSION GOROOT`.
func fakeGo(t *testing.T, root, goversion string) string {
	t.Helper()
	p := filepath.Join(root, "bin", "go")
	fakeBin(t, p, goversion+"\n"+root+"\n")
	return p
}

func TestFindGo(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	home := filepath.Join(root, "home")
	onPath := fakeGo(t, filepath.Join(root, "usr-local-go"), "go1.22.5")
	sdk121 := fakeGo(t, filepath.Join(home, "sdk", "go1.21.13"), "go1.21.13")
	sdkRC := fakeGo(t, filepath.Join(home, "sdk", "go1.23rc1"), "go1.23rc1")
	goroot := fakeGo(t, filepath.Join(root, "goroot"), "go1.20")
	fakeGo(t, filepath.Join(home, "sdk", "gotip"), "devel go1.24-abcdef") // no release version
	env := testEnv(root, filepath.Dir(onPath))
	env.GOROOT = filepath.Join(root, "goroot")

	got, err := FindGo(t.Context(), env)
	if err != nil {
		t.Fatal(err)
	}
	want := []Go{
		{Version: "1.23.0-rc.1", Path: sdkRC, Dir: filepath.Join(home, "sdk", "go1.23rc1")},
		{Version: "1.22.5", Path: onPath, Dir: filepath.Join(root, "usr-local-go")},
		{Version: "1.21.13", Path: sdk121, Dir: filepath.Join(home, "sdk", "go1.21.13")},
		{Version: "1.20.0", Path: goroot, Dir: filepath.Join(root, "goroot")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindGo mismatch (-want +got):\n%s", diff)
	}
}

// setup-go __tests__ makeSemver cases.
func TestGoSemver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		input, want string
	}{
		{"go1.13", "1.13.0"},
		{"go1.13.1", "1.13.1"},
		{"1.13.1", "1.13.1"},
		{"1.13", "1.13.0"},
		{"go1.23rc1", "1.23.0-rc.1"},
		{"go1.21beta2", "1.21.0-beta.2"},
		{"1.22.0rc2", "1.22.0-rc.2"},
	}
	for _, tc := range tests {
		t.Run(tc.input, func(t *testing.T) {
			t.Parallel()
			got, err := goSemver(tc.input)
			if err != nil || got != tc.want {
				t.Errorf("goSemver(%q) = (%q, %v), want %q", tc.input, got, err, tc.want)
			}
		})
	}
}

var installedGo = []Go{
	{Version: "1.23.0-rc.1", Path: "/go/1.23rc1"},
	{Version: "1.22.5", Path: "/go/1.22.5"},
	{Version: "1.22.1", Path: "/go/1.22.1"},
	{Version: "1.21.13", Path: "/go/1.21.13"},
}

func TestMatchGo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, spec, want string
	}{
		{"major.minor is a range", "1.22", "/go/1.22.5"},
		{"x-range", "1.22.x", "/go/1.22.5"},
		{"exact", "1.22.1", "/go/1.22.1"},
		{"caret skips the prerelease", "^1.21", "/go/1.22.5"},
		{"go release name of a prerelease", "1.23rc1", "/go/1.23rc1"},
		{"semver prerelease", "1.23.0-rc.1", "/go/1.23rc1"},
		{"greater-equal", ">=1.21.0", "/go/1.22.5"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := MatchGo(installedGo, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != tc.want {
				t.Errorf("MatchGo(%q) = %s, want %s", tc.spec, got.Path, tc.want)
			}
		})
	}
}

func TestMatchGoErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, spec, want string
	}{
		{"missing", "1.20", "Unable to find Go version '1.20' for platform linux and architecture " + Architecture() + "."},
		{"stable needs go.dev", "stable", `cannot resolve go version "stable" locally`},
		{"oldstable too", "oldstable", `cannot resolve go version "oldstable" locally`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := MatchGo(installedGo, tc.spec)
			var nf *NotFoundError
			var ue *UnsupportedError
			switch {
			case errors.As(err, &nf):
				if nf.Message != tc.want {
					t.Errorf("Message = %q, want %q", nf.Message, tc.want)
				}
				if !strings.Contains(nf.Hint, "golang.org/dl/go1.20@latest") {
					t.Errorf("Hint = %q, want the golang.org/dl command", nf.Hint)
				}
			case errors.As(err, &ue):
				if !strings.HasPrefix(ue.Error(), tc.want) {
					t.Errorf("error = %q, want prefix %q", ue.Error(), tc.want)
				}
			default:
				t.Fatalf("MatchGo(%q) error = %v", tc.spec, err)
			}
		})
	}
}

func TestGoHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, spec, want string
	}{
		{"old major.minor is go1.N", "1.20", "golang.org/dl/go1.20@latest"},
		{"new major.minor is go1.N.0", "1.22", "golang.org/dl/go1.22.0@latest"},
		{"exact", "1.22.5", "golang.org/dl/go1.22.5@latest"},
		{"range", ">=1.21", "golang.org/dl/go1.X.Y@latest"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := goHint(tc.spec); !strings.Contains(got, tc.want) {
				t.Errorf("goHint(%q) = %q, want it to contain %q", tc.spec, got, tc.want)
			}
		})
	}
}

func TestGoVersionFile(t *testing.T) {
	t.Parallel()
	gomod := "module example.com/m\n\ngo 1.21.0\n\ntoolchain go1.22.5\n"
	tests := []struct {
		what, name, content, gotoolchain, want string
	}{
		// setup-go v6 installer.ts parseGoVersionFile.
		{"toolchain directive wins", "go.mod", gomod, "", "1.22.5"},
		{"GOTOOLCHAIN=local uses the go directive", "go.mod", gomod, "local", "1.21.0"},
		{"go directive without toolchain", "go.mod", "module m\n\ngo 1.22\n", "", "1.22"},
		{"release candidate toolchain", "go.work", "go 1.22\ntoolchain go1.23rc1\n", "", "1.23rc1"},
		{"no directive", "go.mod", "module m\n", "", ""},
		{".tool-versions", ".tool-versions", "nodejs 20\ngolang 1.21.4 # pinned\n", "", "1.21.4"},
		{"plain file", ".go-version", " 1.22.2\n", "", "1.22.2"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := GoVersionFile(p, tc.gotoolchain)
			if err != nil || got != tc.want {
				t.Errorf("GoVersionFile = (%q, %v), want %q", got, err, tc.want)
			}
		})
	}
}

func TestFindGoOnThisMachine(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/usr/local/go/bin/go"); err != nil {
		t.Skip("no Go in /usr/local/go")
	}
	gos, err := FindGo(t.Context(), EnvFrom(os.Getenv))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gos {
		if g.Dir == "/usr/local/go" {
			return
		}
	}
	t.Errorf("/usr/local/go not among %+v", gos)
}

func TestGoToolchainReleases(t *testing.T) {
	list := "v0.0.1-go1.25.4.linux-amd64\nv0.0.1-go1.26.8.linux-amd64\nv0.0.1-go1.26.9.linux-arm64\nv0.0.1-go1.27rc1.linux-amd64\nv0.0.1-go1.26.9.darwin-amd64\n"
	got := GoToolchainReleases(list, "linux", "amd64")
	var versions []string
	for _, g := range got {
		versions = append(versions, g.Version+"="+g.Path)
	}
	want := []string{"1.25.4=v0.0.1-go1.25.4.linux-amd64", "1.26.8=v0.0.1-go1.26.8.linux-amd64", "1.27.0-rc.1=v0.0.1-go1.27rc1.linux-amd64"}
	if strings.Join(versions, " ") != strings.Join(want, " ") {
		t.Errorf("releases = %v, want %v", versions, want)
	}
	for spec, want := range map[string]string{"1.26": "1.26.8", "1.25.4": "1.25.4", "^1.25": "1.26.8"} {
		g, err := MatchGo(got, spec)
		if err != nil || g.Version != want {
			t.Errorf("MatchGo(%q) = %v, %v; want %s", spec, g.Version, err, want)
		}
	}
}

package actions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// fakeNode writes a node at prefix/bin/node that answers toolchain's probe
// as Node.js version (e.g. "97.1.0"), and returns its path.
func fakeNode(t *testing.T, prefix, version string) string {
	t.Helper()
	path := filepath.Join(prefix, "bin", "node")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf("#!/bin/sh\nprintf 'v%s\\n%s\\n'\n", version, path)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSetupNode: setup-node picks, among the Node.js installs of this
// machine (PATH, nvm), the one its tool cache lookup would for node-version
// or node-version-file, and puts it first on PATH. The versions are ones
// no real install has (97.x), so the machine's own node never matches.
func TestSetupNode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   Inputs
		// files are written into the workspace.
		files map[string]string
		// want is the install picked: "path" (on PATH, 97.1.0) or "nvm"
		// (97.3.0).
		want        string
		wantWarning string
		wantErr     string
	}{
		{what: "a major: the highest installed", in: Inputs{"node-version": "97"}, want: "nvm"},
		{what: "major.minor", in: Inputs{"node-version": "97.1"}, want: "path"},
		{what: "exact with v", in: Inputs{"node-version": "v97.3.0"}, want: "nvm"},
		{what: "a range", in: Inputs{"node-version": ">=97.0.0 <97.2.0"}, want: "path"},
		{what: ".nvmrc", in: Inputs{"node-version-file": ".nvmrc"}, files: map[string]string{".nvmrc": "v97.1.0\n"}, want: "path"},
		{what: "package.json engines", in: Inputs{"node-version-file": "package.json"},
			files: map[string]string{"package.json": `{"engines":{"node":"^97.2.0"}}`}, want: "nvm"},
		{what: "package.json volta extends", in: Inputs{"node-version-file": "app/package.json"},
			files: map[string]string{"app/package.json": `{"volta":{"extends":"../package.json"}}`, "package.json": `{"volta":{"node":"97.1.0"}}`}, want: "path"},
		{what: "node-version wins over the file", in: Inputs{"node-version": "97.3", "node-version-file": ".nvmrc"}, files: map[string]string{".nvmrc": "97.1"}, want: "nvm"},
		{what: "no version: the node on PATH", in: Inputs{}, want: "path"},
		{what: "an alias: the node on PATH, with a warning", in: Inputs{"node-version": "lts/*"}, want: "path",
			wantWarning: `actions/setup-node: "lts/*" is not resolved offline; using the installed Node.js 97.1.0`},
		{what: "not installed", in: Inputs{"node-version": "96"},
			wantErr: "Unable to find Node version '96' for platform " + runtime.GOOS + " and architecture " + toolchain.Architecture() + "."},
		{what: "missing version file", in: Inputs{"node-version-file": ".nvmrc"},
			wantErr: "actions/setup-node: The specified node version file at: WORKSPACE/.nvmrc does not exist"},
		{what: "nightly builds are not found locally", in: Inputs{"node-version": "97-nightly"}, wantErr: `cannot resolve node version "97-nightly" locally`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			h := newFakeHost(t)
			nodes := t.TempDir()
			onPath := fakeNode(t, filepath.Join(nodes, "usr"), "97.1.0")
			nvm := fakeNode(t, filepath.Join(h.env["HOME"], ".nvm", "versions", "node", "v97.3.0"), "97.3.0")
			h.env["PATH"] = filepath.Dir(onPath)
			for name, body := range tc.files {
				p := filepath.Join(h.workspace, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			err := setupNode(t.Context(), tc.in, h, Services{})
			if tc.wantErr != "" {
				want := strings.ReplaceAll(tc.wantErr, "WORKSPACE", h.workspace)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("error = %v, want %q", err, want)
				}
				if len(h.path) != 0 || len(h.outputs) != 0 {
					t.Errorf("a failed setup-node set PATH %v, outputs %v", h.path, h.outputs)
				}
				return
			}
			if err != nil {
				t.Fatalf("setup-node: %v", err)
			}
			path, version := onPath, "97.1.0"
			if tc.want == "nvm" {
				path, version = nvm, "97.3.0"
			}
			if d := cmp.Diff([]string{filepath.Dir(path)}, h.path); d != "" {
				t.Errorf("PATH entries (-want +got):\n%s", d)
			}
			if d := cmp.Diff(map[string]string{"node-version": "v" + version, "cache-hit": "false"}, h.outputs); d != "" {
				t.Errorf("outputs (-want +got):\n%s", d)
			}
			var wantWarnings []string
			if tc.wantWarning != "" {
				wantWarnings = []string{tc.wantWarning}
			}
			if d := cmp.Diff(wantWarnings, h.warnings); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
		})
	}
}

// TestSetupNodeNotFound: a version no install has fails with setup-node's
// message and the versions that are installed.
func TestSetupNodeNotFound(t *testing.T) {
	t.Parallel()
	h := newFakeHost(t)
	h.env["PATH"] = filepath.Dir(fakeNode(t, t.TempDir(), "97.1.0"))
	err := setupNode(t.Context(), Inputs{"node-version": "96.1"}, h, Services{})
	var nf *toolchain.NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "97.1.0") {
		t.Errorf("error = %v, want a *toolchain.NotFoundError listing 97.1.0", err)
	}
}

// TestSetupNodeNoNode: without a node on PATH, setup-node without a
// version says there is none.
func TestSetupNodeNoNode(t *testing.T) {
	t.Parallel()
	h := newFakeHost(t)
	h.env["PATH"] = t.TempDir()
	err := setupNode(t.Context(), Inputs{}, h, Services{})
	if err == nil || !strings.Contains(err.Error(), "no Node.js is installed on this machine (node is not on PATH)") {
		t.Errorf("error = %v, want no Node.js on PATH", err)
	}
}

// imageJob is a job whose tools are its image's, not this machine's (the
// container executor's).
type imageJob struct{ executor.Job }

func (j imageJob) Info() executor.Info {
	info := j.Job.Info()
	info.HostTools = false
	return info
}

// TestSetupNodeInImage: in a job whose tools are its image's, only the node
// on the job's PATH counts; nvm's installs of this machine do not.
func TestSetupNodeInImage(t *testing.T) {
	t.Parallel()
	h := newFakeHost(t)
	h.job = imageJob{h.job}
	onPath := fakeNode(t, t.TempDir(), "97.1.0")
	fakeNode(t, filepath.Join(h.env["HOME"], ".nvm", "versions", "node", "v97.3.0"), "97.3.0")
	h.env["PATH"] = filepath.Dir(onPath)
	if err := setupNode(t.Context(), Inputs{"node-version": "97"}, h, Services{}); err != nil {
		t.Fatal(err)
	}
	if got := h.outputs["node-version"]; got != "v97.1.0" {
		t.Errorf("node-version = %q, want the image's v97.1.0", got)
	}
	err := setupNode(t.Context(), Inputs{"node-version": "97.3"}, h, Services{})
	if err == nil || !strings.Contains(err.Error(), "Unable to find Node version '97.3'") || !strings.Contains(err.Error(), "the job's image has Node.js 97.1.0 ("+onPath+")") {
		t.Errorf("error = %v, want setup-node's message and the image's Node.js", err)
	}
	h.env["PATH"] = t.TempDir()
	if err := setupNode(t.Context(), Inputs{"node-version": "97"}, h, Services{}); err == nil || !strings.Contains(err.Error(), "no Node.js is installed on the job's image") {
		t.Errorf("error = %v, want no Node.js in the image", err)
	}
}

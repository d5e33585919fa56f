package artifact

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// uploaded returns a store holding three artifacts from one job, uploaded in
// the order wheels (1), test-report-3.11 (2), test-report-3.12 (3).
func uploaded(t *testing.T) *Store {
	t.Helper()
	ws, home := workspace(t, map[string]string{
		"dist/app.whl":        "wheel",
		"py311/junit.xml":     "3.11",
		"py312/junit.xml":     "3.12",
		"py312/run.sh":        "#!/bin/sh\n",
		"py311/same-name.txt": "from 3.11",
		"py312/same-name.txt": "from 3.12",
	})
	if err := os.Chmod(filepath.Join(ws, "py312/run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := NewStore(filepath.Join(t.TempDir(), "artifacts"))
	for _, u := range []UploadRequest{
		{Name: "wheels", Path: "dist"},
		{Name: "test-report-3.11", Path: "py311"},
		{Name: "test-report-3.12", Path: "py312"},
	} {
		u.Workspace, u.Home = ws, home
		if _, err := s.Upload(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestDownload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what      string
		req       DownloadRequest
		wantFiles []string // under the download path
		wantNames []string // artifacts downloaded
	}{
		// download-artifact src/download-artifact.ts: one artifact, a named
		// one or merge-multiple go straight into the path.
		{"by name into the path itself", DownloadRequest{Name: "wheels", Path: "out"},
			[]string{"app.whl"}, []string{"wheels"}},
		{"all artifacts get a directory each", DownloadRequest{Path: "out"},
			[]string{"test-report-3.11/junit.xml", "test-report-3.11/same-name.txt", "test-report-3.12/junit.xml", "test-report-3.12/run.sh", "test-report-3.12/same-name.txt", "wheels/app.whl"},
			[]string{"wheels", "test-report-3.11", "test-report-3.12"}},
		{"a pattern matching several", DownloadRequest{Pattern: "test-report-*", Path: "out"},
			[]string{"test-report-3.11/junit.xml", "test-report-3.11/same-name.txt", "test-report-3.12/junit.xml", "test-report-3.12/run.sh", "test-report-3.12/same-name.txt"},
			[]string{"test-report-3.11", "test-report-3.12"}},
		{"a pattern matching one gets no extra directory", DownloadRequest{Pattern: "*3.12", Path: "out"},
			[]string{"junit.xml", "run.sh", "same-name.txt"}, []string{"test-report-3.12"}},
		{"merge-multiple puts everything in the path", DownloadRequest{Pattern: "test-report-*", MergeMultiple: true, Path: "out"},
			[]string{"junit.xml", "run.sh", "same-name.txt"}, []string{"test-report-3.11", "test-report-3.12"}},
		{"by ids, in listing order", DownloadRequest{ArtifactIDs: "3, 1", Path: "out"},
			[]string{"test-report-3.12/junit.xml", "test-report-3.12/run.sh", "test-report-3.12/same-name.txt", "wheels/app.whl"},
			[]string{"wheels", "test-report-3.12"}},
		{"a pattern matching nothing downloads nothing", DownloadRequest{Pattern: "nope-*", Path: "out"},
			nil, nil},
	}
	s := uploaded(t)
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ws, home := workspace(t, nil)
			req := tc.req
			req.Workspace, req.Home = ws, home
			res, err := s.Download(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(ws, "out"); res.DownloadPath != want {
				t.Errorf("DownloadPath = %q, want %q", res.DownloadPath, want)
			}
			var names []string
			for _, a := range res.Artifacts {
				names = append(names, a.Name)
			}
			if diff := cmp.Diff(tc.wantNames, names); diff != "" {
				t.Errorf("artifacts mismatch (-want +got):\n%s", diff)
			}
			var got []string
			if _, err := os.Stat(res.DownloadPath); err == nil {
				got = files(t, res.DownloadPath)
			}
			if diff := cmp.Diff(tc.wantFiles, got); diff != "" {
				t.Errorf("files mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDownloadDetails(t *testing.T) {
	t.Parallel()
	s := uploaded(t)
	ws, home := workspace(t, nil)

	t.Run("tilde and the default path", func(t *testing.T) {
		t.Parallel()
		res, err := s.Download(t.Context(), DownloadRequest{Name: "wheels", Path: "~/dl", Workspace: ws, Home: home})
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(home, "dl"); res.DownloadPath != want {
			t.Errorf("DownloadPath = %q, want %q", res.DownloadPath, want)
		}
		res, err = s.Download(t.Context(), DownloadRequest{Name: "wheels", Workspace: ws, Home: home})
		if err != nil {
			t.Fatal(err)
		}
		if res.DownloadPath != ws {
			t.Errorf("default DownloadPath = %q, want the workspace %q", res.DownloadPath, ws)
		}
	})
	t.Run("permissions are not kept", func(t *testing.T) {
		t.Parallel()
		res, err := s.Download(t.Context(), DownloadRequest{Name: "test-report-3.12", Path: "perm", Workspace: ws, Home: home})
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(res.DownloadPath, "run.sh"))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o111 != 0 {
			t.Errorf("run.sh mode = %v, want no execute bits (upload-artifact README: permission loss)", st.Mode())
		}
	})
	t.Run("log lines", func(t *testing.T) {
		t.Parallel()
		res, err := s.Download(t.Context(), DownloadRequest{Pattern: "wheels", Path: "logs", Workspace: ws, Home: home})
		if err != nil {
			t.Fatal(err)
		}
		a := res.Artifacts[0]
		want := []string{
			"Found 3 artifact(s)",
			"Filtering artifacts by pattern 'wheels'",
			"Preparing to download the following artifacts:",
			"- wheels (ID: 1, Size: " + strconv.FormatInt(a.Size, 10) + ", Expected Digest: sha256:" + a.Digest + ")",
			"Starting download of artifact to: " + filepath.Join(ws, "logs"),
			"SHA256 digest of downloaded artifact is " + a.Digest,
			"Artifact download completed successfully.",
			"Total of 1 artifact(s) downloaded",
			"Download artifact has finished successfully",
		}
		if diff := cmp.Diff(want, texts(res.Messages, Info)); diff != "" {
			t.Errorf("messages mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestDownloadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		req         DownloadRequest
		wantErr     string
		wantWarning string
	}{
		// download-artifact's run().catch prefixes "Unable to download artifact(s): ".
		{"unknown name", DownloadRequest{Name: "nope"},
			"Unable to download artifact(s): Artifact not found for name: nope\n        Please ensure that your artifact is not expired", ""},
		{"name and ids together", DownloadRequest{Name: "wheels", ArtifactIDs: "1"},
			"Unable to download artifact(s): Inputs 'name' and 'artifact-ids' cannot be used together. Please specify only one.", ""},
		{"an id that is not a number", DownloadRequest{ArtifactIDs: "1,abc"},
			"Unable to download artifact(s): Invalid artifact ID: 'abc'. Must be a number.", ""},
		{"only separators", DownloadRequest{ArtifactIDs: " , "},
			"Unable to download artifact(s): No valid artifact IDs provided in 'artifact-ids' input", ""},
		{"no id found", DownloadRequest{ArtifactIDs: "42"},
			"Unable to download artifact(s): None of the provided artifact IDs were found", ""},
		{"some ids missing only warns", DownloadRequest{ArtifactIDs: "1,42,43"},
			"", "Could not find the following artifact IDs: 42, 43"},
	}
	s := uploaded(t)
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ws, home := workspace(t, nil)
			req := tc.req
			req.Workspace, req.Home = ws, home
			res, err := s.Download(t.Context(), req)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([]string{tc.wantWarning}, texts(res.Messages, Warning)); diff != "" {
					t.Errorf("warnings mismatch (-want +got):\n%s", diff)
				}
				return
			}
			var ae *ActionError
			if !errors.As(err, &ae) || !strings.HasPrefix(ae.Msg, tc.wantErr) {
				t.Fatalf("Download error = %v, want ActionError starting %q", err, tc.wantErr)
			}
		})
	}
}

func TestNameMatcher(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		pattern string
		name    string
		want    bool
	}{
		// minimatch with default options on names without "/".
		{"star", "test-*", "test-3.11", true},
		{"star mismatch", "test-*", "wheels", false},
		{"braces expand", "{wheels,sdist}", "sdist", true},
		{"numeric range", "py3.{10..12}", "py3.11", true},
		{"negation", "!test-*", "wheels", true},
		{"negated match", "!test-*", "test-1", false},
		{"star does not match a leading dot", "*", ".hidden", false},
		{"an explicit dot does", ".*", ".hidden", true},
		{"comment matches nothing", "#x", "#x", false},
		{"globstar is a star", "**", "anything", true},
		{"class with !", "v[!0]", "v1", true},
		{"question mark", "v?", "v10", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := newNameMatcher(tc.pattern).match(tc.name); got != tc.want {
				t.Errorf("match(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
			}
		})
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	s := uploaded(t)
	var got []string
	for _, a := range s.List() {
		if a.Size <= 0 || len(a.Digest) != 64 || a.Created.IsZero() {
			t.Errorf("artifact %+v lacks size, digest or time", a)
		}
		got = append(got, a.Name)
	}
	if diff := cmp.Diff([]string{"wheels", "test-report-3.11", "test-report-3.12"}, got); diff != "" {
		t.Errorf("List mismatch (-want +got):\n%s", diff)
	}
	files := map[string]int{}
	for _, a := range s.List() {
		files[a.Name] = a.Files
	}
	if diff := cmp.Diff(map[string]int{"wheels": 1, "test-report-3.11": 2, "test-report-3.12": 3}, files); diff != "" {
		t.Errorf("file counts mismatch (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "index.json")); err != nil {
		t.Errorf("index.json not written: %v", err)
	}
}

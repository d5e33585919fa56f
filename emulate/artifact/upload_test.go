package artifact

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// workspace makes a workspace with files (name → content) and a home.
func workspace(t *testing.T, files map[string]string) (ws, home string) {
	t.Helper()
	root := t.TempDir()
	ws, home = filepath.Join(root, "ws"), filepath.Join(root, "home")
	for _, d := range []string{ws, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range files {
		p := filepath.Join(ws, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ws, home
}

// zipNames lists the entries of an artifact's zip.
func zipNames(t *testing.T, s *Store, id int64) []string {
	t.Helper()
	zr, err := zip.OpenReader(s.zipPath(id))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

func texts(msgs []Message, level Level) []string {
	var out []string
	for _, m := range msgs {
		if m.Level == level {
			out = append(out, m.Text)
		}
	}
	return out
}

var sample = map[string]string{
	"dist/app-1.0.whl":         "wheel",
	"dist/app-1.0.tar.gz":      "sdist",
	"dist/logs/build.log":      "log",
	"dist/.hidden/secret":      "s",
	"reports/junit.xml":        "<xml/>",
	"reports/cov/coverage.xml": "<cov/>",
	".env":                     "TOKEN=x",
	"bad:name.txt":             "colon",
}

func TestUploadSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what      string
		path      string
		hidden    bool
		wantNames []string
		wantInfo  []string // lines expected among the info messages
	}{
		// upload-artifact src/shared/search.ts findFilesToUpload.
		{"a single file is uploaded without its directories", "dist/app-1.0.whl", false,
			[]string{"app-1.0.whl"}, []string{"With the provided path, there will be 1 file uploaded"}},
		{"a directory is the root of its files", "dist", false,
			[]string{"app-1.0.tar.gz", "app-1.0.whl", "logs/build.log"}, []string{"With the provided path, there will be 3 files uploaded"}},
		{"a wildcard pattern is rooted at its search path", "dist/**/*.log", false,
			[]string{"logs/build.log"}, nil},
		{"an exclusion removes files", "dist\n!dist/**/*.log", false,
			[]string{"app-1.0.tar.gz", "app-1.0.whl"}, nil},
		{"several search paths are rooted at their least common ancestor", "dist/*.whl\nreports/cov", false,
			[]string{"dist/app-1.0.whl", "reports/cov/coverage.xml"},
			[]string{"Multiple search paths detected. Calculating the least common ancestor of all paths"}},
		// .env still counts as a search path, so the root is the workspace.
		{"hidden files are left out by default (v4.4)", "dist\n.env", false,
			[]string{"dist/app-1.0.tar.gz", "dist/app-1.0.whl", "dist/logs/build.log"}, nil},
		// @actions/glob checks only the names it visits: a file named
		// literally below a hidden directory is its own search root.
		{"a file named below a hidden directory is still uploaded", "dist/.hidden/secret\n.env\ndist/app-1.0.whl", false,
			[]string{"dist/.hidden/secret", "dist/app-1.0.whl"}, nil},
		{"include-hidden-files uploads them", "dist\n.env", true,
			[]string{".env", "dist/.hidden/secret", "dist/app-1.0.tar.gz", "dist/app-1.0.whl", "dist/logs/build.log"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ws, home := workspace(t, sample)
			s := NewStore(filepath.Join(t.TempDir(), "artifacts"))
			res, err := s.Upload(t.Context(), UploadRequest{Name: "out", Path: tc.path, IncludeHiddenFiles: tc.hidden, Workspace: ws, Home: home})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Uploaded {
				t.Fatalf("not uploaded: %v", res.Messages)
			}
			if diff := cmp.Diff(tc.wantNames, zipNames(t, s, res.Artifact.ID)); diff != "" {
				t.Errorf("zip entries mismatch (-want +got):\n%s", diff)
			}
			if res.Artifact.Files != len(tc.wantNames) {
				t.Errorf("Files = %d, want %d", res.Artifact.Files, len(tc.wantNames))
			}
			got := texts(res.Messages, Info)
			for _, w := range tc.wantInfo {
				if !contains(got, w) {
					t.Errorf("messages %q lack %q", got, w)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestUploadInputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		req         UploadRequest
		wantErr     string
		wantWarning string
		wantInfo    string
	}{
		// Messages of upload-artifact src/upload/upload-artifact.ts and input-helper.ts.
		{"no files warns by default", UploadRequest{Path: "nope/*"},
			"", "No files were found with the provided path: nope/*. No artifacts will be uploaded.", ""},
		{"no files with ignore is info", UploadRequest{Path: "nope/*", IfNoFilesFound: "ignore"},
			"", "", "No files were found with the provided path: nope/*. No artifacts will be uploaded."},
		{"no files with error fails", UploadRequest{Path: "nope/*", IfNoFilesFound: "error"},
			"No files were found with the provided path: nope/*. No artifacts will be uploaded.", "", ""},
		{"unknown if-no-files-found", UploadRequest{Path: "dist", IfNoFilesFound: "fail"},
			"Unrecognized if-no-files-found input. Provided: fail. Available options: warn,error,ignore", "", ""},
		{"retention-days is parsed like parseInt", UploadRequest{Path: "dist", RetentionDays: "7 days"},
			"", "", "Artifact name is valid!"},
		{"retention-days that is not a number", UploadRequest{Path: "dist", RetentionDays: "week"},
			"Invalid retention-days", "", ""},
		{"compression-level that is not a number", UploadRequest{Path: "dist", CompressionLevel: "max"},
			"Invalid compression-level", "", ""},
		{"compression-level out of range", UploadRequest{Path: "dist", CompressionLevel: "10"},
			"Invalid compression-level. Valid values are 0-9", "", ""},
		{"compression-level 0 stores", UploadRequest{Path: "dist", CompressionLevel: "0"},
			"", "", "Root directory input is valid!"},
		{"default name", UploadRequest{Path: "dist/app-1.0.whl"},
			"", "", "Artifact artifact.zip successfully finalized. Artifact ID 1"},
		{"a slash in the name", UploadRequest{Name: "a/b", Path: "dist"},
			"The artifact name is not valid: a/b. Contains the following character:  Forward slash /", "", ""},
		{"a colon in a file name", UploadRequest{Path: "bad:name.txt"},
			"The path for one of the files in artifact is not valid: /bad:name.txt. Contains the following character:  Colon :", "", ""},
		{"a bad pattern", UploadRequest{Path: "../x"},
			"Invalid pattern '../x'. Relative pathing '.' and '..' is not allowed.", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ws, home := workspace(t, sample)
			s := NewStore(filepath.Join(t.TempDir(), "artifacts"))
			req := tc.req
			req.Workspace, req.Home = ws, home
			res, err := s.Upload(t.Context(), req)
			if tc.wantErr != "" {
				var ae *ActionError
				if !errors.As(err, &ae) || !strings.HasPrefix(ae.Msg, tc.wantErr) {
					t.Fatalf("Upload error = %v, want ActionError starting %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantWarning != "" {
				if diff := cmp.Diff([]string{tc.wantWarning}, texts(res.Messages, Warning)); diff != "" {
					t.Errorf("warnings mismatch (-want +got):\n%s", diff)
				}
				if res.Uploaded || len(s.List()) != 0 {
					t.Errorf("uploaded although no file matched")
				}
			}
			if tc.wantInfo != "" && !contains(texts(res.Messages, Info), tc.wantInfo) {
				t.Errorf("messages %q lack %q", texts(res.Messages, Info), tc.wantInfo)
			}
		})
	}
}

func TestUploadSameName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what      string
		overwrite bool
		wantErr   string
		wantIDs   []int64
	}{
		{"v4 refuses a second upload of a name", false,
			"Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run", []int64{1}},
		{"overwrite deletes the old artifact and gets a new id", true, "", []int64{2}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ws, home := workspace(t, sample)
			s := NewStore(filepath.Join(t.TempDir(), "artifacts"))
			req := UploadRequest{Name: "dist", Path: "dist", Workspace: ws, Home: home}
			if _, err := s.Upload(t.Context(), req); err != nil {
				t.Fatal(err)
			}
			req.Overwrite = tc.overwrite
			res, err := s.Upload(t.Context(), req)
			if tc.wantErr != "" {
				var ae *ActionError
				if !errors.As(err, &ae) || ae.Msg != tc.wantErr {
					t.Fatalf("second Upload error = %v, want %q", err, tc.wantErr)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !contains(texts(res.Messages, Info), "Artifact 'dist' (ID: 1) deleted") {
					t.Errorf("no deletion message in %q", texts(res.Messages, Info))
				}
			}
			var ids []int64
			for _, a := range s.List() {
				ids = append(ids, a.ID)
			}
			if diff := cmp.Diff(tc.wantIDs, ids); diff != "" {
				t.Errorf("artifact ids mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUploadConcurrentSameName(t *testing.T) {
	t.Parallel()
	ws, home := workspace(t, sample)
	s := NewStore(filepath.Join(t.TempDir(), "artifacts"))
	const jobs = 6
	errs := make([]error, jobs) // one slot per goroutine
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Upload(t.Context(), UploadRequest{Name: "coverage", Path: "reports", Workspace: ws, Home: home})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var ae *ActionError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &ae) && strings.Contains(ae.Msg, "(409) Conflict"):
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || len(s.List()) != 1 {
		t.Errorf("%d uploads succeeded and %d artifacts exist, want 1 and 1", ok, len(s.List()))
	}
}

func TestMultiPathLCA(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		paths []string
		want  string
	}{
		// The examples in search.ts getMultiPathLCA's comment.
		{"only the root is shared", []string{"/foo/", "/bar/"}, "/"},
		{"home relative paths", []string{"~/foo/bar", "~/foo/voo/two", "~/foo/mo/"}, "~/foo"},
		{"segments, not characters", []string{"/ws/a", "/ws/ab"}, "/ws"},
		{"nested", []string{"/ws/a/b", "/ws/a"}, "/ws/a"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := multiPathLCA(tc.paths); got != tc.want {
				t.Errorf("multiPathLCA(%q) = %q, want %q", tc.paths, got, tc.want)
			}
		})
	}
}

func TestParseInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what   string
		input  string
		want   int
		wantOK bool
	}{
		{"digits", "30", 30, true},
		{"trailing text is ignored", "7 days", 7, true},
		{"leading spaces", "  5", 5, true},
		{"sign", "-1", -1, true},
		{"not a number", "x7", 0, false},
		{"empty", "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, ok := parseInt(tc.input)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("parseInt(%q) = (%d, %v), want (%d, %v)", tc.input, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

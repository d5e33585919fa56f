package actions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/artifact"
)

// TestDownloadArtifactSource: download-artifact reads run-id and
// repository only with github-token, and they default to this run and
// repository (action.yml, src/download-artifact.ts). A token alone, or
// one with this run's id, downloads this run's artifacts; only another
// run or repository needs GitHub's API and is refused.
func TestDownloadArtifactSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   Inputs
		// wantErr is part of the error; "" means the download succeeds.
		wantErr string
		// wantActionErr is set when the error is the action's own.
		wantActionErr bool
		wantWarning   string
	}{
		{
			what: "no token",
			in:   Inputs{"name": "dist"},
		},
		{
			what: "a token alone downloads from this run",
			in:   Inputs{"name": "dist", "github-token": "ghs_x"},
		},
		{
			what: "a token with this run and repository",
			in:   Inputs{"name": "dist", "github-token": "ghs_x", "run-id": "1234", "repository": "Octo/Repo"},
		},
		{
			what: "without a token run-id is ignored, as on GitHub",
			in:   Inputs{"name": "dist", "run-id": "42"},
			// The action downloads this run's artifacts then.
			wantWarning: "run-id and repository are used only with github-token",
		},
		{
			what:    "another run is refused",
			in:      Inputs{"name": "dist", "github-token": "ghs_x", "run-id": "42"},
			wantErr: `run-id "42" is not this run (1234)`,
		},
		{
			what:    "another repository is refused",
			in:      Inputs{"name": "dist", "github-token": "ghs_x", "repository": "octo/other"},
			wantErr: `repository "octo/other" is not this repository (octo/repo)`,
		},
		{
			what:          "a repository without owner fails as the action fails",
			in:            Inputs{"name": "dist", "github-token": "ghs_x", "repository": "repo"},
			wantErr:       "Unable to download artifact(s): Invalid repository: 'repo'. Must be in format owner/repo",
			wantActionErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			h := newFakeHost(t)
			h.env["GITHUB_RUN_ID"] = "1234"
			h.env["GITHUB_REPOSITORY"] = "octo/repo"
			svc := Services{Artifacts: artifact.NewStore(filepath.Join(t.TempDir(), "artifacts"))}
			if err := os.WriteFile(filepath.Join(h.workspace, "app.txt"), []byte("built"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := uploadArtifact(t.Context(), Inputs{"name": "dist", "path": "app.txt"}, h, svc); err != nil {
				t.Fatalf("upload: %v", err)
			}
			out := filepath.Join(h.workspace, "out")
			tc.in["path"] = out

			err := downloadArtifact(t.Context(), tc.in, h, svc)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one with %q", err, tc.wantErr)
				}
				var ae *artifact.ActionError
				if got := errors.As(err, &ae); got != tc.wantActionErr {
					t.Errorf("error is the action's own = %v, want %v", got, tc.wantActionErr)
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s was written by a refused download", out)
				}
				return
			}
			if err != nil {
				t.Fatalf("download: %v", err)
			}
			if data, err := os.ReadFile(filepath.Join(out, "app.txt")); err != nil || string(data) != "built" {
				t.Errorf("downloaded app.txt = %q, %v; want %q", data, err, "built")
			}
			var warned bool
			for _, w := range h.warnings {
				warned = warned || (tc.wantWarning != "" && strings.Contains(w, tc.wantWarning))
			}
			if tc.wantWarning != "" && !warned {
				t.Errorf("no warning with %q; warnings: %q", tc.wantWarning, h.warnings)
			}
			if tc.wantWarning == "" && len(h.warnings) > 0 {
				t.Errorf("unexpected warnings: %q", h.warnings)
			}
		})
	}
}

package actions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// TestSetupPythonVersions: setup-python sets up every version listed in
// python-version (or in a version file), in order, and the last one is
// the default: first on PATH, in the outputs and in pythonLocation
// (setup-python docs/advanced-usage.md, "Specifying multiple Python/PyPy
// version"). A listed version that is not installed fails the step, as
// setup-python fails.
func TestSetupPythonVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   Inputs
		// file is the workspace's .python-version, when set.
		file string
		// want are the versions set up, in order; the last is the default.
		want []string
		// wantErr is part of the error; want is then what was set up
		// before the failure.
		wantErr string
	}{
		{
			what: "one version",
			in:   Inputs{"python-version": "3.97"},
			want: []string{"3.97.2"},
		},
		{
			what: "the last listed is the default",
			in:   Inputs{"python-version": "3.97\n3.98\n"},
			want: []string{"3.97.2", "3.98.1"},
		},
		{
			what: "order decides, not the highest",
			in:   Inputs{"python-version": "3.98\n  3.97  \n"},
			want: []string{"3.98.1", "3.97.2"},
		},
		{
			what: "a version file lists several",
			in:   Inputs{"python-version-file": ".python-version"},
			file: "3.98\n3.97\n",
			want: []string{"3.98.1", "3.97.2"},
		},
		{
			what: "no version: the python3 on PATH, not the highest installed (setup-python's warning says so)",
			in:   Inputs{},
			want: []string{"3.97.2"},
		},
		{
			what:    "a missing version fails the step",
			in:      Inputs{"python-version": "3.97\n3.99\n3.98"},
			want:    []string{"3.97.2"},
			wantErr: "The version '3.99' with architecture",
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			h := newFakeHost(t)
			pythons := t.TempDir()
			fakePython(t, filepath.Join(pythons, "a"), "python3.97", "3.97.2")
			fakePython(t, filepath.Join(pythons, "a"), "python3", "3.97.2")
			fakePython(t, filepath.Join(pythons, "b"), "python3.98", "3.98.1")
			h.env["PATH"] = filepath.Join(pythons, "a", "bin") + string(os.PathListSeparator) + filepath.Join(pythons, "b", "bin") + string(os.PathListSeparator) + "/usr/bin:/bin"
			if tc.file != "" {
				if err := os.WriteFile(filepath.Join(h.workspace, ".python-version"), []byte(tc.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			err := setupPython(t.Context(), tc.in, h, Services{})
			if tc.wantErr != "" {
				var nf *toolchain.NotFoundError
				if !errors.As(err, &nf) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error = %v, want a *toolchain.NotFoundError with %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("setup-python: %v", err)
			}

			venv := func(v string) string { return filepath.Join(h.toolCache, "Python", v, "venv") }
			var wantPath, wantLogs []string
			for _, v := range tc.want {
				wantPath = append([]string{filepath.Join(venv(v), "bin")}, wantPath...)
				wantLogs = append(wantLogs, "Successfully set up CPython ("+v+")")
				if _, err := os.Stat(filepath.Join(venv(v), "bin", "python")); err != nil {
					t.Errorf("no venv of %s: %v", v, err)
				}
			}
			if d := cmp.Diff(wantPath, h.path); d != "" {
				t.Errorf("PATH entries, first on PATH first (-want +got):\n%s", d)
			}
			if d := cmp.Diff(wantLogs, h.logs); d != "" {
				t.Errorf("log (-want +got):\n%s", d)
			}
			if tc.wantErr != "" {
				return
			}
			last := tc.want[len(tc.want)-1]
			wantOutputs := map[string]string{
				"python-version": last,
				"python-path":    filepath.Join(venv(last), "bin", "python"),
			}
			if d := cmp.Diff(wantOutputs, h.outputs); d != "" {
				t.Errorf("outputs (-want +got):\n%s", d)
			}
			if got := h.exported["pythonLocation"]; got != venv(last) {
				t.Errorf("pythonLocation = %q, want %q", got, venv(last))
			}
		})
	}
}

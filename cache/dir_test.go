package cache

import (
	"os"
	"path/filepath"
	"testing"
)

// These tests set REHEARSE_CACHE_DIR, so they cannot run in parallel.

func TestDirs(t *testing.T) {
	tests := []struct {
		what string
		fn   func() (string, error)
		want string
	}{
		{"Dir is the override", Dir, ""},
		{"PipDir is below it", PipDir, "pip"},
		{"ActionsCacheDir is below it", ActionsCacheDir, "actions-cache"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "not", "yet")
			t.Setenv(DirEnv, root)
			got, err := tc.fn()
			if err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(root, tc.want)
			if got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if info, err := os.Stat(got); err != nil || !info.IsDir() {
				t.Errorf("%q was not created: %v", got, err)
			}
		})
	}
}

func TestDirDefaultsToUserCacheDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv(DirEnv, "")
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg"))
	got, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "xdg", "rehearse"); got != want {
		t.Errorf("Dir() = %q, want %q", got, want)
	}
}

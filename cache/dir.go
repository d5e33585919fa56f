package cache

import (
	"fmt"
	"os"
	"path/filepath"
)

// DirEnv names the environment variable that overrides [Dir].
const DirEnv = "REHEARSE_CACHE_DIR"

// Dir returns rehearse's cache root: $REHEARSE_CACHE_DIR, else
// os.UserCacheDir()/rehearse. The directory is created on demand.
func Dir() (string, error) {
	dir := os.Getenv(DirEnv)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("could not find the user cache directory (set %s): %w", DirEnv, err)
		}
		dir = filepath.Join(base, "rehearse")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("could not resolve cache directory %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", fmt.Errorf("could not create cache directory %q: %w", abs, err)
	}
	return abs, nil
}

// PipDir is the one pip cache directory shared by every job of every run;
// executors point PIP_CACHE_DIR here so a matrix of Pythons downloads each
// wheel once. pip keys its cache by URL and wheel tags, so sharing it across
// interpreters is safe.
func PipDir() (string, error) {
	return subdir("pip")
}

// ActionsCacheDir is where the default [Store] lives: Dir()/actions-cache.
func ActionsCacheDir() (string, error) {
	return subdir("actions-cache")
}

func subdir(name string) (string, error) {
	root, err := Dir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("could not create cache directory %q: %w", dir, err)
	}
	return dir, nil
}

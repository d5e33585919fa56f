package toolchain

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPythonSpecs: python-version's lines win over python-version-file,
// which wins over .python-version, as setup-python reads them.
func TestPythonSpecs(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for name, content := range map[string]string{".python-version": "3.11\n", "ci/versions.txt": "3.9\n# comment\n3.12\n"} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		inputs map[string]string
		want   []string
	}{
		{map[string]string{"python-version": "3.10\n 3.13 \n\n", "python-version-file": "ci/versions.txt"}, []string{"3.10", "3.13"}},
		{map[string]string{"python-version-file": "ci/versions.txt"}, []string{"3.9", "3.12"}},
		{map[string]string{}, []string{"3.11"}},
		{map[string]string{"python-version-file": "missing.txt"}, nil},
	}
	for _, tc := range tests {
		if got := PythonSpecs(tc.inputs, root); !slices.Equal(got, tc.want) {
			t.Errorf("PythonSpecs(%v) = %q, want %q", tc.inputs, got, tc.want)
		}
	}
}

package run

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestToolsRun: only tools in command position count; installing a tool
// does not run it.
func TestToolsRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		script string
		want   []string
	}{
		{"pip install flake8 black pytest", nil},
		{"python -m pip install -r requirements.txt\npytest -q", []string{"pytest"}},
		{"black --check . && isort --check-only .", []string{"black", "isort"}},
		{"FOO=1 time mypy src | tee out", []string{"mypy"}},
		{"echo $(ruff --version)", []string{"ruff"}},
		{"python -m pytest", nil},
		{"coverage run -m pytest; coverage report", []string{"coverage", "coverage"}},
		{"sudo apt-get install -y black", nil},
	}
	for _, tc := range tests {
		if d := cmp.Diff(tc.want, toolsRun(tc.script)); d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.script, d)
		}
	}
}

package step

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRunHeader(t *testing.T) {
	t.Parallel()
	bash := Command{Shell: "bash", Program: "/usr/bin/bash", ArgFormat: "--noprofile --norc -e -o pipefail {0}"}
	tests := []struct {
		what   string
		script string
		env    []KeyValue
		want   []string
	}{
		{"one line without env", "echo hi", nil, []string{
			"##[group]Run echo hi",
			"\x1b[36;1mecho hi\x1b[0m",
			"shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}",
			"##[endgroup]",
		}},
		{"title skips leading blank lines, body keeps them", "\n\n  make test\r\nmake lint\n\n", []KeyValue{{"GOFLAGS", "-mod=mod"}, {"CI", "true"}}, []string{
			"##[group]Run make test",
			"\x1b[36;1m\x1b[0m",
			"\x1b[36;1m\x1b[0m",
			"\x1b[36;1m  make test\x1b[0m",
			"\x1b[36;1mmake lint\x1b[0m",
			"shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}",
			"env:",
			"  GOFLAGS: -mod=mod",
			"  CI: true",
			"##[endgroup]",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, RunHeader(tc.script, bash, tc.env)); diff != "" {
				t.Errorf("RunHeader mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

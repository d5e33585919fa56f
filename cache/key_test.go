package cache

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInputLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  []string
	}{
		// actions/cache src/utils/actionUtils.ts getInputAsArray
		{"one line", "~/.npm", []string{"~/.npm"}},
		{"lines are trimmed and blanks dropped", "  a \n\n\tb\n", []string{"a", "b"}},
		{"space after ! is removed", "!  dist/tmp\n! x", []string{"!dist/tmp", "!x"}},
		{"empty input", "", nil},
		{"CRLF leaves no carriage return", "a\r\nb\r\n", []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, InputLines(tc.input)); diff != "" {
				t.Errorf("InputLines(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestInputBool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  bool
	}{
		{"true", "true", true},
		{"any case", "TRUE", true},
		{"yes is not true", "yes", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := InputBool(tc.input); got != tc.want {
				t.Errorf("InputBool(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		paths       []string
		compression string
		crossOS     bool
		goos        string
		want        string
	}{
		// sha256 of the components joined by "|" (@actions/cache getCacheVersion).
		{"one path, gzip", []string{"~/.cache/pip"}, "gzip", false, "linux",
			"e7acab3d0e00d5d6ddda2ab51fb2d5c1017570e12f9ddf20530cc06d36fe4fbd"},
		{"paths keep their order and spelling", []string{"node_modules", "packages/*/node_modules/"}, "gzip", false, "linux",
			"9d05f8f851ab8a30eb65f7a820606bc621fff59ed8796d27e0f23eeef7949ada"},
		{"windows without cross-OS adds windows-only", []string{"a"}, "zstd", false, "windows",
			"268ea9be245840b5e5ac2be3f4a84c3f45ddaef5d44ac45838485e0eb2040b1c"},
		{"windows with cross-OS does not", []string{"a"}, "zstd", true, "windows",
			"89b47546610b6869731a85cfee75ef625c2f375da88619a2550bb5d6ba478036"},
		{"cross-OS changes nothing on linux", []string{"a"}, "zstd", false, "linux",
			"89b47546610b6869731a85cfee75ef625c2f375da88619a2550bb5d6ba478036"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := version(tc.paths, tc.compression, tc.crossOS, tc.goos); got != tc.want {
				t.Errorf("version(%q) = %s, want %s", tc.paths, got, tc.want)
			}
		})
	}
}

func TestCheckKeys(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("k", 513)
	tests := []struct {
		what        string
		key         string
		restoreKeys []string
		want        string
	}{
		// Messages of actions/toolkit packages/cache/src/cache.ts.
		{"fine", "linux-abc", []string{"linux-"}, ""},
		{"512 characters is the limit", strings.Repeat("k", 512), nil, ""},
		{"too long", long, nil, "Key Validation Error: " + long + " cannot be larger than 512 characters."},
		{"UTF-16 units are counted, not bytes", strings.Repeat("é", 300), nil, ""},
		{"comma in the primary key", "a,b", nil, "Key Validation Error: a,b cannot contain commas."},
		{"comma in a restore key", "a", []string{"b,c"}, "Key Validation Error: b,c cannot contain commas."},
		{"ten keys in all", "k", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, ""},
		{"eleven keys", "k", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, "Key Validation Error: Keys are limited to a maximum of 10."},
		{"missing key", "", nil, "Input required and not supplied: key"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			err := checkKeys(tc.key, tc.restoreKeys)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("checkKeys: unexpected error %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Msg != tc.want {
				t.Errorf("checkKeys error = %v, want ValidationError %q", err, tc.want)
			}
		})
	}
}

func TestExactKeyMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, key, matched string
		want               bool
	}{
		{"same", "Linux-npm-1", "Linux-npm-1", true},
		{"case differs (sensitivity: accent)", "Linux-npm-1", "linux-NPM-1", true},
		{"prefix only", "Linux-npm-1", "Linux-npm-12", false},
		{"nothing matched", "k", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := exactKeyMatch(tc.key, tc.matched); got != tc.want {
				t.Errorf("exactKeyMatch(%q, %q) = %v, want %v", tc.key, tc.matched, got, tc.want)
			}
		})
	}
}

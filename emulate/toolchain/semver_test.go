package toolchain

import "testing"

// Cases from node-semver test/fixtures/range-include.js and
// range-exclude.js (those without options), which are the rules setup-*
// actions inherit through semver.satisfies.
func TestSatisfies(t *testing.T) {
	t.Parallel()
	include := [][2]string{
		{"1.0.0 - 2.0.0", "1.2.3"},
		{"^1.2.3+build", "1.2.3"},
		{"^1.2.3+build", "1.3.0"},
		{"1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3"},
		{"1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3-pre.2"},
		{"1.2.3-pre+asdf - 2.4.3-pre+asdf", "2.4.3-alpha"},
		{"1.2.3+asdf - 2.4.3+asdf", "1.2.3"},
		{"1.0.0", "1.0.0"},
		{">=*", "0.2.4"},
		{"", "1.0.0"},
		{"*", "1.2.3"},
		{">=1.0.0", "1.0.0"},
		{">1.0.0", "1.0.1"},
		{"<=2.0.0", "1.9999.9999"},
		{"<2.0.0", "0.2.9"},
		{">=  1.0.0", "1.0.1"},
		{"<\t2.0.0", "0.2.9"},
		{">=0.1.97", "v0.1.97"},
		{"0.1.20 || 1.2.4", "1.2.4"},
		{">=0.2.3 || <0.0.1", "0.0.0"},
		{"||", "1.3.4"},
		{"2.x.x", "2.1.3"},
		{"1.2.x || 2.x", "1.2.3"},
		{"x", "1.2.3"},
		{"2.*.*", "2.1.3"},
		{"1.2.* || 2.*", "2.1.3"},
		{"2", "2.1.2"},
		{"2.3", "2.3.1"},
		{"~0.0.1", "0.0.2"},
		{"~x", "0.0.9"},
		{"~2", "2.0.9"},
		{"~2.4", "2.4.5"},
		{"~>3.2.1", "3.2.2"},
		{"~> 1", "1.2.3"},
		{"~ 1.0", "1.0.2"},
		{"~ 1.0.3", "1.0.12"},
		{">= 1", "1.0.0"},
		{"< 1.2", "1.1.1"},
		{"~v0.5.4-pre", "0.5.5"},
		{"~v0.5.4-pre", "0.5.4"},
		{"=0.7.x", "0.7.2"},
		{"<=0.7.x", "0.7.2"},
		{"<=0.7.x", "0.6.2"},
		{"~1.2.1 >=1.2.3", "1.2.3"},
		{"~1.2.1 =1.2.3", "1.2.3"},
		{"~1.2.1 1.2.3 >=1.2.3", "1.2.3"},
		{">=1.2.3 >=1.2.1", "1.2.3"},
		{"^1.2.3", "1.8.1"},
		{"^0.1.2", "0.1.2"},
		{"^0.1", "0.1.2"},
		{"^0.0.1", "0.0.1"},
		{"^1.2 ^1", "1.4.2"},
		{"^1.2.3-alpha", "1.2.3-pre"},
		{"^1.2.0-alpha", "1.2.0-pre"},
		{"^0.0.1-alpha", "0.0.1-beta"},
		{"^0.1.1-alpha", "0.1.1-beta"},
		{"^x", "1.2.3"},
		{"x - 1.0.0", "0.9.7"},
		{"x - 1.x", "0.9.7"},
		{"1.0.0 - x", "1.9.7"},
		{"1.x - x", "1.9.7"},
		{"<=7.x", "7.9.9"},
	}
	exclude := [][2]string{
		{"1.0.0 - 2.0.0", "2.2.3"},
		{"1.2.3+asdf - 2.4.3+asdf", "1.2.3-pre.2"},
		{"^1.2.3+build", "2.0.0"},
		{"^1.2.3", "1.2.3-pre"},
		{"^1.2", "1.2.0-pre"},
		{">1.2", "1.3.0-beta"},
		{"<=1.2.3", "1.2.3-beta"},
		{"=0.7.x", "0.7.0-asdf"},
		{">=0.7.x", "0.7.0-asdf"},
		{"1.0.0", "1.0.1"},
		{">=1.0.0", "0.1.0"},
		{"<=2.0.0", "2.2.9"},
		{"<2.0.0", "2.9999.9999"},
		{"0.1.20 || 1.2.4", "1.2.3"},
		{">=0.2.3 || <0.0.1", "0.2.2"},
		{"2.x.x", "3.1.3"},
		{"1.2.x || 2.x", "1.1.3"},
		{"1.2.* || 2.*", "3.1.3"},
		{"2", "1.1.2"},
		{"2.3", "2.4.1"},
		{"~0.0.1", "0.1.0-alpha"},
		{"~2.4", "2.5.0"},
		{"~>3.2.1", "3.2.0"},
		{"~1.0", "1.1.0"},
		{"<1", "1.0.0"},
		{">=1.2", "1.1.1"},
		{"~v0.5.4-beta", "0.5.4-alpha"},
		{"<0.7.x", "0.7.2"},
		{"<1.2.3", "1.2.3-beta"},
		{"=1.2.3", "1.2.3-beta"},
		{">1.2", "1.2.8"},
		{"^0.0.1", "0.0.2"},
		{"^1.2.3", "2.0.0-alpha"},
		{"^1.2", "1.1.9"},
		{"^1.0.0", "2.0.0-rc1"},
		{"^1.2.3-rc2", "2.0.0"},
		{"1 - 2", "3.0.0-pre"},
		{"1 - 2", "2.0.0-pre"},
		{"1.1.x", "1.1.0-a"},
		{"blerg", "1.2.3"},
		{"*", "not a version"},
		{">=2", "glorp"},
	}
	for _, tc := range include {
		t.Run("include "+tc[0]+" "+tc[1], func(t *testing.T) {
			t.Parallel()
			if !satisfies(tc[1], tc[0]) {
				t.Errorf("satisfies(%q, %q) = false, want true", tc[1], tc[0])
			}
		})
	}
	for _, tc := range exclude {
		t.Run("exclude "+tc[0]+" "+tc[1], func(t *testing.T) {
			t.Parallel()
			if satisfies(tc[1], tc[0]) {
				t.Errorf("satisfies(%q, %q) = true, want false", tc[1], tc[0])
			}
		})
	}
}

// Cases from node-semver test/fixtures/range-parse.js, plus the Python
// spellings setup-python feeds through validRange(…, loose) for
// pyproject.toml.
func TestValidRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what   string
		input  string
		loose  bool
		want   string
		wantOK bool
	}{
		{"hyphen", "1.0.0 - 2.0.0", false, ">=1.0.0 <=2.0.0", true},
		{"hyphen of majors", "1 - 2", false, ">=1.0.0 <3.0.0-0", true},
		{"hyphen of minors", "1.0 - 2.0", false, ">=1.0.0 <2.1.0-0", true},
		{"exact", "1.0.0", false, "1.0.0", true},
		{"any comparator", ">=*", false, "*", true},
		{"empty", "", false, "*", true},
		{"or", "0.1.20 || 1.2.4", false, "0.1.20||1.2.4", true},
		{"lone or", "||", false, "*", true},
		{"x-range", "1.2.x || 2.x", false, ">=1.2.0 <1.3.0-0||>=2.0.0 <3.0.0-0", true},
		{"major", "2", false, ">=2.0.0 <3.0.0-0", true},
		{"minor", "2.3", false, ">=2.3.0 <2.4.0-0", true},
		{"tilde minor", "~2.4", false, ">=2.4.0 <2.5.0-0", true},
		{"tilde arrow", "~>3.2.1", false, ">=3.2.1 <3.3.0-0", true},
		{"caret zero", "^0", false, "<1.0.0-0", true},
		{"caret with space", "^ 1", false, ">=1.0.0 <2.0.0-0", true},
		{"caret 0.0.1", "^0.0.1", false, ">=0.0.1 <0.0.2-0", true},
		{"caret prerelease", "^1.2.3-beta.4", false, ">=1.2.3-beta.4 <2.0.0-0", true},
		{"less than a major", "< 1", false, "<1.0.0-0", true},
		{"greater than a major", ">1", false, ">=2.0.0", true},
		{"greater than a minor", ">1.2", false, ">=1.3.0", true},
		{"greater than X", ">X", false, "<0.0.0-0", true},
		{"all null sets", "<x <* || >* 2.x", false, "<0.0.0-0", true},
		{"any wins", ">x 2.x || * || <x", false, "*", true},
		{"two carets", "^ 1.2 ^ 1", false, ">=1.2.0 <2.0.0-0 >=1.0.0", true},
		{"hyphen partial", "1.2.3 - 3.4", false, ">=1.2.3 <3.5.0-0", true},
		{"gte zero is any", ">=0.0.0", false, "*", true},
		{"invalid", "blerg", false, "", false},
		{"loose leading zeros", ">01.02.03", true, ">1.2.3", true},
		{"loose prerelease without dash", "~1.2.3beta", true, ">=1.2.3-beta <1.3.0-0", true},
		// setup-python getVersionInputFromTomlFile: commas become spaces,
		// then validRange(…, true).
		{"requires-python pair", ">=3.9 <3.13", true, ">=3.9.0 <3.13.0-0", true},
		{"PEP 440 compatible release reads as tilde", "~=3.10", true, ">=3.10.0 <3.11.0-0", true},
		{"PEP 440 wildcard equality", "==3.11.*", true, ">=3.11.0 <3.12.0-0", true},
		{"an exclusion is dropped in loose mode", ">=3.8 !=3.9.1", true, ">=3.8.0", true},
		{"poetry caret", "^3.10", true, ">=3.10.0 <4.0.0-0", true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, ok := validRange(tc.input, tc.loose)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("validRange(%q, %v) = (%q, %v), want (%q, %v)", tc.input, tc.loose, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestCleanAndCoerce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what       string
		input      string
		wantClean  string
		wantCoerce string
	}{
		{"plain", "1.2.3", "1.2.3", "1.2.3"},
		{"v and spaces", "  v1.2.3 ", "1.2.3", "1.2.3"},
		{"equals", "=1.2.3", "1.2.3", "1.2.3"},
		{"prerelease", "1.2.3-rc.1", "1.2.3-rc.1", "1.2.3"},
		{"two parts", "1.21", "", "1.21.0"},
		{"one part", "v20", "", "20.0.0"},
		{"range", "~1.2.3", "", "1.2.3"},
		{"go style", "go1.22rc1", "", "1.22.0"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got, _ := clean(tc.input); got != tc.wantClean {
				t.Errorf("clean(%q) = %q, want %q", tc.input, got, tc.wantClean)
			}
			if got, _ := coerce(tc.input); got != tc.wantCoerce {
				t.Errorf("coerce(%q) = %q, want %q", tc.input, got, tc.wantCoerce)
			}
		})
	}
}

func TestHighestSatisfying(t *testing.T) {
	t.Parallel()
	versions := []string{"3.9.18", "3.11.7", "3.11.2", "3.12.1", "3.13.0-rc.2", "not-a-version"}
	tests := []struct {
		what, spec, want string
	}{
		{"highest overall", "3.x", "3.12.1"},
		{"highest patch of a minor", "3.11", "3.11.7"},
		{"exact", "3.11.2", "3.11.2"},
		{"prerelease only when asked", "~3.13.0-0", "3.13.0-rc.2"},
		{"prerelease not matched by a plain range", ">=3.12", "3.12.1"},
		{"nothing", "3.8", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got := ""
			if i, ok := highestSatisfying(versions, tc.spec); ok {
				got = versions[i]
			}
			if got != tc.want {
				t.Errorf("highestSatisfying(%q) = %q, want %q", tc.spec, got, tc.want)
			}
		})
	}
}

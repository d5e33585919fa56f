package mask

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestMask(t *testing.T) {
	t.Parallel()
	// The masking cases of SecretMaskerL0 (actions/runner
	// src/Test/L0/SecretMaskerL0.cs and its azure-pipelines-agent twin), with
	// today's "***". AddValue is used so encodings do not interfere.
	tests := []struct {
		what    string
		secrets []string
		in      string
		want    string
	}{
		{"L0 HandlesEmptyInput", []string{"abcd"}, "", ""},
		{"L0 HandlesNoMasks", nil, "abcdefg", "abcdefg"},
		{"L0 ReplacesValue", []string{"def"}, "abcdefg", "abc***g"},
		{"L0 ReplacesMultipleInstances", []string{"def"}, "abcdefgdef", "abc***g***"},
		{"L0 ReplacesMultipleAdjacentInstances", []string{"abc"}, "abcabcdef", "***def"},
		{"L0 ReplacesMultipleSecrets", []string{"bcd", "fgh"}, "abcdefghi", "a***e***i"},
		{"L0 ReplacesOverlappingSecrets", []string{"def", "bcd"}, "abcdefg", "a***g"},
		{"L0 ReplacesAdjacentSecrets", []string{"efg", "bcd"}, "abcdefgh", "a***h"},
		{"overlapping occurrences of one secret", []string{"aa"}, "xaaay", "x***y"},
		{"a secret inside a longer one", []string{"secret", "ecr"}, "a secret b", "a *** b"},
		{"case-sensitive", []string{"Token"}, "token TOKEN Token", "token TOKEN ***"},
		{"no minimum length", []string{"e"}, "tree", "tr***"},
		{"unicode", []string{"пароль"}, "мой пароль!", "мой ***!"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			m := New()
			for _, s := range tc.secrets {
				m.AddValue(s)
			}
			if got := m.Mask(tc.in); got != tc.want {
				t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDefaultEncodings(t *testing.T) {
	t.Parallel()
	// actions/runner src/Test/L0/HostContextL0.cs, DefaultSecretMaskers: the
	// encoders HostContext registers.
	m := New()
	for _, s := range []string{"Password123!", `Pass"word"123!`, "Pass word 123!", "Pass<word>123!", "Pass'word'123!", `"Password123!!"`, `"short"`} {
		m.AddValue(s)
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		what, in, want string
	}{
		{"L0 plain", "123Password123!123", "123***123"},
		{"L0 case differs", "password123", "password123"},
		{"L0 JSON escape", `123Pass\"word\"123!123`, "123***123"},
		{"L0 URI escape", "123Pass%20word%20123%21123", "123***123"},
		{"L0 XML escape", "123Pass&lt;word&gt;123!123", "123***123"},
		{"L0 expression escape", "123Pass''word''123!123", "123***123"},
		{"L0 base64 after 1 byte", b64(":Password123!"), "OlBh***"},
		{"L0 base64 after 2 bytes", b64("a:Password123!"), "YTpQ***"},
		{"L0 base64 after 3 bytes", b64("ab:Password123!"), "YWI6***"},
		{"L0 base64 after 4 bytes", b64("abc:Password123!"), "YWJjOlBh***"},
		{"L0 base64 after 5 bytes", b64("abcd:Password123!"), "YWJjZDpQ***"},
		{"L0 base64 after 6 bytes", b64("abcde:Password123!"), "YWJjZGU6***"},
		{"L0 quoted value", "123Password123!!123", "123***123"},
		{"L0 short quoted value is not trimmed", "123short123", "123short123"},
		{"L0 short quoted value itself", `123"short"123`, "123***123"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := m.Mask(tc.in); got != tc.want {
				t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what   string
		secret string
		masked []string // each is masked to exactly "***"
		kept   []string // each is left alone
	}{
		// actions/runner ActionCommandManagerL0.AddMaskWithMultilineValue
		// (the value arrives unescaped: abc\rdef\nghi\r\njkl).
		{"L0 AddMaskWithMultilineValue", "abc\rdef\nghi\r\njkl",
			[]string{"abc", "def", "ghi", "jkl", "abc\rdef\nghi\r\njkl"}, []string{"", " ", "  "}},
		{"L0 white space only registers nothing", " \r  \n   \r\n    \r", nil, []string{" ", "  ", "   ", "    "}},
		// PR #1521 trims each line, so the trimmed form of a padded value is
		// masked too.
		{"padded value and its trimmed line", "  tok3n  ", []string{"  tok3n  ", "tok3n"}, nil},
		{"lines are trimmed", "first line \n\tsecond", []string{"first line", "second"}, []string{"first", "line"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			m := New()
			m.Add(tc.secret)
			for _, s := range tc.masked {
				if got := m.Mask(s); got != Replacement {
					t.Errorf("Mask(%q) = %q, want %q", s, got, Replacement)
				}
			}
			for _, s := range tc.kept {
				if got := m.Mask(s); got != s {
					t.Errorf("Mask(%q) = %q, want it unchanged", s, got)
				}
			}
		})
	}
}

func TestAddSecret(t *testing.T) {
	t.Parallel()
	// Worker.InitializeSecretMasker trims the value before registering it.
	tests := []struct {
		what   string
		secret string
		masked []string
		kept   []string
	}{
		{"trimmed whole value", "  hunter2  \n", []string{"hunter2"}, []string{"hunter"}},
		{"multi-line private key lines", "-----BEGIN KEY-----\r\nMIIEabc\r\n-----END KEY-----\r\n",
			[]string{"-----BEGIN KEY-----", "MIIEabc", "-----END KEY-----", "-----BEGIN KEY-----\r\nMIIEabc\r\n-----END KEY-----"}, nil},
		{"empty secret adds nothing", "   ", nil, []string{"   ", "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			m := New()
			m.AddSecret(tc.secret)
			for _, s := range tc.masked {
				if got := m.Mask(s); got != Replacement {
					t.Errorf("Mask(%q) = %q, want %q", s, got, Replacement)
				}
			}
			for _, s := range tc.kept {
				if got := m.Mask(s); got != s {
					t.Errorf("Mask(%q) = %q, want it unchanged", s, got)
				}
			}
		})
	}
}

func TestAddValueIsIdempotent(t *testing.T) {
	t.Parallel()
	m := New()
	m.AddValue("abc")
	n := len(m.patterns)
	m.AddValue("abc")
	m.AddValue("")
	if len(m.patterns) != n {
		t.Errorf("patterns grew from %d to %d on a repeated or empty value", n, len(m.patterns))
	}
	if got := m.Mask("abc"); got != Replacement {
		t.Errorf("Mask = %q, want %q", got, Replacement)
	}
}

func TestMaskerConcurrentUse(t *testing.T) {
	t.Parallel()
	// ::add-mask:: arrives while other lines are being masked. Run with -race.
	m := New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			m.Add(fmt.Sprintf("secret-%d", i))
		}()
		go func() {
			defer wg.Done()
			for range 100 {
				_ = m.Mask("a line with secret-1 and secret-7 in it")
			}
		}()
	}
	wg.Wait()
	if got, want := m.Mask("secret-1 secret-7"), "*** ***"; got != want {
		t.Errorf("Mask = %q, want %q", got, want)
	}
}

// naiveMask is SecretMasker.MaskSecrets written as the runner writes it: each
// value searched separately, every occurrence advancing by one, then the
// positions sorted and merged.
func naiveMask(patterns []string, s string) string {
	var found []span
	for _, p := range patterns {
		for from := 0; from+len(p) <= len(s); {
			i := strings.Index(s[from:], p)
			if i < 0 {
				break
			}
			found = append(found, span{from + i, from + i + len(p)})
			from += i + 1
		}
	}
	slices.SortStableFunc(found, func(a, b span) int { return a.start - b.start })
	return replaceSpans(s, found)
}

func TestIndexMatchesNaiveSearch(t *testing.T) {
	t.Parallel()
	// A small alphabet makes overlaps, adjacency and shared prefixes common.
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab\nc"[r.IntN(4)]
		}
		return string(b)
	}
	for round := range 300 {
		m := New()
		for range 1 + r.IntN(4) {
			m.AddValue(word(1 + r.IntN(4)))
		}
		for range 20 {
			s := word(r.IntN(30))
			if got, want := m.Mask(s), naiveMask(m.patterns, s); got != want {
				t.Fatalf("round %d: Mask(%q) = %q, naive = %q (patterns %q)", round, s, got, want, m.patterns)
			}
		}
	}
}

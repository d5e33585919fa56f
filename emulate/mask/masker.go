package mask

import (
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Replacement is what a secret becomes in the log.
const Replacement = "***"

// Masker holds the values to mask. It is safe for concurrent use, and values
// may be added while other goroutines mask or write, as ::add-mask:: does in
// the middle of a step.
type Masker struct {
	mu        sync.RWMutex
	originals map[string]bool // values registered with AddValue
	known     map[string]bool // every value and encoding in patterns
	// patterns is replaced, never appended to in place, so Mask can use a
	// snapshot without holding the lock.
	patterns []string
}

// New returns a Masker with no values.
func New() *Masker {
	return &Masker{originals: map[string]bool{}, known: map[string]bool{}}
}

// Add registers a value as ::add-mask:: does (ActionCommandManager.cs,
// AddMaskCommandExtension): the value as given, and each line of it with the
// surrounding white space trimmed, each with its encodings. A multi-line
// secret is then masked even though the log is masked line by line. The
// runner warns about a value that is only white space and registers
// nothing, and Add does the same.
func (m *Masker) Add(secret string) {
	if strings.TrimFunc(secret, unicode.IsSpace) == "" {
		return
	}
	m.AddValue(secret)
	m.addLines(secret)
}

// AddSecret registers the value of a secret from the secrets context as the
// runner does when a job starts (Worker.cs, InitializeSecretMasker): the
// whole value trimmed, and each trimmed line of it, each with its
// encodings.
func (m *Masker) AddSecret(secret string) {
	secret = strings.TrimFunc(secret, unicode.IsSpace)
	m.AddValue(secret)
	m.addLines(secret)
}

// addLines registers each non-empty line, trimmed. Lines end at CR or LF, and
// empty pieces are dropped (Split(new[] { '\r', '\n' },
// RemoveEmptyEntries)). A single-line value is its own only line, so
// " abc " also registers "abc".
func (m *Masker) addLines(s string) {
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }) {
		m.AddValue(strings.TrimFunc(line, unicode.IsSpace))
	}
}

// AddValue registers one value and its encodings without splitting lines
// (SecretMasker.AddValue). An empty value and a value already registered are
// ignored.
func (m *Masker) AddValue(value string) {
	if value == "" {
		return
	}
	m.mu.RLock()
	seen := m.originals[value]
	m.mu.RUnlock()
	if seen {
		return
	}
	// Encode outside the lock, as the runner does. Only the merge below
	// has to be exclusive.
	variations := []string{value}
	for _, enc := range encoders {
		if v := enc(value); v != "" {
			variations = append(variations, v)
		}
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.originals[value] {
		return
	}
	m.originals[value] = true
	patterns := slices.Clone(m.patterns)
	for _, v := range variations {
		if !m.known[v] {
			m.known[v] = true
			patterns = append(patterns, v)
		}
	}
	m.patterns = patterns
}

// Mask replaces every registered value in s with [Replacement]
// (SecretMasker.MaskSecrets). All occurrences of all values are found,
// overlapping ones included. Occurrences that overlap or touch merge into one
// range, and each range becomes one "***". So "abcabc" with the secret "abc"
// becomes "***", not "******".
func (m *Masker) Mask(s string) string {
	if s == "" {
		return s
	}
	m.mu.RLock()
	patterns := m.patterns
	m.mu.RUnlock()

	var found []span
	for _, p := range patterns {
		if len(p) > len(s) {
			continue
		}
		for from := 0; from+len(p) <= len(s); {
			i := strings.Index(s[from:], p)
			if i < 0 {
				break
			}
			found = append(found, span{from + i, from + i + len(p)})
			// The runner advances by one character, not past the match, so
			// overlapping occurrences count too.
			from += i + 1
		}
	}
	if len(found) == 0 {
		return s
	}
	slices.SortFunc(found, func(a, b span) int { return a.start - b.start })

	var b strings.Builder
	b.Grow(len(s))
	last := 0
	cur := found[0]
	for _, f := range found[1:] {
		if f.start <= cur.end {
			cur.end = max(cur.end, f.end)
			continue
		}
		b.WriteString(s[last:cur.start])
		b.WriteString(Replacement)
		last, cur = cur.end, f
	}
	b.WriteString(s[last:cur.start])
	b.WriteString(Replacement)
	b.WriteString(s[cur.end:])
	return b.String()
}

// span is a byte range [start, end) of a secret occurrence.
type span struct{ start, end int }

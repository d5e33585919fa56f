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
	patterns  []string        // the values and encodings, in registration order
	longest   int             // the length of the longest pattern
	// index is rebuilt on every change and never modified afterwards, so
	// Mask can use it without holding the lock.
	index *index
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
			m.longest = max(m.longest, len(v))
		}
	}
	m.patterns = patterns
	m.index = buildIndex(patterns)
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
	idx := m.index
	m.mu.RUnlock()
	if idx == nil {
		return s
	}
	return replaceSpans(s, idx.find(s))
}

// replaceSpans writes s with each merged run of spans replaced. spans must be
// sorted by start.
func replaceSpans(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	cur := spans[0]
	for _, f := range spans[1:] {
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

// index finds every occurrence of every pattern in one pass over a line. A
// bitset of the patterns' first two bytes rules out almost every position
// cheaply. Only at a position whose two bytes start some pattern are that
// bucket's patterns compared. The runner searches each value separately
// (ValueSecret.GetPositions). The spans are the same, but this avoids
// rescanning the line for each of the 11 or so forms of each secret.
type index struct {
	single  [256]bool            // one-byte patterns
	bigrams [1 << 16 / 64]uint64 // first two bytes of the longer patterns
	buckets map[uint16][]string  // longer patterns by their first two bytes
}

func buildIndex(patterns []string) *index {
	idx := &index{buckets: map[uint16][]string{}}
	for _, p := range patterns {
		if len(p) == 1 {
			idx.single[p[0]] = true
			continue
		}
		k := uint16(p[0])<<8 | uint16(p[1])
		idx.bigrams[k>>6] |= 1 << (k & 63)
		idx.buckets[k] = append(idx.buckets[k], p)
	}
	return idx
}

// find returns the spans of all occurrences, overlapping ones included,
// sorted by start.
func (idx *index) find(s string) []span {
	var found []span
	for i := 0; i < len(s); i++ {
		if idx.single[s[i]] {
			found = append(found, span{i, i + 1})
		}
		if i+1 == len(s) {
			break
		}
		k := uint16(s[i])<<8 | uint16(s[i+1])
		if idx.bigrams[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for _, p := range idx.buckets[k] {
			if strings.HasPrefix(s[i:], p) {
				found = append(found, span{i, i + len(p)})
			}
		}
	}
	return found
}

package mask

// Longest returns the length in bytes of the longest registered value or
// encoding: how much of a line must be held back, when a line too long to
// keep whole is written in pieces, so that no occurrence is missed.
func (m *Masker) Longest() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.longest
}

// MaskPiece masks s[:n], the head of a line that is written before the line
// ends because it is too long to hold: s[n:] and more text still follow.
// Every occurrence that begins before n must lie wholly within s, which
// holds when n <= len(s)-Longest()+1, or when s is the end of the line.
//
// head is how many leading bytes of s are still covered by an occurrence
// that began in the previous piece. MaskPiece returns the masked piece and
// how many bytes of s[n:] an occurrence begun in this piece still covers,
// the head of the next call. So an occurrence cut by a piece boundary is
// masked on both sides, and none is missed: one that begins at n or later
// is found in the next call, which gets s[n:] again.
func (m *Masker) MaskPiece(s string, n, head int) (string, int) {
	m.mu.RLock()
	idx := m.index
	m.mu.RUnlock()
	var spans []span
	if head > 0 {
		spans = append(spans, span{0, min(head, len(s))})
	}
	if idx != nil {
		spans = append(spans, idx.find(s)...)
	}
	next := 0
	if head > n {
		next = head - n
	}
	clipped := spans[:0]
	for _, sp := range spans {
		if sp.start >= n {
			continue
		}
		if sp.end > n {
			next = max(next, sp.end-n)
			sp.end = n
		}
		clipped = append(clipped, sp)
	}
	return replaceSpans(s[:n], clipped), next
}

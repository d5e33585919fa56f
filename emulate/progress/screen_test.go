package progress

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// screen is a tiny terminal for tests: it understands what the TTY view
// writes (text, \r, \n as the tty driver's \r\n, cursor up, erase to end of
// line and of screen) and ignores colors and cursor visibility, so a test
// can check what a person would see rather than the bytes.
type screen struct {
	rows     [][]rune
	row, col int
}

var csi = regexp.MustCompile(`^\x1b\[(\??)([0-9;]*)([A-Za-z])`)

// render feeds out to a new screen and returns its rows, without trailing
// blanks or trailing empty rows.
func render(t *testing.T, out string) []string {
	t.Helper()
	s := &screen{}
	for len(out) > 0 {
		if out[0] == 0x1b {
			m := csi.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("unknown escape sequence at %q", out[:min(len(out), 10)])
			}
			s.control(t, m[1]+m[3], m[2])
			out = out[len(m[0]):]
			continue
		}
		i := strings.IndexByte(out, 0x1b)
		if i < 0 {
			i = len(out)
		}
		for _, c := range out[:i] {
			s.put(c)
		}
		out = out[i:]
	}
	var rows []string
	for _, r := range s.rows {
		rows = append(rows, strings.TrimRight(string(r), " "))
	}
	for len(rows) > 0 && rows[len(rows)-1] == "" {
		rows = rows[:len(rows)-1]
	}
	return rows
}

func (s *screen) put(c rune) {
	switch c {
	case '\r':
		s.col = 0
	case '\n':
		s.row, s.col = s.row+1, 0
	default:
		for len(s.rows) <= s.row {
			s.rows = append(s.rows, nil)
		}
		for len(s.rows[s.row]) <= s.col {
			s.rows[s.row] = append(s.rows[s.row], ' ')
		}
		s.rows[s.row][s.col] = c
		s.col++
	}
}

func (s *screen) control(t *testing.T, cmd, arg string) {
	t.Helper()
	switch cmd {
	case "m", "?l", "?h": // colors, cursor visibility
	case "A":
		n, err := strconv.Atoi(arg)
		if err != nil {
			t.Fatalf("cursor up without a count: %q", arg)
		}
		s.row = max(s.row-n, 0)
	case "K":
		if s.row < len(s.rows) && s.col < len(s.rows[s.row]) {
			s.rows[s.row] = s.rows[s.row][:s.col]
		}
	case "J":
		s.control(t, "K", "")
		if s.row+1 < len(s.rows) {
			s.rows = s.rows[:s.row+1]
		}
	default:
		t.Fatalf("unexpected escape sequence %q %q", arg, cmd)
	}
}

// syncBuffer is a bytes.Buffer that a test may read while the display
// goroutine writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

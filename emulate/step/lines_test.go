package step

import (
	"bufio"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func TestScanLines(t *testing.T) {
	t.Parallel()
	// StreamReader.ReadLine: LF, CR and CRLF end a line; a last line without
	// a break still counts; an empty input has no lines.
	tests := []struct {
		what, in string
		want     []string
	}{
		{"empty", "", nil},
		{"LF", "a\nb\n", []string{"a", "b"}},
		{"no final break", "a\nb", []string{"a", "b"}},
		{"CRLF is one break", "a\r\nb\r\n", []string{"a", "b"}},
		{"bare CR ends a line (progress bars)", "10%\r50%\r100%\n", []string{"10%", "50%", "100%"}},
		{"LF CR is two breaks", "a\n\rb", []string{"a", "", "b"}},
		{"empty lines", "\n\n", []string{"", ""}},
		{"trailing CR", "a\r", []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			// OneByteReader makes a CR arrive without the LF after it.
			for _, mode := range []string{"whole", "byte by byte"} {
				var s *bufio.Scanner
				if mode == "whole" {
					s = bufio.NewScanner(strings.NewReader(tc.in))
				} else {
					s = bufio.NewScanner(iotest.OneByteReader(strings.NewReader(tc.in)))
				}
				s.Split(ScanLines)
				var got []string
				for s.Scan() {
					got = append(got, s.Text())
				}
				if err := s.Err(); err != nil {
					t.Fatalf("%s: scan error: %v", mode, err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("%s: lines mismatch (-want +got):\n%s", mode, diff)
				}
			}
		})
	}
}

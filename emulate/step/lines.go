package step

import "bytes"

// ScanLines is a bufio.SplitFunc that splits process output into lines as the
// runner's ProcessInvoker does with StreamReader.ReadLine: a line ends at LF,
// CR or CRLF, and the break is not part of the line. A final line without a
// break is returned at EOF. So a progress bar that redraws with a bare CR
// gives one line per redraw, as on GitHub.
//
// A CR at the end of the buffered data makes the scanner read on to see
// whether an LF follows. Use it with a bufio.Scanner whose Buffer allows the
// longest line expected, because the runner itself has no line length limit.
func ScanLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		if data[i] == '\n' {
			return i + 1, data[:i], nil
		}
		if i+1 < len(data) {
			if data[i+1] == '\n' {
				return i + 2, data[:i], nil
			}
			return i + 1, data[:i], nil
		}
		if atEOF {
			return i + 1, data[:i], nil
		}
		return 0, nil, nil // a CR at the end of the data: an LF may follow
	}
	if atEOF {
		return len(data), data, nil
	}
	return 0, nil, nil
}

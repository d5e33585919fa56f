package step

import (
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeText turns a file command file into text as .NET's File.ReadAllText
// and File.ReadAllLines do. A byte order mark selects UTF-8, UTF-16 or UTF-32
// and is removed. Without one the bytes are UTF-8. This matters because
// Windows PowerShell 5's `Out-File` and `>>` write UTF-16 with a BOM. Invalid
// sequences become U+FFFD, one for each maximal invalid subpart, which is
// what .NET's decoders emit (StreamReader.DetectEncoding and
// UTF8Encoding's replacement fallback).
func decodeText(data []byte) string {
	switch {
	case len(data) >= 4 && data[0] == 0xFF && data[1] == 0xFE && data[2] == 0 && data[3] == 0:
		return decodeUTF32(data[4:], binary.LittleEndian)
	case len(data) >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0xFE && data[3] == 0xFF:
		return decodeUTF32(data[4:], binary.BigEndian)
	case len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF:
		return decodeUTF8(data[3:])
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		return decodeUTF16(data[2:], binary.LittleEndian)
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		return decodeUTF16(data[2:], binary.BigEndian)
	}
	return decodeUTF8(data)
}

func decodeUTF16(data []byte, order binary.ByteOrder) string {
	units := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	s := string(utf16.Decode(units)) // unpaired surrogates become U+FFFD
	if len(data)%2 != 0 {
		s += string(utf8.RuneError)
	}
	return s
}

func decodeUTF32(data []byte, order binary.ByteOrder) string {
	var b strings.Builder
	for i := 0; i+3 < len(data); i += 4 {
		r := rune(order.Uint32(data[i:]))
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	if len(data)%4 != 0 {
		b.WriteRune(utf8.RuneError)
	}
	return b.String()
}

// decodeUTF8 replaces each maximal subpart of an ill-formed sequence with
// one U+FFFD (Unicode 15, section 3.9, "U+FFFD Substitution of Maximal
// Subparts"). Go's own conversions emit one U+FFFD per byte instead.
func decodeUTF8(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r != utf8.RuneError || size > 1 {
			b.Write(data[:size])
			data = data[size:]
			continue
		}
		b.WriteRune(utf8.RuneError)
		data = data[maximalSubpart(data):]
	}
	return b.String()
}

// maximalSubpart returns how many bytes at the start of data form the
// longest prefix of a well-formed sequence, or 1 if the first byte cannot
// start one. data starts with an ill-formed sequence.
func maximalSubpart(data []byte) int {
	lead := data[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF) // the range of the second byte
	switch {
	case lead >= 0xC2 && lead <= 0xDF:
		need = 1
	case lead == 0xE0:
		need, lo = 2, 0xA0
	case lead == 0xED:
		need, hi = 2, 0x9F
	case lead >= 0xE1 && lead <= 0xEF:
		need = 2
	case lead == 0xF0:
		need, lo = 3, 0x90
	case lead == 0xF4:
		need, hi = 3, 0x8F
	case lead >= 0xF1 && lead <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(data); k++ {
		c := data[n]
		if k == 0 && (c < lo || c > hi) {
			break
		}
		if k > 0 && (c < 0x80 || c > 0xBF) {
			break
		}
		n++
	}
	return n
}

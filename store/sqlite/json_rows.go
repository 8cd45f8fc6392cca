package sqlite

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// jsonRows builds a JSON array of rows (arrays of scalars), bound as one parameter and unpacked by
// json_each in SQL: one short statement inserts any number of rows. (modernc.org/sqlite prepares
// every statement again on each execution, so the number of statements is what costs.)
type jsonRows struct {
	buf  []byte
	n    int  // rows ended
	open bool // a row is open
}

func (j *jsonRows) sep() {
	switch {
	case j.open:
		j.buf = append(j.buf, ',')
	case j.n == 0:
		j.buf = append(j.buf, '[', '[')
		j.open = true
	default:
		j.buf = append(j.buf, ',', '[')
		j.open = true
	}
}

func (j *jsonRows) int(v int64) *jsonRows {
	j.sep()
	j.buf = strconv.AppendInt(j.buf, v, 10)
	return j
}

func (j *jsonRows) float(v float64) *jsonRows {
	j.sep()
	if math.IsNaN(v) || math.IsInf(v, 0) {
		j.buf = append(j.buf, "null"...) // rejected by the NOT NULL column
		return j
	}
	j.buf = strconv.AppendFloat(j.buf, v, 'g', -1, 64)
	return j
}

func (j *jsonRows) str(s string) *jsonRows {
	j.sep()
	j.buf = appendJSONString(j.buf, s)
	return j
}

// end closes the current row.
func (j *jsonRows) end() {
	j.buf = append(j.buf, ']')
	j.open = false
	j.n++
}

// String returns the JSON array ("[]" when empty).
func (j *jsonRows) String() string {
	if j.n == 0 {
		return "[]"
	}
	return string(j.buf) + "]"
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return append(b, '"')
}

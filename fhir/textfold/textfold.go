// Package textfold normalises text for accent- and case-insensitive search: "Saint-Étienne" and
// "saint etienne" fold to the same string. The search layer folds both the values it indexes and
// the values clients search for, so the two always agree.
//
// This package must not import any other package of the project.
package textfold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s lower-cased, without diacritics (é → e, œ → oe, ß → ss), with hyphens,
// apostrophes and underscores read as spaces, runs of white space collapsed to one space and no
// leading or trailing space.
func Fold(s string) string {
	if isPlainASCII(s) {
		return foldASCII(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // at start: drop leading spaces
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case isSeparator(r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		space = false
		switch r {
		case 'œ', 'Œ':
			b.WriteString("oe")
		case 'æ', 'Æ':
			b.WriteString("ae")
		case 'ß', 'ẞ':
			b.WriteString("ss")
		case 'ø', 'Ø':
			b.WriteByte('o')
		case 'đ', 'Đ':
			b.WriteByte('d')
		case 'ł', 'Ł':
			b.WriteByte('l')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

func isSeparator(r rune) bool {
	switch r {
	case '-', '\'', '_', '\u2019', '\u2018', '\u2010', '\u2011', '\u2013', '\u2014', '`':
		return true
	}
	return unicode.IsSpace(r)
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '-' || c == '\'' || c == '_' || c == '`':
			if !space {
				b = append(b, ' ')
				space = true
			}
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		space = false
		b = append(b, c)
	}
	if n := len(b); n > 0 && b[n-1] == ' ' {
		b = b[:n-1]
	}
	return string(b)
}

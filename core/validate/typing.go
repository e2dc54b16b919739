package validate

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// What people type or paste in place of plain ASCII: the full-width forms of
// East Asian input methods, and the dashes and spaces of documents.

// narrow returns the ASCII character a full-width form stands for: the
// digits (U+FF10–U+FF19), letters (U+FF21–U+FF3A, U+FF41–U+FF5A),
// hyphen-minus (U+FF0D) and plus (U+FF0B) of East Asian input methods, and
// the ideographic space (U+3000). Any other rune is returned unchanged.
func narrow(r rune) rune {
	switch {
	case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '－', r == '＋':
		return r - ('０' - '0')
	case r == '\u3000':
		return ' '
	}
	return r
}

// dash reports whether r is a hyphen or one of the dashes a document puts
// in its place (U+2010–U+2015, and the minus sign U+2212).
func dash(r rune) bool {
	return r == '-' || r >= '\u2010' && r <= '\u2015' || r == '\u2212'
}

// character names a character for the person who must find it and remove
// it: quoted when it can be seen, with its code point too when it is not
// ASCII (a letter of another alphabet can look just like ours), and by its
// code point alone when it cannot be seen.
func character(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "character that cannot be read, which may have come with a paste"
	case r < utf8.RuneSelf && strconv.IsPrint(r) && r != ' ':
		return "'" + string(r) + "'"
	case strconv.IsPrint(r) && r != ' ' && !unicode.In(r, unicode.M):
		return fmt.Sprintf("'%c' (character U+%04X)", r, r)
	}
	return fmt.Sprintf("invisible character U+%04X, which may have come with a paste", r)
}

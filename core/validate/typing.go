package validate

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// What people type or paste in place of plain ASCII: the dashes of
// documents, and characters that have no place in an identifier.

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

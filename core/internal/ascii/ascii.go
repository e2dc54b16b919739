// Package ascii reads the runs of ASCII digits that Spine's codes, dates,
// NHS numbers and numbers sent as strings are made of, with no locale, sign
// or space rules and no allocation; and [Narrow] turns the full-width forms
// people type into the ASCII that identifiers are made of.
package ascii

// MaxDigits is the longest run Atoi reads: nine digits always fit an int,
// on every platform, and every number Spine sends is shorter.
const MaxDigits = 9

// Digits reports whether s is one or more of the ASCII digits 0 to 9, and
// nothing else.
func Digits[S ~string | ~[]byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// Atoi returns the value of s, one to [MaxDigits] ASCII digits with no sign
// or spaces, or -1 when s is anything else.
func Atoi[S ~string | ~[]byte](s S) int {
	if len(s) == 0 || len(s) > MaxDigits {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// Narrow returns the ASCII character a full-width form stands for: the
// digits (U+FF10–U+FF19), letters (U+FF21–U+FF3A, U+FF41–U+FF5A),
// hyphen-minus (U+FF0D) and plus (U+FF0B) that East Asian input methods
// type, and the ideographic space (U+3000). Any other rune is returned
// unchanged.
func Narrow(r rune) rune {
	switch {
	case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '－', r == '＋':
		return r - ('０' - '0')
	case r == '\u3000':
		return ' '
	}
	return r
}

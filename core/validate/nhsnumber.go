package validate

import (
	"strings"
	"unicode"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
)

// NormalizeNHSNumber removes the spaces, hyphens, dashes and line breaks
// people type or paste around an NHS number ("943 476 5919" → "9434765919"),
// and turns the full-width digits of East Asian input methods into ASCII
// ("９４３４７６５９１９" → "9434765919"). It does not check the result.
func NormalizeNHSNumber(s string) string {
	return strings.Map(func(r rune) rune {
		if r = ascii.Narrow(r); unicode.IsSpace(r) || dash(r) {
			return -1
		}
		return r
	}, s)
}

// NHSCheckDigit computes the modulus 11 check digit of the first nine digits
// of an NHS number. ok is false when first9 is not nine digits, or when its
// check value is 10: no NHS number starts with those nine digits.
func NHSCheckDigit(first9 string) (digit int, ok bool) {
	if len(first9) != 9 || !ascii.Digits(first9) {
		return 0, false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(first9[i]-'0') * (10 - i)
	}
	switch check := 11 - sum%11; check {
	case 11:
		return 0, true
	case 10:
		return 0, false
	default:
		return check, true
	}
}

// ValidNHSNumber reports whether s, already normalised, is ten digits whose
// last is the modulus 11 check digit of the first nine.
func ValidNHSNumber(s string) bool {
	if len(s) != 10 || !ascii.Digits(s) {
		return false
	}
	d, ok := NHSCheckDigit(s[:9])
	return ok && d == int(s[9]-'0')
}

// LooksLikeNHSNumber reports whether s, as typed, is ten digits once its
// spaces and hyphens are dropped: an NHS number, typed where something else
// belongs.
func LooksLikeNHSNumber(s string) bool {
	s = NormalizeNHSNumber(s)
	return len(s) == 10 && ascii.Digits(s)
}

// oneDigit reports whether s is one digit repeated. Each of the ten NHS
// numbers of one digit passes the check digit, yet none is ever issued.
func oneDigit(s string) bool {
	return s != "" && strings.Count(s, s[:1]) == len(s)
}

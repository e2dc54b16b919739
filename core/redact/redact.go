// Package redact masks patient identifiers before they reach an error string,
// a log line or any other text that may leave the screen it was typed on.
//
// EPS Tracker never writes an NHS number or a prescription id in clear outside
// the data a person asked to see. Everything that formats an error about an
// identifier calls this package first.
package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
)

// hidden stands for a value masked whole. It is always the same, so it tells
// nothing of the value, not even its length.
const hidden = "**********"

// NHSNumber masks an NHS number, keeping only its last four digits so a
// person can still tell which of the numbers they typed a message is about:
// "9434765919" becomes "*** *** 5919". Spaces and hyphens are ignored, and
// full-width digits read as ASCII. Anything that does not end in four ASCII
// digits after more (a name, a number of four digits or fewer, a number with
// a letter at its end) is masked whole, as "**********"; "" stays "".
func NHSNumber(s string) string {
	r := []rune(strings.Map(dropSeparators, s))
	switch n := len(r); {
	case n == 0:
		return ""
	case n > 4 && ascii.Digits(string(r[n-4:])):
		return "*** *** " + string(r[n-4:])
	}
	return hidden
}

// PrescriptionID masks a prescription id, keeping its last three characters
// (the check character and the two before it): "C0C757-A83008-C2D93O" becomes
// "******-******-***93O". Hyphens stay where they were, so the shape of the id
// is still visible; full-width characters read as ASCII. Only a value that
// looks like an id keeps anything: more than four letters, digits and +, one
// of them at least a digit, with hyphens and nothing else between them. Any
// other value (a name, an id with a space or a slash in it) is masked whole,
// as "**********"; "" stays "".
func PrescriptionID(s string) string {
	r := []rune(strings.Map(ascii.Narrow, strings.TrimSpace(s)))
	switch {
	case len(r) == 0:
		return ""
	case !looksLikeID(r):
		return hidden
	}
	keep := 3
	for i := len(r) - 1; i >= 0; i-- {
		switch {
		case r[i] == '-':
		case keep > 0:
			keep--
		default:
			r[i] = '*'
		}
	}
	return string(r)
}

// looksLikeID reports whether r is more than four letters, digits and +,
// at least one a digit, with hyphens and nothing else between them. A name
// never is: it has no digit, or has a space.
func looksLikeID(r []rune) bool {
	n, digit := 0, false
	for _, c := range r {
		switch {
		case c == '-':
			continue
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '+':
		default:
			return false
		}
		n++
	}
	return digit && n > 4
}

// Argument masks something typed that may be an NHS number, a prescription
// id or neither, before it is quoted back, as in "unknown command": digits
// (of any script) with spaces or hyphens are masked as an NHS number;
// anything else holding a digit, or as long as a short id, as a
// prescription id; a single word, such as a misspelt command, is left as it
// is; several words, which may be a name, are masked whole. Bytes that are
// not UTF-8 become U+FFFD, so the result is always text.
func Argument(s string) string {
	bare := strings.Map(dropSeparators, s)
	switch {
	case bare != "" && strings.IndexFunc(bare, func(r rune) bool { return !unicode.IsDigit(r) }) < 0:
		return NHSNumber(s)
	case strings.IndexFunc(s, unicode.IsDigit) >= 0 || utf8.RuneCountInString(bare) >= 18:
		return PrescriptionID(s)
	case strings.ContainsFunc(strings.TrimSpace(s), unicode.IsSpace):
		return hidden
	}
	return strings.ToValidUTF8(s, string(utf8.RuneError))
}

// dropSeparators reads a full-width character as ASCII and drops the spaces
// and hyphens people put between groups of digits.
func dropSeparators(r rune) rune {
	switch r = ascii.Narrow(r); r {
	case ' ', '-', '\t', '\r', '\n':
		return -1
	}
	return r
}

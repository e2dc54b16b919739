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
)

// NHSNumber masks an NHS number, keeping only its last four characters so a
// person can still tell which of the numbers they typed a message is about:
// "9434765919" becomes "*** *** 5919". Spaces and hyphens are ignored; input
// of four characters or fewer is masked whole.
func NHSNumber(s string) string {
	r := []rune(strings.Map(dropSeparators, s))
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return "*** *** " + string(r[len(r)-4:])
}

// PrescriptionID masks a prescription id, keeping its last three characters
// (the check character and the two before it): "C0C757-A83008-C2D93O" becomes
// "******-******-***93O". Hyphens stay where they were, so the shape of the id
// is still visible. Input of four characters or fewer is masked whole.
func PrescriptionID(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
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

// Argument masks something typed that may be an NHS number, a prescription
// id or neither, before it is quoted back, as in "unknown command": digits
// (of any script) with spaces or hyphens are masked as an NHS number;
// anything else holding a digit, or as long as a short id, as a
// prescription id; a word such as a misspelt command is left as it is.
// Bytes that are not UTF-8 become U+FFFD, so the result is always text.
func Argument(s string) string {
	bare := strings.Map(dropSeparators, s)
	switch {
	case bare != "" && strings.IndexFunc(bare, func(r rune) bool { return !unicode.IsDigit(r) }) < 0:
		return NHSNumber(s)
	case strings.IndexFunc(s, unicode.IsDigit) >= 0 || utf8.RuneCountInString(bare) >= 18:
		return PrescriptionID(s)
	}
	return strings.ToValidUTF8(s, string(utf8.RuneError))
}

func dropSeparators(r rune) rune {
	switch r {
	case ' ', '-', '\t', '\r', '\n':
		return -1
	}
	return r
}

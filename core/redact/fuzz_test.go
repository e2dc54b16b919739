package redact

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzMasks checks, for any input, that every mask is valid UTF-8 and shows
// nothing but what makes it useful: an NHS number's mask is hidden or keeps
// four ASCII digits, an id's keeps the last three of letters, digits and +
// in a value of nothing else, and a value masked whole says nothing of its
// length.
func FuzzMasks(f *testing.F) {
	for _, s := range []string{"9993142751", "999 314-2751", "John Smith", "John Smith 9993142751", "Smith2", "７Ｆ３Ａ２１－Ｚ９１０４５－４Ｂ２Ｃ０Ｖ",
		"7F3A21-Z91045-4B2C0V", "1A4F6C2E-9B3D-4E70-8C15-2D6A9F0B3E47H", "Mary-Jane", "AB1DE", "serach", "\xff\xfe\xfd", "９\xff９", "abc\xe2\x82",
		"\xc0\xaf123456789", "٩٩٩٣١٤٢٧٥١", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, mask := range map[string]func(string) string{"NHSNumber": NHSNumber, "PrescriptionID": PrescriptionID, "Argument": Argument} {
			if got := mask(s); !utf8.ValidString(got) {
				t.Fatalf("%s(%q) = %q is not valid UTF-8", name, s, got)
			}
		}
		if got := NHSNumber(s); got != "" && got != hidden && !nhsMask(got) {
			t.Fatalf("NHSNumber(%q) = %q shows more than four digits", s, got)
		}
		if got := PrescriptionID(s); got != "" && got != hidden {
			shown := strings.Map(func(r rune) rune {
				if r == '*' || r == '-' {
					return -1
				}
				return r
			}, got)
			if len(shown) != 3 || strings.Trim(shown, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+") != "" ||
				strings.IndexAny(got, "0123456789") < 0 && strings.IndexAny(s, "0123456789０１２３４５６７８９") < 0 {
				t.Fatalf("PrescriptionID(%q) = %q shows more than the end of an id", s, got)
			}
		}
		if got := Argument(s); strings.ContainsFunc(strings.TrimSpace(s), unicode.IsSpace) && got != hidden && !nhsMask(got) {
			t.Fatalf("Argument(%q) = %q shows words", s, got)
		}
	})
}

// nhsMask reports whether s is the mask of an NHS number that keeps its
// last four digits.
func nhsMask(s string) bool {
	return len(s) == 12 && strings.HasPrefix(s, "*** *** ") && strings.Trim(s[8:], "0123456789") == ""
}

package redact

import (
	"testing"
	"unicode/utf8"
)

func TestNHSNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"ten digits", "9993142751", "*** *** 2751"},
		{"spaced", "999 314 2751", "*** *** 2751"},
		{"hyphenated", "999-314-2751", "*** *** 2751"},
		{"too few digits", "99931", "*** *** 9931"},
		{"four digits or fewer", "1234", hidden},
		{"nothing", "", ""},
		{"a stray letter first", "é9993142751", "*** *** 2751"},
		{"full-width digits", "９９９３１４２７５１", "*** *** 2751"},
		{"ideographic spaces", "９９９\u3000３１４\u3000２７５１", "*** *** 2751"},
		{"a name and a number", "John Smith 9993142751", "*** *** 2751"},
		{"a name", "John Smith", hidden},
		{"one name", "Smith", hidden},
		{"a name that ends in a digit", "Smith2", hidden},
		{"a letter O for a zero", "999314275O", hidden},
		{"digits of another script", "٩٩٩٣١٤٢٧٥١", hidden},
		{"bytes that are not UTF-8", "9993142751\xff", hidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NHSNumber(tt.in); got != tt.want {
				t.Errorf("NHSNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPrescriptionID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"a short id", "7F3A21-Z91045-4B2C0V", "******-******-***C0V"},
		{"a long id", "1A4F6C2E-9B3D-4E70-8C15-2D6A9F0B3E47H", "********-****-****-****-**********47H"},
		{"an id with +", "7F3A21-Z91045-4B2C0+", "******-******-***C0+"},
		{"no hyphens, white space around", " 7F3A21Z910454B2C0V\n", "***************C0V"},
		{"lower case", "7f3a21-z91045-4b2c0v", "******-******-***c0v"},
		{"full-width", "７Ｆ３Ａ２１－Ｚ９１０４５－４Ｂ２Ｃ０Ｖ", "******-******-***C0V"},
		{"five characters", "AB1DE", "**1DE"},
		{"four characters or fewer", "AB1D", hidden},
		{"nothing", "", ""},
		{"white space only", " \n", ""},
		{"a name", "John Smith", hidden},
		{"one name", "Smith", hidden},
		{"a double-barrelled name", "Mary-Jane", hidden},
		{"letters and hyphens but no digit", "ABCDEF-ABCDEF-ABCDEF", hidden},
		{"an accented name", "ééééé", hidden},
		{"an id with a slash", "7F3A21/Z91045/4B2C0V", hidden},
		{"an id with spaces inside", "7F3A21 Z91045 4B2C0V", hidden},
		{"an id with a Cyrillic letter", "7F3A21-Z91045-4B2C0\u0412", hidden},
		{"bytes that are not UTF-8", "7F3A21-Z91045-4B2C0\xff", hidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PrescriptionID(tt.in); got != tt.want {
				t.Errorf("PrescriptionID(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestArgument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"an NHS number", "9993142751", "*** *** 2751"},
		{"an NHS number with hyphens", "999-314-2751", "*** *** 2751"},
		{"an NHS number in full-width digits", "９９９３１４２７５１", "*** *** 2751"},
		{"an NHS number in digits of another script", "٩٩٩٣١٤٢٧٥١", hidden},
		{"a prescription id", "7F3A21-Z91045-4B2C0V", "******-******-***C0V"},
		{"a long id", "1A4F6C2E-9B3D-4E70-8C15-2D6A9F0B3E47H", "********-****-****-****-**********47H"},
		{"an id with no digit", "ABCDEF-ABCDEF-ABCDEF", hidden},
		{"a word", "serach", "serach"},
		{"a word with a digit", "search2", "****ch2"},
		{"a name", "John Smith", hidden},
		{"a name and a number", "John Smith 9993142751", hidden},
		{"bytes that are not UTF-8", "\xff\xfe9993142751", hidden},
		{"a word that is not UTF-8", "ab\xffc", "ab\uFFFDc"},
		{"nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Argument(tt.in)
			if got != tt.want {
				t.Errorf("Argument(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Argument(%q) = %q is not valid UTF-8", tt.in, got)
			}
		})
	}
}

package redact

import (
	"testing"
	"unicode/utf8"
)

func TestNHSNumber(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"9434765919":   "*** *** 5919",
		"943 476 5919": "*** *** 5919",
		"943-476-5919": "*** *** 5919",
		"94347":        "*** *** 4347",
		"1234":         "****",
		"":             "",
		"é9434765919":  "*** *** 5919",
	}
	for in, want := range tests {
		if got := NHSNumber(in); got != want {
			t.Errorf("NHSNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrescriptionID(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"C0C757-A83008-C2D93O":                  "******-******-***93O",
		"D2A080EE-475C-11E6-A68F-08002732570CN": "********-****-****-****-**********0CN",
		" C0C757A83008C2D93O\n":                 "***************93O",
		"ABCD":                                  "****",
		"ABCDE":                                 "**CDE",
		"ééééé":                                 "**ééé",
	}
	for in, want := range tests {
		if got := PrescriptionID(in); got != want {
			t.Errorf("PrescriptionID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArgument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"an NHS number", "9434765919", "*** *** 5919"},
		{"an NHS number with hyphens", "943-476-5919", "*** *** 5919"},
		{"an NHS number in full-width digits", "９４３４７６５９１９", "*** *** ５９１９"},
		{"a prescription id", "C0C757-A83008-C2D93O", "******-******-***93O"},
		{"a long id", "D2A080EE-475C-11E6-A68F-08002732570CN", "********-****-****-****-**********0CN"},
		{"an id with no digit", "ABCDEF-ABCDEF-ABCDEF", "******-******-***DEF"},
		{"a word", "serach", "serach"},
		{"a word with a digit", "search2", "****ch2"},
		{"bytes that are not UTF-8", "\xff\xfe9434765919", "*********919"},
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

// TestMasksAreValidUTF8: whatever was typed, a mask is text that can be
// printed.
func TestMasksAreValidUTF8(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"\xff\xfe\xfd\xfc\xfb", "９\xff９", "abc\xe2\x82", "\xc0\xaf123456789"} {
		for name, mask := range map[string]func(string) string{"NHSNumber": NHSNumber, "PrescriptionID": PrescriptionID, "Argument": Argument} {
			if got := mask(in); !utf8.ValidString(got) {
				t.Errorf("%s(%q) = %q is not valid UTF-8", name, in, got)
			}
		}
	}
}

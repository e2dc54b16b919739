package validate

import "testing"

func TestValidNHSNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"9434765919", true},  // published example
		{"1000070000", false}, // check value 10: no valid number starts 100007000
		{"7994647953", false}, // wrong check digit
		{"9434765918", false},
		{"9990000018", true},
		{"4010232137", true},
		{"943476591", false},
		{"94347659190", false},
		{"943476591a", false},
		{"", false},
		{"943 476 5919", false}, // not normalised
	}
	for _, tt := range tests {
		if got := ValidNHSNumber(tt.in); got != tt.want {
			t.Errorf("ValidNHSNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNHSCheckDigit(t *testing.T) {
	t.Parallel()
	if d, ok := NHSCheckDigit("943476591"); !ok || d != 9 {
		t.Errorf("NHSCheckDigit(943476591) = %d, %v", d, ok)
	}
	if _, ok := NHSCheckDigit("100007000"); ok {
		t.Error("check value 10 accepted")
	}
	// 11 - (sum mod 11) = 11 means a check digit of 0.
	if d, ok := NHSCheckDigit("000000000"); !ok || d != 0 {
		t.Errorf("NHSCheckDigit(000000000) = %d, %v", d, ok)
	}
}

func TestNormalizeNHSNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"spaces", "943 476 5919", "9434765919"},
		{"hyphens", "943-476-5919", "9434765919"},
		{"a line break", " 9434765919\n", "9434765919"},
		{"no-break spaces", "943\u00a0476\u00a05919", "9434765919"},
		{"spaced hyphens", "943 - 476 - 5919\r\n", "9434765919"},
		{"full-width digits", "９９９３１４２７５１", "9993142751"},
		{"full-width hyphens", "９９９－３１４－２７５１", "9993142751"},
		{"ideographic spaces", "９９９\u3000３１４\u3000２７５１", "9993142751"},
		{"full-width and ASCII mixed", "999３１４２７５1", "9993142751"},
		{"en dashes from a document", "999–314–2751", "9993142751"},
		{"thin spaces", "999\u2009314\u20092751", "9993142751"},
		{"a full-width letter is made ASCII, to be refused", "999314275Ｏ", "999314275O"},
		{"another script's digits stay, to be refused", "٩٩٩٣١٤٢٧٥١", "٩٩٩٣١٤٢٧٥١"},
		{"a zero-width space stays, to be refused", "999\u200b3142751", "999\u200b3142751"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NormalizeNHSNumber(tt.in); got != tt.want {
				t.Errorf("NormalizeNHSNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLooksLikeNHSNumber(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"9434765919":             true,
		"943 476 5919":           true,
		"943-476-5919":           true,
		"9434765918":             true, // ten digits, whatever their check digit
		"943476591":              false,
		"94347659190":            false,
		"C0C757-A83008-C2D93O":   false,
		"943476591O":             false,
		"９９９３１４２７５１":             true, // typed with an East Asian input method
		"999\u3000314\u30002751": true,
		"":                       false,
	}
	for in, want := range tests {
		if got := LooksLikeNHSNumber(in); got != want {
			t.Errorf("LooksLikeNHSNumber(%q) = %v, want %v", in, got, want)
		}
	}
}

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
	for _, in := range []string{"943 476 5919", "943-476-5919", " 9434765919\n", "943\u00a0476\u00a05919", "943 - 476 - 5919\r\n"} {
		if got := NormalizeNHSNumber(in); got != "9434765919" {
			t.Errorf("NormalizeNHSNumber(%q) = %q", in, got)
		}
	}
}

func TestLooksLikeNHSNumber(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"9434765919":           true,
		"943 476 5919":         true,
		"943-476-5919":         true,
		"9434765918":           true, // ten digits, whatever their check digit
		"943476591":            false,
		"94347659190":          false,
		"C0C757-A83008-C2D93O": false,
		"943476591O":           false,
		"":                     false,
	}
	for in, want := range tests {
		if got := LooksLikeNHSNumber(in); got != want {
			t.Errorf("LooksLikeNHSNumber(%q) = %v, want %v", in, got, want)
		}
	}
}

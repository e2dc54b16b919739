package ascii

import (
	"strconv"
	"testing"
)

func TestDigits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"one digit", "7", true},
		{"ten digits", "9434765919", true},
		{"leading zeros", "0001", true},
		{"empty", "", false},
		{"space", "943 476", false},
		{"sign", "-1", false},
		{"letter", "12a", false},
		{"full-width digit", "１２", false},
		{"decimal point", "1.5", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Digits(tt.in); got != tt.want {
				t.Errorf("Digits(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if got := Digits([]byte(tt.in)); got != tt.want {
				t.Errorf("Digits([]byte(%q)) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestAtoi(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"zero", "0", 0},
		{"leading zeros", "0009", 9},
		{"a year", "2025", 2025},
		{"nine digits", "999999999", 999999999},
		{"ten digits", "9434765919", -1},
		{"empty", "", -1},
		{"sign", "+1", -1},
		{"space", " 1", -1},
		{"letter", "1O", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Atoi(tt.in); got != tt.want {
				t.Errorf("Atoi(%q) = %d, want %d", tt.in, got, tt.want)
			}
			if got := Atoi([]byte(tt.in)); got != tt.want {
				t.Errorf("Atoi([]byte(%q)) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestNarrow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   rune
		want rune
	}{
		{"full-width zero", '０', '0'},
		{"full-width nine", '９', '9'},
		{"full-width A", 'Ａ', 'A'},
		{"full-width Z", 'Ｚ', 'Z'},
		{"full-width a", 'ａ', 'a'},
		{"full-width z", 'ｚ', 'z'},
		{"full-width hyphen-minus", '－', '-'},
		{"full-width plus", '＋', '+'},
		{"ideographic space", '\u3000', ' '},
		{"ASCII stays", '7', '7'},
		{"full-width solidus stays", '／', '／'},
		{"full-width at sign stays", '＠', '＠'},
		{"a digit of another script stays", '٣', '٣'},
		{"a letter of another alphabet stays", 'В', 'В'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Narrow(tt.in); got != tt.want {
				t.Errorf("Narrow(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzAtoi checks Digits and Atoi against strconv on any input.
func FuzzAtoi(f *testing.F) {
	for _, s := range []string{"0", "2025", "999999999", "1000000000", "", "-1", "+1", " 1", "1_0", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Atoi(s)
		want, err := strconv.Atoi(s)
		plain := Digits(s) && len(s) <= MaxDigits
		switch {
		case plain && (err != nil || n != want):
			t.Fatalf("Atoi(%q) = %d, strconv says %d, %v", s, n, want, err)
		case !plain && n != -1:
			t.Fatalf("Atoi(%q) = %d, want -1", s, n)
		}
	})
}

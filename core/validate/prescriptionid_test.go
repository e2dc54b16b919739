package validate

import (
	"slices"
	"strings"
	"testing"
)

func TestCheckCharacter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"0308BB-000X26-4410B0", true},
		{"54F746-A83008-E8A05J", true},
		{"CBEF44-000X26-41E1B+", true},
		{"CBEF44-000X26-41E1B1", false}, // a published example that fails its check character
		{"C0C757-A83008-C2D93O", true},
		{"A3B4D9-Z42475-11E6B+", true},
		{"D2A080EE-475C-11E6-A68F-08002732570CN", true},
		{"d2a080ee-475c-11e6-a68f-08002732570cn", true},
		{"D2A080EE-475C-11E6-A68F-08002732570CM", false},
		{"C0C757-A83008-C2D93", false}, // no check character
	}
	for _, tt := range tests {
		if got := CheckCharacterMatches(tt.id); got != tt.want {
			t.Errorf("CheckCharacterMatches(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if _, ok := CheckCharacter("C0C757-A83008-C2D9/"); ok {
		t.Error("CheckCharacter accepted '/'")
	}
}

func TestNormalizePrescriptionID(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"c0c757a83008c2d93o":                    "C0C757-A83008-C2D93O",
		"C0C757-A83008-C2D93O\n":                "C0C757-A83008-C2D93O",
		" c0c757 a83008 c2d93o ":                "C0C757-A83008-C2D93O",
		"C0C757A83008-C2D93O":                   "C0C757-A83008-C2D93O",
		"C0C757–A83008–C2D93O":                  "C0C757-A83008-C2D93O", // en dashes from a document
		"C0C757A83008C2D93":                     "C0C757-A83008-C2D93",
		"d2a080ee475c11e6a68f08002732570cn":     "D2A080EE-475C-11E6-A68F-08002732570CN",
		"D2A080EE-475C-11E6-A68F-08002732570CN": "D2A080EE-475C-11E6-A68F-08002732570CN",
		"cbef44000x2641e1b+":                    "CBEF44-000X26-41E1B+",
		"C0C757/A83008/C2D93O":                  "C0C757/A83008/C2D93O", // left for the charset rule to refuse
		"C0C757":                                "C0C757",
		"７Ｆ３Ａ２１－Ｚ９１０４５－４Ｂ２Ｃ０Ｖ":      "7F3A21-Z91045-4B2C0V", // typed with an East Asian input method
		"ｅ４１ｂ９０ｙ７３３１０\u3000０ａ９ｄ１ｙ":  "E41B90-Y73310-0A9D1Y",
		"７Ｆ３Ａ２１Ｚ９１０４５４Ｂ２Ｃ０＋":        "7F3A21-Z91045-4B2C0+",
		"7F3A21-Z91045-4B2C0\u0412": "7F3A21-Z91045-4B2C0\u0412", // a Cyrillic letter stays, to be refused
	}
	for in, want := range tests {
		if got := NormalizePrescriptionID(in); got != want {
			t.Errorf("NormalizePrescriptionID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpineAcceptsPrescriptionID(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"C0C757-A83008-C2D93O":                  true,
		"C0C757-A83008-C2D93":                   true, // 19: Spine accepts it
		"c0c757-a83008-c2d93o":                  true, // Spine accepts lower case
		"D2A080EE-475C-11E6-A68F-08002732570CN": true,
		"D2A080EE-475C-11E6-A68F-08002732570C":  true, // 36
		"C0C757-A83008-C2D93O1":                 false,
		"C0C757-A83008-C2D9":                    false,
		"C0C757-A83008-C2D9/O":                  false,
		"C0C757-A83008-C2D9 O":                  false,
		"":                                      false,
	}
	for id, want := range tests {
		if got := SpineAcceptsPrescriptionID(id); got != want {
			t.Errorf("SpineAcceptsPrescriptionID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		typed string
		first string // the most likely correction
		also  string // another that must be offered
	}{
		{"0 typed for O", "C0C757-A83008-C2D930", "C0C757-A83008-C2D93O", ""},
		{"O typed for 0", "COC757-A83008-C2D93O", "C0C757-A83008-C2D93O", ""},
		{"5 typed for S", "0308BB-000X26-4410B5", "", ""},
		{"two digits swapped", "0308BB-000X26-4401B0", "", "0308BB-000X26-4410B0"},
		{"swap across a hyphen", "54F74A-683008-E8A05J", "54F746-A83008-E8A05J", ""},
		{"wrong check character", "CBEF44-000X26-41E1B1", "", "CBEF44-000X26-41E1B+"},
		{"long form", "D2A080EE-475C-11E6-A68F-08002732750CN", "D2A080EE-475C-11E6-A68F-08002732570CN", ""},
		{"O typed for every 0 of a group", "7C1F0A-OOOMKP-3BD0EC", "7C1F0A-000MKP-3BD0EC", ""},
		{"O typed for every 0", "7C1FOA-OOOMKP-3BDOEC", "7C1F0A-000MKP-3BD0EC", ""},
		{"I and O typed for 1 and 0 beside a Z", "30E0A1-IOOZW8-0F0D14", "", "30E0A1-100ZW8-0F0D14"},
		{"O typed for 0 beside a B", "E5AODOB2-OCOE-11FO-BODO-OAOBOCODOEOFP", "E5A0D0B2-0C0E-11F0-B0D0-0A0B0C0D0E0FP", ""},
		{"S typed for every 5 of a long id", "D2A080EE-47SC-11E6-A68F-080027S2S70C6", "D2A080EE-475C-11E6-A68F-08002752570C6", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if CheckCharacterMatches(tt.typed) {
				t.Fatalf("%s passes its check character; the test needs a typing error", tt.typed)
			}
			got := Suggest(tt.typed)
			if len(got) == 0 {
				t.Fatal("no suggestions")
			}
			for _, s := range got {
				if !CheckCharacterMatches(s) {
					t.Errorf("suggestion %s fails its check character", s)
				}
				if firstNonStrict(tt.typed) < 0 && firstNonStrict(s) >= 0 {
					t.Errorf("suggestion %s breaks the strict shape that %s has", s, tt.typed)
				}
				if d := distance(tt.typed, s); d == 0 {
					t.Errorf("suggestion %s is the input", s)
				}
			}
			if tt.first != "" && got[0] != tt.first {
				t.Errorf("first suggestion = %s, want %s (all: %v)", got[0], tt.first, got)
			}
			if tt.also != "" && !slices.Contains(got, tt.also) {
				t.Errorf("suggestions %v lack %s", got, tt.also)
			}
			// One kind of confusable character comes first, then swaps, then
			// several kinds at once, then the check character, then the rest.
			rank := func(s string) int {
				switch d := diffAt(tt.typed, s); {
				case confusableKinds(tt.typed, s) == 1:
					return 0
				case swapped(tt.typed, s):
					return 1
				case confusableKinds(tt.typed, s) > 1:
					return 2
				case d[0] == len(s)-1:
					return 3
				}
				return 4
			}
			for i := 1; i < len(got); i++ {
				if rank(got[i-1]) > rank(got[i]) {
					t.Errorf("%s is offered before the likelier %s", got[i-1], got[i])
				}
			}
		})
	}
}

// swapped reports whether b is a with two neighbours (perhaps across a
// hyphen) swapped.
func swapped(a, b string) bool {
	d := diffAt(a, b)
	return len(d) == 2 && a[d[0]] == b[d[1]] && a[d[1]] == b[d[0]] && strings.Trim(a[d[0]+1:d[1]], "-") == ""
}

// confusableKinds returns how many kinds of confusable character (O/0,
// I/1, …) b reads the other way from a, all the same way (letters as
// digits, or digits as letters), or 0 when b differs from a otherwise.
func confusableKinds(a, b string) int {
	d := diffAt(a, b)
	kinds := map[[2]byte]bool{}
	for _, i := range d {
		if !confusable[[2]byte{a[i], b[i]}] || isDigit(a[i]) != isDigit(a[d[0]]) {
			return 0
		}
		kinds[[2]byte{a[i], b[i]}] = true
	}
	return len(kinds)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func diffAt(a, b string) []int {
	var at []int
	for i := range a {
		if a[i] != b[i] {
			at = append(at, i)
		}
	}
	return at
}

// TestSuggestNeverPanics covers ids that end in, or are full of, hyphens.
func TestSuggestNeverPanics(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"CBEF44--00X26-41E1B-", "0000--------------0-", "--------------------", "C0C757-A83008-C2D93-"} {
		Suggest(id)
		Check(Input{PrescriptionID: id}, now)
	}
}

// TestSuggestPrefersTheStrictShape: of two fixes of the same kind, the one
// that leaves the id shaped like a live id comes first.
func TestSuggestPrefersTheStrictShape(t *testing.T) {
	t.Parallel()
	if got := Suggest("4422FC-0V0X26-3DFCS5"); len(got) == 0 || got[0] != "4422FC-0V0X26-3DFC55" {
		t.Errorf("suggestions %v, want 4422FC-0V0X26-3DFC55 first", got)
	}
}

// distance counts the positions at which two equal-length ids differ.
func distance(a, b string) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// TestSuggestIsComplete checks, for one id, that every single substitution
// and every neighbour swap that fixes the check character is offered.
func TestSuggestIsComplete(t *testing.T) {
	t.Parallel()
	typed := "C0C757-A83008-C2D930"
	got := Suggest(typed)
	want := 0
	b := []byte(typed)
	for i := range b {
		if b[i] == '-' {
			continue
		}
		for _, c := range []byte(checkChars) {
			if c == b[i] || c == '+' && i != len(b)-1 {
				continue
			}
			cand := slices.Clone(b)
			cand[i] = c
			if CheckCharacterMatches(string(cand)) && firstNonStrict(string(cand)) < 0 {
				want++
				if !slices.Contains(got, string(cand)) {
					t.Errorf("missing substitution %s", cand)
				}
			}
		}
	}
	if len(got) < want {
		t.Errorf("got %d suggestions, want at least %d", len(got), want)
	}
}

package validate

import (
	"slices"
	"strings"
	"unicode"
)

// Prescription ids come in two forms: the short (R2) form
// XXXXXX-XXXXXX-XXXXXC of 20 characters and the long (R1) form, a GUID plus a
// check character, 37 characters. Spine itself accepts 19, 20, 36 or 37
// characters from A-Z a-z 0-9 - +; the check character and the strict shape
// of live ids are ours to check, as warnings.

const (
	shortLen   = 20 // XXXXXX-XXXXXX-XXXXXC
	longLen    = 37 // GUID + check character
	checkChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+"
)

// NormalizePrescriptionID puts a typed or pasted id into Spine's form: white
// space dropped, letters upper-cased, dashes of any kind made hyphens, and
// hyphens put where they belong when the characters add up to a short or long
// id (so "c0c757a83008c2d93o" becomes "C0C757-A83008-C2D93O"). It does not
// check the result.
func NormalizePrescriptionID(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var bare []byte // the id without its hyphens
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '-' || r >= '\u2010' && r <= '\u2015' || r == '\u2212':
			b.WriteByte('-')
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
		if r < 0x80 {
			bare = append(bare, byte(r))
		} else {
			bare = append(bare, 0) // never regroup an id holding other characters
		}
	}
	if !allIn(bare, checkChars) {
		return b.String()
	}
	switch len(bare) {
	case 17, 18: // short form, with or without its check character
		return group(bare, 6, 6)
	case 32, 33: // long form
		return group(bare, 8, 4, 4, 4)
	}
	return b.String()
}

// group inserts hyphens after runs of the given sizes; the rest is the last group.
func group(bare []byte, sizes ...int) string {
	out := make([]byte, 0, len(bare)+len(sizes))
	for _, n := range sizes {
		out = append(out, bare[:n]...)
		out = append(out, '-')
		bare = bare[n:]
	}
	return string(append(out, bare...))
}

// SpineAcceptsPrescriptionID reports whether Spine would accept id at all:
// 19, 20, 36 or 37 characters from A-Z a-z 0-9 - +.
func SpineAcceptsPrescriptionID(id string) bool {
	switch len(id) {
	case 19, 20, 36, 37:
	default:
		return false
	}
	for i := 0; i < len(id); i++ {
		if !idChar(id[i]) {
			return false
		}
	}
	return true
}

func idChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '+'
}

// CheckCharacter computes the ISO/IEC 7064 MOD 37-2 check character of an id
// written without its check character (hyphens are ignored, letters may be in
// either case). ok is false if the id holds any other character.
func CheckCharacter(idWithoutCheck string) (c byte, ok bool) {
	p := 0
	for i := 0; i < len(idWithoutCheck); i++ {
		ch := idWithoutCheck[i]
		if ch == '-' {
			continue
		}
		v := checkValue(ch)
		if v < 0 {
			return 0, false
		}
		p = (p + v) * 2 % 37
	}
	return checkChars[(38-p)%37], true
}

// CheckCharacterMatches reports whether the last character of a 20- or
// 37-character id is its check character.
func CheckCharacterMatches(id string) bool {
	if len(id) != shortLen && len(id) != longLen {
		return false
	}
	c, ok := CheckCharacter(id[:len(id)-1])
	return ok && c == upper(id[len(id)-1])
}

func checkValue(c byte) int {
	c = upper(c)
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c == '+':
		return 36
	}
	return -1
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// strictAt reports whether character c may stand at position i of a
// normalised id of length n in the strict shape of live ids: short form
// [0-9A-F]{6}-[0-9A-Z]{6}-[0-9A-F]{5}[0-9A-Z+], long form an upper-case hex
// GUID then [0-9A-Z+].
func strictAt(n, i int, c byte) bool {
	hex := c >= '0' && c <= '9' || c >= 'A' && c <= 'F'
	alnum := c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
	switch n {
	case shortLen:
		switch {
		case i == 6 || i == 13:
			return c == '-'
		case i < 6 || i > 13 && i < 19:
			return hex
		case i < 13:
			return alnum
		default:
			return alnum || c == '+'
		}
	case longLen:
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			return c == '-'
		case i < 36:
			return hex
		default:
			return alnum || c == '+'
		}
	}
	return false
}

// firstNonStrict returns the first position of id that breaks the strict
// shape, ignoring the positions in skip, or -1 if there is none. An id of
// another length breaks it at position 0.
func firstNonStrict(id string, skip ...int) int {
	if len(id) != shortLen && len(id) != longLen {
		return 0
	}
	for i := 0; i < len(id); i++ {
		if !slices.Contains(skip, i) && !strictAt(len(id), i, id[i]) {
			return i
		}
	}
	return -1
}

// nonStrictCount counts the positions of a 20- or 37-character id that
// break the strict shape.
func nonStrictCount(id string) int {
	n := 0
	for i := 0; i < len(id); i++ {
		if !strictAt(len(id), i, id[i]) {
			n++
		}
	}
	return n
}

// confusable lists the pairs of characters most often mistaken for each other.
var confusable = map[[2]byte]bool{
	{'O', '0'}: true, {'0', 'O'}: true,
	{'I', '1'}: true, {'1', 'I'}: true,
	{'B', '8'}: true, {'8', 'B'}: true,
	{'S', '5'}: true, {'5', 'S'}: true,
	{'Z', '2'}: true, {'2', 'Z'}: true,
}

// Suggest returns every id within one substituted character or one swap of
// neighbouring characters of id (a normalised 20- or 37-character id) whose
// check character is right, most likely first: confusable substitutions
// (O/0, I/1, B/8, S/5, Z/2), then swaps, then a different check character
// (the one position where any character is legal, and the one most often
// lost in copying, as with a "+" read as a space), then other substitutions. Where the
// rest of id already has the strict shape, suggestions keep it.
func Suggest(id string) []string {
	if len(id) != shortLen && len(id) != longLen || !SpineAcceptsPrescriptionID(id) {
		return nil
	}
	type candidate struct {
		id     string
		rank   int
		breaks int // places where it breaks the strict shape
	}
	var found []candidate
	seen := map[string]bool{id: true}
	consider := func(b []byte, rank int, changed ...int) {
		s := string(b)
		if seen[s] || !CheckCharacterMatches(s) {
			return
		}
		if firstNonStrict(id, changed...) < 0 && firstNonStrict(s) >= 0 {
			return
		}
		seen[s] = true
		found = append(found, candidate{s, rank, nonStrictCount(s)})
	}
	b := []byte(id)
	last := len(b) - 1
	for i := range b {
		if b[i] == '-' {
			continue
		}
		orig := b[i]
		for j := 0; j < len(checkChars); j++ {
			c := checkChars[j]
			if c == orig || c == '+' && i != last {
				continue
			}
			b[i] = c
			rank := 3
			switch {
			case confusable[[2]byte{orig, c}]:
				rank = 0
			case i == last:
				rank = 2
			}
			consider(b, rank, i)
		}
		b[i] = orig
	}
	for i := 0; i < last; i++ {
		j := i + 1
		if b[j] == '-' {
			j++ // neighbours across a hyphen
		}
		if j > last || b[i] == '-' || b[j] == '-' || b[i] == b[j] {
			continue
		}
		b[i], b[j] = b[j], b[i]
		consider(b, 1, i, j)
		b[i], b[j] = b[j], b[i]
	}
	// Likelier kinds of mistake first; within a kind, an id in the strict
	// shape before one that is not.
	slices.SortStableFunc(found, func(a, b candidate) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return a.breaks - b.breaks
	})
	out := make([]string, len(found))
	for i, c := range found {
		out[i] = c.id
	}
	return out
}

func allIn(b []byte, set string) bool {
	for _, c := range b {
		if strings.IndexByte(set, c) < 0 {
			return false
		}
	}
	return true
}

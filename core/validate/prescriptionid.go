package validate

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
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

// NormalizePrescriptionID puts a typed or pasted id into Spine's form: the
// full-width forms of East Asian input methods made ASCII, white space
// dropped, letters upper-cased, dashes of any kind made hyphens, and
// hyphens put where they belong when the characters add up to a short or long
// id (so "c0c757a83008c2d93o" becomes "C0C757-A83008-C2D93O"). It does not
// check the result.
func NormalizePrescriptionID(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var bare []byte // the id without its hyphens
	for _, r := range s {
		switch r = ascii.Narrow(r); {
		case unicode.IsSpace(r):
			continue
		case dash(r):
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
	return checkCharacter(idWithoutCheck)
}

func checkCharacter[S ~string | ~[]byte](idWithoutCheck S) (c byte, ok bool) {
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
func CheckCharacterMatches(id string) bool { return checkMatches(id) }

func checkMatches[S ~string | ~[]byte](id S) bool {
	if len(id) != shortLen && len(id) != longLen {
		return false
	}
	c, ok := checkCharacter(id[:len(id)-1])
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

// confusables pairs each letter with the digit it is mistaken for.
var confusables = [...][2]byte{{'O', '0'}, {'I', '1'}, {'B', '8'}, {'S', '5'}, {'Z', '2'}}

// confusable holds each pair of confusables, both ways round.
var confusable = func() map[[2]byte]bool {
	m := make(map[[2]byte]bool, 2*len(confusables))
	for _, p := range confusables {
		m[p], m[[2]byte{p[1], p[0]}] = true, true
	}
	return m
}()

// Suggest returns the ids that id (a normalised 20- or 37-character id whose
// check character is wrong) was most likely meant to be: each passes its
// check character and is one typing mistake away from id. Most likely
// first:
//
//   - one kind of confusable character read the other way (O/0, I/1, B/8,
//     S/5, Z/2): first every one of that kind in a group, or in the whole
//     id (a person who reads one 0 as O reads them all so), then any one;
//   - two neighbouring characters swapped;
//   - two or more kinds of confusable character read the other way at once,
//     the likelier confusions first (O/0, then I/1, and so on);
//   - a different check character (the one position where any character is
//     legal, and the one most often lost in copying, as with a "+" read as
//     a space);
//   - any other character substituted.
//
// Where the rest of id already has the strict shape, suggestions keep it;
// within a kind of mistake, ids in the strict shape come first.
func Suggest(id string) []string {
	if len(id) != shortLen && len(id) != longLen || !SpineAcceptsPrescriptionID(id) {
		return nil
	}
	const (
		rankConfusable = iota
		rankSwap
		rankConfusables
		rankCheck
		rankOther
	)
	type candidate struct {
		id     string
		rank   int
		breaks int // places where it breaks the strict shape
	}
	var found []candidate
	seen := map[string]bool{id: true}
	consider := func(b []byte, rank int, changed ...int) {
		if !checkMatches(b) || seen[string(b)] {
			return
		}
		if firstNonStrict(id, changed...) < 0 && firstNonStrict(string(b)) >= 0 {
			return
		}
		s := string(b)
		seen[s] = true
		found = append(found, candidate{s, rank, nonStrictCount(s)})
	}
	readConfusables(id, func(b []byte, kinds int, changed []int) {
		if kinds == 1 {
			consider(b, rankConfusable, changed...)
		} else {
			consider(b, rankConfusables, changed...)
		}
	})
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
			rank := rankOther
			switch {
			case confusable[[2]byte{orig, c}]:
				rank = rankConfusable
			case i == last:
				rank = rankCheck
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
		consider(b, rankSwap, i, j)
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

// readConfusables calls try with each reading of id in which every
// confusable character of some kinds (O, I, B, S, Z as digits; or 0, 1, 8,
// 5, 2 as letters, where the strict shape has room for a letter) is read the
// other way throughout one group of id, or throughout id. Readings of fewer
// kinds come first, and of likelier kinds (the order of confusables); then
// letters read as digits before digits read as letters; then group by group
// before the whole id. try is given how many kinds were read and the
// positions changed; b is reused between calls. There are at most 2·31
// readings per group and as many for the whole id.
func readConfusables(id string, try func(b []byte, kinds int, changed []int)) {
	type span struct{ from, to int }
	var scopes []span
	from := 0
	for i := 0; i <= len(id); i++ {
		if i == len(id) || id[i] == '-' {
			if i > from {
				scopes = append(scopes, span{from, i})
			}
			from = i + 1
		}
	}
	if len(scopes) > 1 {
		scopes = append(scopes, span{0, len(id)})
	}
	// kind returns which pair of confusables the character at i belongs to,
	// read as a digit or as a letter, and what it reads as; -1 for none.
	kind := func(i int, asDigit bool) (int, byte) {
		for k, p := range confusables {
			switch {
			case asDigit && id[i] == p[0]:
				return k, p[1]
			case !asDigit && id[i] == p[1] && strictAt(len(id), i, p[0]):
				return k, p[0]
			}
		}
		return -1, 0
	}
	// The kinds present in each scope, one bit per kind, read each way.
	present := make([][2]int, len(scopes))
	for s, sc := range scopes {
		for way, asDigit := range [...]bool{true, false} {
			for i := sc.from; i < sc.to; i++ {
				if k, _ := kind(i, asDigit); k >= 0 {
					present[s][way] |= 1 << k
				}
			}
		}
	}
	b := make([]byte, len(id))
	changed := make([]int, 0, len(id))
	for size := 1; size <= len(confusables); size++ {
		for kinds := 1; kinds < 1<<len(confusables); kinds++ {
			if bits.OnesCount(uint(kinds)) != size {
				continue
			}
			for way, asDigit := range [...]bool{true, false} {
				for s, sc := range scopes {
					if present[s][way]&kinds != kinds {
						continue
					}
					copy(b, id)
					changed = changed[:0]
					for i := sc.from; i < sc.to; i++ {
						if k, c := kind(i, asDigit); k >= 0 && kinds&(1<<k) != 0 {
							b[i] = c
							changed = append(changed, i)
						}
					}
					try(b, size, changed)
				}
			}
		}
	}
}

func allIn(b []byte, set string) bool {
	for _, c := range b {
		if strings.IndexByte(set, c) < 0 {
			return false
		}
	}
	return true
}

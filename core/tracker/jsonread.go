package tracker

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// reader is a small single-pass JSON reader. It checks the whole JSON grammar
// as it goes (so a truncated or malformed body is always reported), but
// decodes only the members the tracker model needs and skips the rest without
// building anything. It is several times faster than encoding/json for
// Spine's bodies, which matters when a pharmacy tracks a day's list at once.
type reader struct {
	b       []byte
	i       int
	depth   int
	scratch []byte // holds unescaped strings; valid until the next read
	pending error  // kept by the tolerant scalar readers; see err
}

// maxDepth bounds nesting, so hostile input cannot exhaust the stack.
const maxDepth = 64

type scalarKind uint8

const (
	kindString scalarKind = iota
	kindNumber
	kindTrue
	kindFalse
	kindNull
	kindObject // the value was an object and has been skipped
	kindArray  // the value was an array and has been skipped
)

// String names the kind of a JSON value for a person: "a string", "true".
func (k scalarKind) String() string {
	switch k {
	case kindString:
		return "a string"
	case kindNumber:
		return "a number"
	case kindTrue:
		return "true"
	case kindFalse:
		return "false"
	case kindNull:
		return "null"
	case kindObject:
		return "an object"
	}
	return "an array"
}

func (r *reader) fail(problem ParseProblem, format string, args ...any) *ParseError {
	return &ParseError{Problem: problem, Offset: r.i, Detail: fmt.Sprintf(format, args...)}
}

// unexpected reports the byte at the current position, or a truncation.
func (r *reader) unexpected(want string) *ParseError {
	if r.i >= len(r.b) {
		return r.fail(ProblemTruncated, "the body ends early, while a %s was expected; it was probably cut off", want)
	}
	return r.fail(ProblemSyntax, "invalid JSON: found %q where a %s was expected", r.b[r.i], want)
}

func (r *reader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of input.
func (r *reader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// members reads an object, calling member for each key with the reader
// positioned at the value; member must consume the value.
func (r *reader) members(member func(key []byte) error) error {
	if r.peek() != '{' {
		return r.unexpected("JSON object")
	}
	if r.depth++; r.depth > maxDepth {
		return r.fail(ProblemShape, "JSON nested more than %d levels deep", maxDepth)
	}
	r.i++
	if r.peek() == '}' {
		r.i++
		r.depth--
		return nil
	}
	for {
		if r.peek() != '"' {
			return r.unexpected("member name")
		}
		key, err := r.str()
		if err != nil {
			return err
		}
		// The key may live in scratch; copy what callers keep (they keep only
		// small keys such as "10", so a copy is cheap).
		if r.peek() != ':' {
			return r.unexpected("':'")
		}
		r.i++
		r.ws()
		if err := member(key); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			r.depth--
			return nil
		default:
			return r.unexpected("',' or '}'")
		}
	}
}

// elements reads an array, calling element for each value.
func (r *reader) elements(element func(index int) error) error {
	if r.peek() != '[' {
		return r.unexpected("JSON array")
	}
	if r.depth++; r.depth > maxDepth {
		return r.fail(ProblemShape, "JSON nested more than %d levels deep", maxDepth)
	}
	r.i++
	if r.peek() == ']' {
		r.i++
		r.depth--
		return nil
	}
	for n := 0; ; n++ {
		r.ws()
		if err := element(n); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			r.depth--
			return nil
		default:
			return r.unexpected("',' or ']'")
		}
	}
}

// skip checks and skips one value of any kind.
func (r *reader) skip() error {
	switch r.peek() {
	case '{':
		return r.members(func([]byte) error { return r.skip() })
	case '[':
		return r.elements(func(int) error { return r.skip() })
	default:
		_, _, err := r.scalar()
		return err
	}
}

// scalar reads a string, number, true, false or null. For a string it
// returns the unescaped contents; for a number its text. An object or array
// is checked, skipped and reported as kindObject or kindArray, so that callers
// can say which kind of value they found.
func (r *reader) scalar() ([]byte, scalarKind, error) {
	switch c := r.peek(); {
	case c == '"':
		s, err := r.str()
		return s, kindString, err
	case c == '-' || c >= '0' && c <= '9':
		n, err := r.number()
		return n, kindNumber, err
	case c == 't':
		return nil, kindTrue, r.literal("true")
	case c == 'f':
		return nil, kindFalse, r.literal("false")
	case c == 'n':
		return nil, kindNull, r.literal("null")
	case c == '{':
		return nil, kindObject, r.skip()
	case c == '[':
		return nil, kindArray, r.skip()
	default:
		return nil, 0, r.unexpected("JSON value")
	}
}

func (r *reader) literal(word string) error {
	rest := r.b[r.i:]
	if len(rest) < len(word) && bytes.HasPrefix([]byte(word), rest) {
		r.i = len(r.b) // the body ends inside the word
		return r.unexpected("JSON value")
	}
	if !bytes.HasPrefix(rest, []byte(word)) {
		return r.unexpected("JSON value")
	}
	r.i += len(word)
	return nil
}

func (r *reader) number() ([]byte, error) {
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.b) && r.b[r.i] == '0':
		r.i++
	case r.i < len(r.b) && r.b[r.i] >= '1' && r.b[r.i] <= '9':
		r.digits()
	default:
		return nil, r.unexpected("digit")
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if r.digits() == 0 {
			return nil, r.unexpected("digit")
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if r.digits() == 0 {
			return nil, r.unexpected("digit")
		}
	}
	return r.b[start:r.i], nil
}

func (r *reader) digits() int {
	start := r.i
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	return r.i - start
}

// str reads a string at the current position (which must be '"'). Strings
// without escapes are returned as a view of the input; others are decoded
// into scratch.
func (r *reader) str() ([]byte, error) {
	r.i++ // opening quote
	start := r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			s := r.b[start:r.i]
			r.i++
			return s, nil
		case c == '\\':
			return r.escapedStr(start)
		case c < 0x20:
			return nil, r.fail(ProblemSyntax, "invalid JSON: a control character inside a string")
		}
		r.i++
	}
	return nil, r.fail(ProblemTruncated, "the body ends inside a string; it was probably cut off")
}

func (r *reader) escapedStr(start int) ([]byte, error) {
	out := append(r.scratch[:0], r.b[start:r.i]...)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			r.scratch = out
			return out, nil
		case c < 0x20:
			return nil, r.fail(ProblemSyntax, "invalid JSON: a control character inside a string")
		case c != '\\':
			out = append(out, c)
			r.i++
			continue
		}
		r.i++
		if r.i >= len(r.b) {
			break
		}
		switch e := r.b[r.i]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r1, ok := r.hex4(r.i + 1)
			if !ok {
				if r.i+5 > len(r.b) {
					r.i = len(r.b)
					break
				}
				return nil, r.fail(ProblemSyntax, "invalid JSON: a bad \\u escape")
			}
			r.i += 4
			if utf16.IsSurrogate(r1) {
				if r2, ok := r.hex4(r.i + 3); ok && r.i+2 < len(r.b) && r.b[r.i+1] == '\\' && r.b[r.i+2] == 'u' {
					if dec := utf16.DecodeRune(r1, r2); dec != utf8.RuneError {
						r1 = dec
						r.i += 6
					}
				}
			}
			out = utf8.AppendRune(out, r1)
		default:
			return nil, r.fail(ProblemSyntax, "invalid JSON: a bad escape in a string")
		}
		r.i++
	}
	return nil, r.fail(ProblemTruncated, "the body ends inside a string; it was probably cut off")
}

func (r *reader) hex4(at int) (rune, bool) {
	if at+4 > len(r.b) {
		return 0, false
	}
	var v rune
	for _, c := range r.b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// end checks that nothing but white space follows the top-level value.
func (r *reader) end() error {
	if r.peek() != 0 || r.i < len(r.b) {
		return r.fail(ProblemSyntax, "invalid JSON: more data after the end of the response")
	}
	return nil
}

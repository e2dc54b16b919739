package redact

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// The patterns Text masks, compiled on first use: a program that never
// masks a library's error, such as a browser's core, starts without them.
var (
	// urlIn is a URL in text: it may hold identifiers in its path or query.
	urlIn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'()<>]+`) })
	// idIn is a run of 18 or more letters, digits and +, with single
	// hyphens between them: as long as a prescription id, or longer.
	idIn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[0-9A-Za-z+](?:-?[0-9A-Za-z+]){17,}`) })
	// nhsIn is ten digits or more, with single spaces or hyphens between.
	nhsIn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[0-9](?:[ -]?[0-9]){9,}`) })
)

// Text masks whatever may be a patient identifier in free text that EPS
// Tracker did not write itself, such as an error from a network library,
// before it is logged: a URL keeps only its scheme and host; a run of
// characters as long as a prescription id that holds a digit is masked as
// one; ten digits or more, spaced or not, as an NHS number. Other text,
// such as an address and port or a short code, is left as it is.
func Text(s string) string {
	s = urlIn().ReplaceAllStringFunc(s, func(u string) string {
		scheme, rest, _ := strings.Cut(u, "://")
		host, _, cut := strings.Cut(rest, "/")
		if i := strings.IndexAny(host, "?#"); i >= 0 {
			host, cut = host[:i], true
		}
		if cut {
			return scheme + "://" + host + "/…"
		}
		return scheme + "://" + host
	})
	s = idIn().ReplaceAllStringFunc(s, func(id string) string {
		if strings.IndexFunc(id, unicode.IsDigit) < 0 {
			return id // a long word, never an id
		}
		return PrescriptionID(id)
	})
	return nhsIn().ReplaceAllStringFunc(s, NHSNumber)
}

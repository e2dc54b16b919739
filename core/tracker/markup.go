package tracker

import "bytes"

// markup says what a body that starts with '<' is: an HTML page, which is
// what a proxy or gateway sends when it fails, or an XML document, such as a
// SOAP fault from another interface or a storage service's error.
//
// The body is XML when, past any XML declaration, comments and processing
// instructions, it starts with a DOCTYPE or an element that is not html (nor
// head, title or body, since HTML lets a page leave out the tags around
// them), or when it has an XML declaration and nothing after it can be read.
// Anything else that starts with '<' is taken for HTML.
func markup(b []byte) *ParseError {
	if isXML(b) {
		return &ParseError{Problem: ProblemXML, Offset: -1, Detail: "the body is an XML document (typically an error from another service or interface), not JSON"}
	}
	return &ParseError{Problem: ProblemHTML, Offset: -1, Detail: "the body is an HTML page (typically an error page from a proxy or gateway), not JSON"}
}

// isXML reports whether b, which starts with '<', is an XML document rather
// than an HTML page, by the rule of [markup].
func isXML(b []byte) bool {
	declared := false
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		var end string
		switch {
		case hasPrefixFold(b, "<?xml"):
			declared, end = true, "?>"
		case bytes.HasPrefix(b, []byte("<?")):
			end = "?>"
		case bytes.HasPrefix(b, []byte("<!--")):
			end = "-->"
		case hasPrefixFold(b, "<!DOCTYPE"):
			return !htmlElement(bytes.TrimLeft(b[len("<!DOCTYPE"):], " \t\r\n"))
		case len(b) > 1 && b[0] == '<' && nameStart(b[1]):
			return !htmlElement(b[1:])
		default:
			return declared
		}
		i := bytes.Index(b, []byte(end))
		if i < 0 {
			return declared
		}
		b = b[i+len(end):]
	}
}

// htmlElement reports whether b starts with the name of an element that may
// begin an HTML page.
func htmlElement(b []byte) bool {
	n := bytes.IndexAny(b, " \t\r\n/>")
	if n < 0 {
		n = len(b)
	}
	for _, e := range []string{"html", "head", "title", "body"} {
		if bytes.EqualFold(b[:n], []byte(e)) {
			return true
		}
	}
	return false
}

// nameStart reports whether c may begin an XML or HTML name.
func nameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

// hasPrefixFold reports whether b starts with prefix, in any case of ASCII.
func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

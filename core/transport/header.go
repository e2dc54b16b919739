package transport

import "strings"

// Header holds header fields by their canonical names ("Content-Type",
// "Spine-From-Asid"), one value each, as the fetch API gives them: a field
// sent more than once is one value, its values joined by ", ". The
// tracker's own headers never repeat.
type Header map[string]string

// Get returns the value of the named field, whatever the case of name, or
// "" when it is absent.
func (h Header) Get(name string) string {
	v, _ := h.Lookup(name)
	return v
}

// Lookup returns the value of the named field, whatever the case of name,
// and whether it is present at all: a field sent empty is present.
func (h Header) Lookup(name string) (string, bool) {
	if v, ok := h[name]; ok {
		return v, true
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

package gateway

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// traceOf is the request's trace id: the caller's Eps-TraceId when it is
// one Spine accepts (the project's client sends one), else the caller's
// X-Request-ID when it is a UUID, else a new UUID. spine reports the
// first.
func traceOf(r *http.Request) (id string, spine bool) {
	if v := r.Header.Values("Eps-TraceId"); len(v) == 1 && spineTraceID(v[0]) {
		return v[0], true
	}
	if v := r.Header.Values("X-Request-ID"); len(v) == 1 && isUUID(v[0]) {
		return v[0], false
	}
	return newUUID(), false
}

// isUUID reports whether s is a UUID in its text form, of any version:
// 8-4-4-4-12 hexadecimal digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return true
}

// newUUID makes a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// errorBody is the JSON body of an answer of the gateway's own: the kind
// of refusal or failure (the outcome it records), what to do, in plain
// English, and the trace id.
func errorBody(kind, message, trace string) []byte {
	b, _ := json.Marshal(struct {
		Error   string `json:"error"`
		Message string `json:"message"`
		TraceID string `json:"traceId"`
	}{kind, message, trace})
	return b
}

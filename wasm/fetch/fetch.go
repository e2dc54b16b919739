// Package fetch is how the widget reaches a gateway from a browser: it
// adapts the fetch API to core/transport ([New]), so that the browser
// build links no net/http.
//
// A request is a GET with the client's headers, and the caller's token
// when there is one ([WithToken]), that never follows a redirect, sends
// the page's cookies to its own origin only, keeps nothing in the
// browser's HTTP cache (the answers hold patient data) and sends no
// Referer (a portal's address may name the patient). It is aborted when its
// context ends, the reading of the body included. Its errors never hold the
// URL, which holds patient identifiers: the browser's own messages may, so
// they are never passed on.
//
// The Transport itself needs syscall/js and builds only for GOOS=js; what
// it decides (the options of each fetch, the names of the answer's header
// fields, its length, the meaning of a failure) is plain Go, tested on any
// platform.
package fetch

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// The failures of a fetch that got no answer.
var (
	// ErrNoAnswer is a fetch the browser gave up on: no network, nothing
	// listening, or a server that does not accept requests from this page
	// (CORS); a browser does not say which.
	ErrNoAnswer = errors.New("no answer reached the browser: no network, the server is down, or the security settings of this page or of the server do not allow the connection")
	// ErrRedirect is an answer that was a redirect, which is never
	// followed: a browser shows nothing of it, not even its status.
	ErrRedirect = errors.New("the server answered with a redirect, which is never followed")
	// ErrNoFetch is a JavaScript host without the fetch API.
	ErrNoFetch = errors.New("this browser has no fetch API")
)

// tokenKey is the key of the caller's token in a context.
type tokenKey struct{}

// WithToken returns ctx carrying token, the caller's bearer token from the
// portal's sign-in: each fetch made under it sends "Authorization: Bearer
// token" to the gateway. An empty token sends none.
func WithToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// tokenOf is the token ctx carries, "" when none.
func tokenOf(ctx context.Context) string {
	token, _ := ctx.Value(tokenKey{}).(string)
	return token
}

// options are the options of the fetch of req, with the caller's token
// when there is one, all but its abort signal.
func options(req *transport.Request, token string) map[string]any {
	headers := make(map[string]any, len(req.Header)+1)
	for name, value := range req.Header {
		headers[name] = value
	}
	if token != "" {
		headers["Authorization"] = "Bearer " + token
	}
	return map[string]any{
		"method":         "GET",
		"headers":        headers,
		"redirect":       "manual",
		"credentials":    "same-origin",
		"cache":          "no-store",
		"referrerPolicy": "no-referrer",
	}
}

// canonical is the canonical form of a header field's name, as
// transport.Header keeps it ("Content-Type"): fetch gives names in lower
// case.
func canonical(name string) string {
	b := []byte(name)
	upper := true
	for i, c := range b {
		switch {
		case upper && 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case !upper && 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
		upper = c == '-'
	}
	return string(b)
}

// ContentLength is the length of the body fetch gives with the header
// fields h, when h says it: not when the body was sent encoded (fetch
// decodes it, and Content-Length is the encoded length), else -1. Every
// host whose transport is a fetch (a browser's, a Worker's) reads it so.
func ContentLength(h transport.Header) int64 {
	if _, encoded := h.Lookup("Content-Encoding"); encoded {
		return -1
	}
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// failure is the error of a fetch, or of the reading of its body
// (reading), that the browser rejected: the context's error when it ended,
// else one that holds nothing the browser said.
func failure(ctx context.Context, reading bool) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case reading:
		return io.ErrUnexpectedEOF
	}
	return ErrNoAnswer
}

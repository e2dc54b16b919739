// Package transport is the seam through which core/ reaches a tracker:
// Spine, a gateway or the sandbox. The core never picks how a request
// travels; each host adapts what it has to [Transport]: natively an
// *http.Client (with TLS mutual authentication for Spine), in a browser the
// fetch API, in a Cloudflare Worker the Worker's fetch or its mTLS binding,
// and in any of them the sandbox, in-process.
//
// It is small on purpose, so that a browser build of the core links no
// net/http: the tracker's two queries are GETs, so a request is a URL and
// its headers, and an answer is a status, headers and a body.
package transport

import (
	"context"
	"io"
	"net/url"
)

// Transport sends one GET and returns the answer. The body must be closed.
// It returns an error only when no answer came (the connection failed, the
// context ended): an answer with any HTTP status is a Response. The context
// bounds the whole exchange, the reading of the body included. It must not
// follow redirects: a tracker never sends one, and following one could
// carry patient identifiers somewhere else. Its errors must not hold the
// request's URL, which holds patient identifiers; one that no retry can
// mend (a certificate refused) is marked with [Permanent].
//
// A Transport is safe for concurrent use.
type Transport interface {
	Get(ctx context.Context, req *Request) (*Response, error)
}

// Func adapts a function to [Transport].
type Func func(ctx context.Context, req *Request) (*Response, error)

// Get calls f.
func (f Func) Get(ctx context.Context, req *Request) (*Response, error) { return f(ctx, req) }

// Request is one GET: an absolute URL and its headers.
type Request struct {
	URL    *url.URL
	Header Header
}

// Response is an answer: its HTTP status, headers and body.
type Response struct {
	StatusCode int
	Header     Header
	// ContentLength is the body's length when known, else -1.
	ContentLength int64
	Body          io.ReadCloser
}

package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/wasm/fetch"
)

// ErrNoAnswer is a request to Spine through the mTLS certificate binding
// that got no answer. The Worker's fetch says no more that can be passed
// on: its own messages may hold the request's URL, which holds patient
// identifiers.
var ErrNoAnswer = errors.New("no answer came from Spine through the Worker's mTLS certificate binding: Spine is down or unreachable, or refused the certificate")

// response is the answer the binding's fetch gave, as core/transport's:
// a redirect is never followed nor passed on (fetch.ErrRedirect, which no
// retry mends), and the body's reading ends when ctx does.
//
// The fetch gives each header field once, its values joined by ", ", and
// github.com/syumai/workers splits them at each comma: they are joined
// again as they came.
func response(ctx context.Context, resp *http.Response) (*transport.Response, error) {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		resp.Body.Close()
		return nil, transport.Permanent(fetch.ErrRedirect)
	}
	header := make(transport.Header, len(resp.Header))
	for name, values := range resp.Header {
		header[name] = strings.Join(values, ",")
	}
	return &transport.Response{StatusCode: resp.StatusCode, Header: header,
		ContentLength: fetch.ContentLength(header), Body: &body{ctx: ctx, rc: resp.Body}}, nil
}

// body is an answer's body that stops being read when its context ends,
// and whose failures hold nothing the Worker's fetch said.
type body struct {
	ctx context.Context
	rc  io.ReadCloser
}

func (b *body) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := b.rc.Read(p)
	switch {
	case err == nil || err == io.EOF:
		return n, err
	case b.ctx.Err() != nil:
		return n, b.ctx.Err()
	}
	return n, io.ErrUnexpectedEOF
}

func (b *body) Close() error { return b.rc.Close() }

package main

import (
	"context"
	"io"
	"net/http"
	"syscall/js"

	"github.com/syumai/workers/cloudflare/fetch"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// upstream sends the gateway's requests to Spine through a Worker binding
// that has a fetch method: the mTLS certificate binding, which presents the
// site's client certificate (TLS-MA); or, its binding undefined, through
// the Worker's own fetch (the identity provider's keys). It is safe for
// concurrent use.
//
// It keeps the binding, not a fetch.Client: a type that an interface holds
// keeps all its fields' types' methods in the build (the validator calls
// methods by name), and a fetch.Client's HTTPClient would bring net/http's
// whole client, 1 MB of gzip.
type upstream struct {
	binding js.Value
}

func newUpstream(binding js.Value) *upstream { return &upstream{binding: binding} }

// Get fetches req through the binding, never following a redirect. It
// gives up when ctx ends: the fetch itself cannot be stopped, so its answer,
// should it come, is dropped.
func (u *upstream) Get(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := fetch.NewRequest(ctx, http.MethodGet, req.URL.String(), nil)
	if err != nil {
		return nil, transport.Permanent(ErrNoAnswer)
	}
	for name, value := range req.Header {
		r.Header.Set(name, value)
	}
	type fetched struct {
		resp *http.Response
		err  error
	}
	answered := make(chan fetched, 1)
	go func() {
		resp, err := fetch.NewClient(fetch.WithBinding(u.binding)).Do(r, &fetch.RequestInit{Redirect: fetch.RedirectModeManual})
		answered <- fetched{resp, err}
	}()
	var f fetched
	select {
	case f = <-answered:
	case <-ctx.Done():
		go func() {
			if f := <-answered; f.err == nil {
				f.resp.Body.Close()
			}
		}()
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, ErrNoAnswer
	}
	if raw, ok := f.resp.Body.(interface{ GetRawJSBody() js.Value }); ok && raw.GetRawJSBody().IsNull() {
		f.resp.Body = io.NopCloser(http.NoBody) // an answer without a body (a 204): none to read
	}
	return response(ctx, f.resp)
}

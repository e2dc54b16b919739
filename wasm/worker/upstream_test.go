package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/wasm/fetch"
)

// closer is a body that says whether it was closed, and fails as told.
type closer struct {
	io.Reader
	closed bool
}

func (c *closer) Close() error { c.closed = true; return nil }

type failing struct{}

func (failing) Read([]byte) (int, error) {
	return 0, errors.New("JavaScript error on read: https://spine.example/mm/prescriptions?nhsNumber=9434765919")
}

func TestResponse(t *testing.T) {
	t.Parallel()
	body := &closer{Reader: strings.NewReader(`{"statusCode":"0"}`)}
	// As github.com/syumai/workers gives the fetch's header: each value split at its commas.
	resp := &http.Response{StatusCode: 200, Body: body, Header: http.Header{
		"Content-Type": {"application/json"}, "Content-Length": {"18"}, "Vary": {"Origin", " Accept-Encoding"}}}
	got, err := response(context.Background(), resp)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(transport.Header{"Content-Type": "application/json", "Content-Length": "18", "Vary": "Origin, Accept-Encoding"}, got.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	b, err := io.ReadAll(got.Body)
	if got.StatusCode != 200 || got.ContentLength != 18 || string(b) != `{"statusCode":"0"}` || err != nil {
		t.Errorf("response %d, length %d, body %q, %v", got.StatusCode, got.ContentLength, b, err)
	}
	got.Body.Close()
	if !body.closed {
		t.Error("the body was not closed")
	}
}

// TestResponseRedirect: a redirect is never followed nor passed on, and no
// retry mends it.
func TestResponseRedirect(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 303, 307, 308} {
		body := &closer{Reader: strings.NewReader("")}
		got, err := response(context.Background(), &http.Response{StatusCode: status, Body: body,
			Header: http.Header{"Location": {"https://elsewhere.example/"}}})
		if got != nil || !errors.Is(err, fetch.ErrRedirect) || !transport.IsPermanent(err) || !body.closed {
			t.Errorf("%d: %v, %v; body closed %v", status, got, err, body.closed)
		}
	}
}

// TestResponseBodyFails: the body's failures hold nothing the fetch said
// (which may hold the URL and its identifiers), and end with the context.
func TestResponseBodyFails(t *testing.T) {
	t.Parallel()
	got, err := response(context.Background(), &http.Response{StatusCode: 200, Body: io.NopCloser(failing{}), Header: http.Header{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(got.Body); err != io.ErrUnexpectedEOF {
		t.Errorf("reading a failing body: %v, want %v", err, io.ErrUnexpectedEOF)
	}
	ctx, cancel := context.WithCancel(context.Background())
	got, _ = response(ctx, &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}})
	cancel()
	if _, err := io.ReadAll(got.Body); err != context.Canceled {
		t.Errorf("reading after the context ended: %v, want %v", err, context.Canceled)
	}
}

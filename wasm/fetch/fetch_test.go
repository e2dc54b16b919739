package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// TestOptions: a fetch never follows a redirect, keeps nothing in the
// cache, sends no Referer and the page's cookies only to its own origin.
func TestOptions(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://gateway.example/mm/prescriptions?nhsNumber=9992574356")
	got := options(&transport.Request{URL: u, Header: transport.Header{"Spine-From-Asid": "000000000000", "Accept": "application/json"}}, "")
	want := map[string]any{
		"method":         "GET",
		"headers":        map[string]any{"Spine-From-Asid": "000000000000", "Accept": "application/json"},
		"redirect":       "manual",
		"credentials":    "same-origin",
		"cache":          "no-store",
		"referrerPolicy": "no-referrer",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
}

// TestOptionsToken: a request made under a context with the caller's
// token carries it as "Authorization: Bearer"; one without, no
// Authorization at all.
func TestOptionsToken(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://gateway.example/mm/prescriptions?nhsNumber=9992574356")
	req := &transport.Request{URL: u, Header: transport.Header{"Accept": "application/json"}}
	tests := []struct {
		name string
		ctx  context.Context
		want map[string]any
	}{
		{"a token", WithToken(context.Background(), "eyJhbGciOiJFZERTQSJ9.e30.c2ln"),
			map[string]any{"Accept": "application/json", "Authorization": "Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln"}},
		{"no token", context.Background(), map[string]any{"Accept": "application/json"}},
		{"an empty token", WithToken(context.Background(), ""), map[string]any{"Accept": "application/json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, options(req, tokenOf(tt.ctx))["headers"]); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
	if req.Header.Get("Authorization") != "" {
		t.Error("the client's request was changed")
	}
}

// TestCanonical: fetch's lower-case names become net/http's canonical ones.
func TestCanonical(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"content-type", "eps-traceid", "retry-after", "x-content-type-options", "CONTENT-LENGTH", "www-authenticate", "etag", "a--b", ""} {
		if got, want := canonical(name), http.CanonicalHeaderKey(name); got != want {
			t.Errorf("canonical(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestContentLength(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header transport.Header
		want   int64
	}{
		{"given", transport.Header{"Content-Length": "1234"}, 1234},
		{"absent", transport.Header{}, -1},
		{"not a number", transport.Header{"Content-Length": "12x"}, -1},
		{"negative", transport.Header{"Content-Length": "-1"}, -1},
		{"of the encoded body", transport.Header{"Content-Length": "1234", "Content-Encoding": "gzip"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ContentLength(tt.header); got != tt.want {
				t.Errorf("ContentLength = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestFailure(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		reading bool
		want    error
	}{
		{"no answer", context.Background(), false, ErrNoAnswer},
		{"the caller gave up", cancelled, false, context.Canceled},
		{"the body stopped", context.Background(), true, io.ErrUnexpectedEOF},
		{"the caller gave up while the body came", cancelled, true, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := failure(tt.ctx, tt.reading); !errors.Is(got, tt.want) {
				t.Errorf("failure = %v, want %v", got, tt.want)
			}
		})
	}
}

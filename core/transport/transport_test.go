package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestHeaderGet(t *testing.T) {
	t.Parallel()
	h := Header{"Content-Type": "application/json", "Retry-After": "2"}
	for name, want := range map[string]string{
		"Content-Type": "application/json",
		"content-type": "application/json",
		"RETRY-AFTER":  "2",
		"Eps-TraceId":  "",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("Get(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestFunc(t *testing.T) {
	t.Parallel()
	var tr Transport = Func(func(_ context.Context, req *Request) (*Response, error) {
		return &Response{StatusCode: 200, Header: Header{}, ContentLength: -1,
			Body: io.NopCloser(strings.NewReader(req.URL.Query().Get("format")))}, nil
	})
	u, _ := url.Parse("http://sandbox.invalid/mm/prescriptions?format=trace-summary")
	resp, err := tr.Get(context.Background(), &Request{URL: u, Header: Header{}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if body, _ := io.ReadAll(resp.Body); string(body) != "trace-summary" {
		t.Errorf("body %q", body)
	}
}

func TestHeaderLookup(t *testing.T) {
	t.Parallel()
	h := Header{"Eps-Traceid": "", "Spine-From-Asid": "200000001234"}
	tests := []struct {
		name  string
		field string
		value string
		ok    bool
	}{
		{"present", "Spine-From-Asid", "200000001234", true},
		{"in another case", "spine-from-asid", "200000001234", true},
		{"sent empty", "Eps-TraceId", "", true},
		{"absent", "Spine-UserId", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if v, ok := h.Lookup(tt.field); v != tt.value || ok != tt.ok {
				t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.field, v, ok, tt.value, tt.ok)
			}
		})
	}
}

// TestStatusText: the reason phrases are net/http's, so that a message
// reads the same whichever host sent the request.
func TestStatusText(t *testing.T) {
	t.Parallel()
	for code := 100; code < 600; code++ {
		if got, want := StatusText(code), http.StatusText(code); got != want {
			t.Errorf("StatusText(%d) = %q, want %q", code, got, want)
		}
	}
}

func TestPermanent(t *testing.T) {
	t.Parallel()
	cause := errors.New("tls: bad certificate")
	err := fmt.Errorf("attempt: %w", Permanent(cause))
	if !IsPermanent(err) || !errors.Is(err, cause) || err.Error() != "attempt: tls: bad certificate" {
		t.Errorf("Permanent: %v, permanent %v, wraps the cause %v", err, IsPermanent(err), errors.Is(err, cause))
	}
	if IsPermanent(cause) || IsPermanent(nil) || Permanent(nil) != nil {
		t.Error("an unmarked error, or nil, is permanent")
	}
}

package transport

import (
	"context"
	"io"
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

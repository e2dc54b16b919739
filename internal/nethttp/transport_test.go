package nethttp

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// now is 24 November 2026, 10:00 UK time, in every test.
var now = time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// fast retries keep the tests quick.
var fast = client.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}

func quiet() *log.Logger { return log.New(io.Discard, "", 0) }

// get sends a GET for u with New(hc).
func get(t *testing.T, hc *http.Client, u string, h transport.Header) (*transport.Response, error) {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := New(hc).Get(t.Context(), &transport.Request{URL: parsed, Header: h})
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

// TestRedirectsAreNotFollowed: a redirect is an answer, never followed,
// whatever the *http.Client would do: following it could carry the NHS
// number in the URL somewhere else.
func TestRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/mm/prescriptions", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere?"+r.URL.RawQuery, http.StatusFound)
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	following := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	for name, hc := range map[string]*http.Client{"a plain client": nil, "one that follows redirects": following} {
		resp, err := get(t, hc, srv.URL+"/mm/prescriptions?nhsNumber=9434765919", transport.Header{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if resp.StatusCode != http.StatusFound {
			t.Errorf("%s: HTTP %d, want the 302 itself", name, resp.StatusCode)
		}
	}
	c, err := client.New(client.WithBaseURL(srv.URL+"/mm/prescriptions"), client.WithASID("200000001234"),
		client.WithTransport(New(following)), client.WithClock(clock), client.WithRetryPolicy(fast))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Search(context.Background(), client.SearchQuery{NHSNumber: "9434765919"})
	var te *client.TransportError
	if !errors.As(err, &te) || te.StatusCode != http.StatusFound || te.Attempts != 1 {
		t.Errorf("search: %v, want a transport error for HTTP 302 after one attempt", err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

// TestHeaders: the request's headers are sent, and the answer's are read,
// a field sent twice as one value, the values joined by ", ".
func TestHeaders(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Asid", r.Header.Get("Spine-From-Asid"))
		w.Header().Set("X-Trace", r.Header.Get("Eps-TraceId"))
		w.Header().Add("Warning", "one")
		w.Header().Add("Warning", "two")
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	resp, err := get(t, nil, srv.URL, transport.Header{"Spine-From-Asid": "200000001234", "Eps-Traceid": "ept-1"})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"X-Asid": "200000001234", "X-Trace": "ept-1", "Warning": "one, two"} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != "{}" || resp.ContentLength != 2 {
		t.Errorf("body %q of length %d", body, resp.ContentLength)
	}
}

// TestErrorHoldsNoURL: a connection that fails gives an error without the
// URL, which holds patient identifiers, and one that a retry may mend.
func TestErrorHoldsNoURL(t *testing.T) {
	t.Parallel()
	_, err := get(t, nil, "http://127.0.0.1:1/mm/prescriptions?nhsNumber=9434765919", transport.Header{})
	var ue *url.Error
	if err == nil || errors.As(err, &ue) || strings.Contains(err.Error(), "9434765919") || strings.Contains(err.Error(), "127.0.0.1:1/") {
		t.Errorf("err = %v, want one without the URL", err)
	}
	if transport.IsPermanent(err) {
		t.Errorf("err = %v is marked permanent; a connection refused may be mended", err)
	}
}

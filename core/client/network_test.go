package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

// The tests here send over a real network, through the native host's
// adapter of net/http.

// TestErrorsMaskIdentifiers: whatever the base URL (a gateway's may have any
// path), an error names neither the NHS number nor the id in clear.
func TestErrorsMaskIdentifiers(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://127.0.0.1:1/tracker", "http://127.0.0.1:1/mm/prescriptions", "http://127.0.0.1:1"} {
		c, err := New(WithBaseURL(base), WithASID("200000001234"), WithTransport(nethttp.New(&http.Client{})),
			WithClock(clock), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: "CBEF44-000X26-41E1B+"})
		if err == nil || strings.Contains(err.Error(), "CBEF44") || strings.Contains(err.Error(), "000X26") {
			t.Errorf("%s: retrieve error %q", base, err)
		}
		_, err = c.Search(context.Background(), SearchQuery{NHSNumber: "9434765919"})
		if err == nil || strings.Contains(err.Error(), "9434765919") || strings.Contains(err.Error(), "943476") {
			t.Errorf("%s: search error %q", base, err)
		}
	}
}

// TestTruncatedOverTheNetwork: an answer cut off over a real connection is
// said to be cut off, as in process.
func TestTruncatedOverTheNetwork(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "js" {
		t.Skip("no loopback network in wasm")
	}
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock, Faults: sandbox.FaultConfig{PerRequest: true}})
	srv := httptest.NewServer(sandboxhttp.Handler(sb))
	defer srv.Close()
	sp := &spy{next: nethttp.New(srv.Client()), fault: "truncate", faulty: -1}
	c, err := New(WithBaseURL(srv.URL+"/mm/prescriptions"), WithASID("200000001234"),
		WithTransport(sp), WithClock(clock), WithRetryPolicy(fast))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
	wantTruncated(t, err)
}

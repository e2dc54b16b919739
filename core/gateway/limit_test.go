package gateway_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/gateway"
)

// TestRateLimit: past a user's burst the gateway answers 429 with how
// long to wait, forwards nothing, and lets another user through; the user
// may ask again once the wait is over.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := setup(t, func(c *gateway.Config) { c.Rate, c.Burst = 0.5, 2 })
	other := claims()
	other["sub"] = "user-subject-2"
	otherToken := map[string]string{"Authorization": "Bearer " + sign(t, gateway.ES256, other)}
	for i := range 2 {
		if w := e.do(t, "GET", e.search(), nil); w.Code != 200 {
			t.Fatalf("request %d: HTTP %d", i+1, w.Code)
		}
	}
	w := e.do(t, "GET", e.search(), nil)
	checkSecure(t, w)
	if kind, msg := errorOf(t, w); w.Code != 429 || w.Header().Get("Retry-After") != "2" || kind != gateway.OutcomeRateLimited || msg != "Too many requests from this user: wait 2 seconds, then try again." {
		t.Fatalf("HTTP %d, Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	e.clock.add(time.Second)
	if w := e.do(t, "GET", e.search(), nil); w.Code != 429 || w.Header().Get("Retry-After") != "1" || !strings.Contains(w.Body.String(), "wait a second,") {
		t.Errorf("a second later: HTTP %d, Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if w := e.do(t, "GET", e.search(), otherToken); w.Code != 200 {
		t.Errorf("another user: HTTP %d", w.Code)
	}
	e.clock.add(time.Second)
	if w := e.do(t, "GET", e.search(), nil); w.Code != 200 {
		t.Errorf("after the wait: HTTP %d", w.Code)
	}
	if n := len(e.up.forwarded()); n != 4 {
		t.Errorf("forwarded %d requests, want 4", n)
	}
	recs := e.audit.all()
	if len(recs) != 6 || recs[2].Outcome != gateway.OutcomeRateLimited || recs[2].HTTPStatus != 429 || recs[2].Subject != "user-subject-1" {
		t.Errorf("records %+v", recs)
	}
}

// TestNoRateLimit: an infinite rate is no limit.
func TestNoRateLimit(t *testing.T) {
	t.Parallel()
	e := setup(t, func(c *gateway.Config) { c.Rate = math.Inf(1) })
	token := map[string]string{"Authorization": "Bearer " + sign(t, gateway.EdDSA, claims())}
	for i := range 3 * gateway.DefaultBurst {
		if w := e.do(t, "GET", e.search(), token); w.Code != 200 {
			t.Fatalf("request %d: HTTP %d", i+1, w.Code)
		}
	}
}

// TestRateLimitAnonymous: without authentication (the sandbox), each
// address has its own limit.
func TestRateLimitAnonymous(t *testing.T) {
	t.Parallel()
	e := setup(t, func(c *gateway.Config) {
		c.Auth, c.Transport, c.Upstream, c.ASID, c.Rate, c.Burst = nil, sharedSandbox(), "", "", 1, 1
	})
	for _, tt := range []struct {
		addr   string
		status int
	}{{"192.0.2.1:1000", 200}, {"192.0.2.1:1001", 429}, {"192.0.2.2:1000", 200}} {
		r := httptestRequest(t, "GET", e.search())
		r.RemoteAddr = tt.addr
		if w := serve(e.h, r); w.Code != tt.status {
			t.Errorf("%s: HTTP %d, want %d", tt.addr, w.Code, tt.status)
		}
	}
}

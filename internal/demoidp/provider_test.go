package demoidp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/internal/demoidp"
)

// start is 24 November 2026, 10:00 UTC.
var start = time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC)

// clock is a clock a test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// demo is a provider and a gateway in front of the sandbox that trusts
// it, on one clock, with the records the gateway kept.
type demo struct {
	idp     *demoidp.Provider
	gw      *gateway.Handler
	clock   *clock
	mu      sync.Mutex
	records []audit.Record
	search  string
}

func setup(t *testing.T) *demo {
	t.Helper()
	d := &demo{clock: &clock{t: start}}
	var err error
	if d.idp, err = demoidp.New(d.clock.now); err != nil {
		t.Fatal(err)
	}
	auth, err := d.idp.Auth()
	if err != nil {
		t.Fatal(err)
	}
	key, err := audit.NewKey(strings.Repeat("demo-key-", 4))
	if err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(sandbox.Config{Now: d.clock.now})
	d.search = "/mm/prescriptions?format=trace-summary&nhsNumber=" + sb.Patients()[0].NHSNumber
	d.gw, err = gateway.New(gateway.Config{Transport: sb, Auth: auth, AuditKey: key, Now: d.clock.now,
		Audit: audit.SinkFunc(func(_ context.Context, r audit.Record) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.records = append(d.records, r)
			return nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ask sends a search to the gateway with token, and returns its status
// and the record it kept.
func (d *demo) ask(t *testing.T, token string) (int, audit.Record) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, d.search, nil)
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	d.gw.ServeHTTP(w, r)
	d.mu.Lock()
	defer d.mu.Unlock()
	return w.Code, d.records[len(d.records)-1]
}

// TestToken: the gateway takes the provider's token, and records the
// synthetic user as the caller; once it has expired, it is refused.
func TestToken(t *testing.T) {
	t.Parallel()
	d := setup(t)
	tok, err := d.idp.Token()
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(demoidp.Lifetime); !tok.ExpiresAt.Equal(want) {
		t.Errorf("expires at %v, want %v", tok.ExpiresAt, want)
	}
	status, rec := d.ask(t, tok.Token)
	got := []string{rec.Issuer, rec.Subject, rec.UserID, rec.RoleProfileID, rec.Outcome}
	if want := []string{demoidp.Issuer, demoidp.UserID, demoidp.UserID, demoidp.RoleProfileID, "0"}; status != 200 || !cmp.Equal(got, want) {
		t.Errorf("HTTP %d, record %v; want 200, %v", status, got, want)
	}

	d.clock.add(demoidp.Lifetime + gateway.DefaultLeeway + time.Second)
	if status, rec := d.ask(t, tok.Token); status != http.StatusUnauthorized || rec.Outcome != gateway.OutcomeUnauthenticated {
		t.Errorf("expired: HTTP %d, outcome %q", status, rec.Outcome)
	}
}

// TestKeyOfItsOwn: each provider signs with a key of its own, so that a
// token of one run of the server is no good in another.
func TestKeyOfItsOwn(t *testing.T) {
	t.Parallel()
	d := setup(t)
	other, err := demoidp.New(d.clock.now)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := other.Token()
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := d.ask(t, tok.Token); status != http.StatusUnauthorized {
		t.Errorf("another provider's token: HTTP %d", status)
	}
}

// TestServeHTTP: a page of the server's own origin gets a token the
// gateway takes, never stored; a page of another site or origin gets
// none.
func TestServeHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"a command line", nil, 200},
		{"a page of the origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200},
		{"a page of the origin, saying so", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8080"}, 200},
		{"a page of another site", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"}, 403},
		{"a page of another origin of the site", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"another origin, without Sec-Fetch-Site", map[string]string{"Origin": "http://127.0.0.1:9999"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := setup(t)
			r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/demo/token", nil)
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			d.idp.ServeHTTP(w, r)
			if w.Code != tt.status || w.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("HTTP %d, Cache-Control %q; want %d, no-store: %s", w.Code, w.Header().Get("Cache-Control"), tt.status, w.Body)
			}
			if tt.status != 200 {
				return
			}
			var tok demoidp.Token
			if err := json.Unmarshal(w.Body.Bytes(), &tok); err != nil || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("%v, %q: %s", err, w.Header().Get("Content-Type"), w.Body)
			}
			if status, _ := d.ask(t, tok.Token); status != 200 {
				t.Errorf("the token given: HTTP %d", status)
			}
		})
	}
}

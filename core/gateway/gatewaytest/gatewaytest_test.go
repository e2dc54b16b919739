//go:build !js

// (A js/wasm host has no listener for a test server.)

package gatewaytest_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
)

// TestNative runs the cases against the gateway served natively, in front
// of the in-process sandbox: the lane every other host's is compared with.
func TestNative(t *testing.T) {
	issuer, err := gatewaytest.NewIssuer(gateway.RS256)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := gateway.ParseJWKS(issuer.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	key, err := audit.NewKey("a site's audit key, for the tests only, long enough")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	records := map[string]audit.Record{}
	sb := sandbox.New(sandbox.Config{})
	h, err := gateway.New(gateway.Config{
		Prefix:       "/spine",
		Transport:    sb,
		Auth:         &gateway.Auth{Keys: keys, Issuer: issuer.Name, Audience: issuer.Audience},
		AllowOrigins: []string{"https://portal.example"},
		AuditKey:     key,
		Audit: audit.SinkFunc(func(_ context.Context, r audit.Record) error {
			mu.Lock()
			defer mu.Unlock()
			records[r.TraceID] = r
			return nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	gatewaytest.Run(t, gatewaytest.Target{
		BaseURL: srv.URL + "/spine", Issuer: issuer, AllowedOrigin: "https://portal.example", AuditKey: key, Sandbox: sb,
		Record: func(t testing.TB, trace string) audit.Record {
			t.Helper()
			mu.Lock()
			defer mu.Unlock()
			r, ok := records[trace]
			if !ok {
				t.Fatalf("no audit record of trace id %s", trace)
			}
			return r
		},
	})
}

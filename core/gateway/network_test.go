//go:build !js

// Tests over real connections: the gateway served by net/http, reaching a
// sandbox that requires the organisation's certificate, as Spine does.
// (A js/wasm host has no listener; the other tests call the handler.)

package gateway_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/internal/certs"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

// TestThroughTLSMA: the project's client, given a token by its host, asks
// the gateway, which asks a sandbox that requires the gateway's client
// certificate (TLS-MA); the answer and the record match the client's
// trace id.
func TestThroughTLSMA(t *testing.T) {
	t.Parallel()
	set, err := certs.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tlsCfg, err := set.ServerTLSConfig(true)
	if err != nil {
		t.Fatal(err)
	}
	spine := httptest.NewUnstartedServer(sandboxhttp.Handler(sharedSandbox()))
	spine.TLS = tlsCfg
	spine.StartTLS()
	t.Cleanup(spine.Close)
	hc, err := nethttp.NewTLSClient(nethttp.TLSConfig{CertPEM: set.ClientCertPEM, KeyPEM: set.ClientKeyPEM, CAPEM: set.CAPEM})
	if err != nil {
		t.Fatal(err)
	}
	e := setup(t, func(c *gateway.Config) { c.Upstream, c.Transport = spine.URL+"/mm/prescriptions", nethttp.New(hc) })
	gw := httptest.NewServer(e.h)
	t.Cleanup(gw.Close)

	token := sign(t, gateway.ES256, claims())
	withToken := transport.Func(func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
		req.Header["Authorization"] = "Bearer " + token // as the widget's host gives it
		return nethttp.New(gw.Client()).Get(ctx, req)
	})
	c, err := client.New(client.WithBaseURL(gw.URL+"/mm/prescriptions"), client.WithASID("000000000000"),
		client.WithTransport(withToken), client.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Search(context.Background(), client.SearchQuery{NHSNumber: e.patient.NHSNumber})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Prescriptions) != len(e.patient.PrescriptionIDs) {
		t.Errorf("found %d prescriptions, want %d", len(res.Prescriptions), len(e.patient.PrescriptionIDs))
	}
	_, err = c.Retrieve(context.Background(), client.RetrieveQuery{PrescriptionID: "C0C757-A83008-C2D93O"})
	if !errors.Is(err, tracker.ErrNotFound) {
		t.Errorf("an unknown id: %v, want Spine's not found", err)
	}
	recs := e.audit.all()
	if len(recs) != 2 || recs[0].Outcome != "0" || recs[0].TraceID != res.TraceID || recs[0].UpstreamLatency < 0 || recs[1].Outcome != "1" {
		t.Errorf("records %+v, the client's trace id %s", recs, res.TraceID)
	}
}

// TestRedirectNotFollowed: an upstream that redirects gets a 502, and the
// place it points to is never asked.
func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	var asked atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { asked.Add(1) }))
	t.Cleanup(elsewhere.Close)
	redirecting := httptest.NewServer(http.RedirectHandler(elsewhere.URL+"/steal", http.StatusTemporaryRedirect))
	t.Cleanup(redirecting.Close)
	e := setup(t, func(c *gateway.Config) {
		c.Upstream, c.Transport = redirecting.URL+"/mm/prescriptions", nethttp.New(redirecting.Client())
	})
	w := e.do(t, "GET", e.search(), nil)
	if kind, _ := errorOf(t, w); w.Code != 502 || kind != "upstream-307" || asked.Load() != 0 {
		t.Errorf("HTTP %d %s; the redirect's target asked %d times", w.Code, kind, asked.Load())
	}
}

//go:build !js

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// testOrigin is the portal the Worker under test allows.
const testOrigin = "https://portal.example"

// testAuditKey is the Worker's audit key in the tests.
const testAuditKey = "a site's audit key, for the tests only, long enough"

// gatewayEnv is the environment of a Worker configured to trust issuer and
// forward to sp, as wrangler.toml's vars and secrets give it.
func gatewayEnv(sp *spine, issuer *gatewaytest.Issuer) map[string]string {
	return map[string]string{
		"UPSTREAM_URL":    sp.URL + "/mm/prescriptions",
		"ASID":            "200000001234",
		"JWKS":            string(issuer.JWKS()),
		"ISSUER":          issuer.Name,
		"AUDIENCE":        issuer.Audience,
		"ALLOWED_ORIGINS": testOrigin,
		"AUDIT_KEY":       testAuditKey,
		"PREFIX":          "/spine",
	}
}

// TestWorkerdGateway runs the gateway's handler cases against the Worker
// in workerd, in front of the sandbox reached through the mTLS binding:
// it answers each as the gateway does natively, and each request's audit
// record reaches the Worker's log.
func TestWorkerdGateway(t *testing.T) {
	sp := startSpine(t)
	issuer, err := gatewaytest.NewIssuer(gateway.RS256)
	if err != nil {
		t.Fatal(err)
	}
	w := startWorkerd(t, sp, gatewayEnv(sp, issuer), true)
	key, err := audit.NewKey(testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	gatewaytest.Run(t, gatewaytest.Target{
		BaseURL: w.gateway + "/spine", Issuer: issuer, AllowedOrigin: testOrigin, AuditKey: key, Sandbox: sp.sandbox,
		Record: func(t testing.TB, trace string) audit.Record {
			t.Helper()
			var r audit.Record
			if err := json.Unmarshal([]byte(w.out.audit(t, trace)), &r); err != nil {
				t.Fatalf("the audit record in the Worker's log is not a record's JSON: %v", err)
			}
			return r
		},
	})
}

// TestWorkerdKeysRotated: the identity provider publishes a new key and
// signs with it; the Worker, given JWKS_URL, fetches the keys from there
// with its own fetch for the first token of the new key, and accepts it.
func TestWorkerdKeysRotated(t *testing.T) {
	sp := startSpine(t)
	before, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	after, err := before.Rotated()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var asked []string
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Host+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(after.JWKS())
	}))
	t.Cleanup(idp.Close)
	env := gatewayEnv(sp, before)
	env["JWKS_URL"] = "https://idp.test.invalid/realms/portal/certs"
	w := startWorkerdWith(t, sp, env, true, idp.Listener.Addr().String())
	search := w.gateway + "/spine/mm/prescriptions?format=trace-summary&nhsNumber=" + sp.sandbox.Patients()[0].NHSNumber
	for i, issuer := range []*gatewaytest.Issuer{before, after, after} {
		req, _ := http.NewRequest(http.MethodGet, search, nil)
		req.Header.Set("Authorization", "Bearer "+issuer.Token(gatewaytest.Claims{}))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("request %d: HTTP %d: %.300s", i+1, resp.StatusCode, body)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"idp.test.invalid/realms/portal/certs"}; !slices.Equal(asked, want) {
		t.Errorf("the provider was asked for %q, want %q", asked, want)
	}
}

// TestWorkerdMisconfigured: a Worker whose settings are missing or wrong
// answers every request with a 500 that names each of them, and logs it.
func TestWorkerdMisconfigured(t *testing.T) {
	sp := startSpine(t)
	issuer, err := gatewaytest.NewIssuer(gateway.ES256)
	if err != nil {
		t.Fatal(err)
	}
	env := gatewayEnv(sp, issuer)
	delete(env, "ASID")
	env["AUDIT_KEY"] = "too short"
	env["RATE"] = "fast"
	w := startWorkerd(t, sp, env, true)
	for range 2 {
		resp, err := http.Get(w.gateway + "/spine/mm/prescriptions")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("status %d, want 500", resp.StatusCode)
		}
		for _, setting := range []string{"ASID: it is missing", "AUDIT_KEY: the audit key is too short", `RATE: "fast" is not a number`} {
			if !strings.Contains(string(body), setting) {
				t.Errorf("the answer does not say %q:\n%s", setting, body)
			}
		}
	}
	w.out.wait(t, "ASID: it is missing")
}

// TestWorkerdConcurrent: the one program in the isolate answers requests
// that overlap, each with its own answer, however their fetches to Spine
// interleave (a promise belongs to the request that made it, in workerd).
func TestWorkerdConcurrent(t *testing.T) {
	sp := startSpine(t)
	issuer, err := gatewaytest.NewIssuer(gateway.RS256)
	if err != nil {
		t.Fatal(err)
	}
	env := gatewayEnv(sp, issuer)
	env["RATE"] = "1000"
	w := startWorkerd(t, sp, env, true)
	var ids []string
	for _, p := range sp.sandbox.Patients() {
		ids = append(ids, p.PrescriptionIDs...)
	}
	base, _ := url.Parse(w.gateway + "/spine/mm/prescriptions")
	const clients, each = 8, 25
	token := issuer.Token(gatewaytest.Claims{})
	errs := make(chan error, clients*each)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				id := ids[(c*each+i)%len(ids)]
				req, _ := http.NewRequest(http.MethodGet, tracker.RetrieveURL(base, id, map[string]string{"format": tracker.RetrieveFormat}).String(), nil)
				req.Header.Set("Authorization", "Bearer "+token)
				errs <- retrieved(req, id)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// retrieved sends req, a retrieve of the prescription id, and says what is
// wrong with its answer: nil when it is that prescription's.
func retrieved(req *http.Request, id string) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch {
	case err != nil:
		return err
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("retrieve: status %d: %.200s", resp.StatusCode, body)
	case !bytes.Contains(body, []byte(id)):
		return fmt.Errorf("retrieve: the answer is not the prescription's: %.200s", body)
	}
	return nil
}

// TestWorkerdUpstreamTimeout: a Spine that does not answer is given up on
// after UPSTREAM_TIMEOUT, and the caller told so (504), as natively.
func TestWorkerdUpstreamTimeout(t *testing.T) {
	release := make(chan struct{})
	sp := startSpineWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select { // Spine stalls until the test is over
			case <-release:
			case <-r.Context().Done():
			}
		})
	})
	t.Cleanup(func() { close(release) })
	issuer, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	env := gatewayEnv(sp, issuer)
	env["UPSTREAM_TIMEOUT"] = "300ms"
	w := startWorkerd(t, sp, env, true)
	var id string
	for _, p := range sp.sandbox.Patients() {
		id = append(p.PrescriptionIDs, id)[0]
	}
	req, _ := http.NewRequest(http.MethodGet, w.gateway+"/spine/mm/prescriptions/"+url.PathEscape(id)+"?format=trace", nil)
	req.Header.Set("Authorization", "Bearer "+issuer.Token(gatewaytest.Claims{}))
	trace := "4b0f6a52-3a43-4c1e-9a57-8d7b7f0e2c11"
	req.Header.Set("X-Request-ID", trace)
	client := &http.Client{Timeout: 15 * time.Second} // the bound of a Worker that never answers
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusGatewayTimeout || !bytes.Contains(body, []byte(gateway.OutcomeTimeout)) {
		t.Errorf("status %d, body %s; want 504, %s", resp.StatusCode, body, gateway.OutcomeTimeout)
	}
	if record := w.out.audit(t, trace); !strings.Contains(record, `"outcome":"timeout"`) {
		t.Errorf("audit record %s", record)
	}
}

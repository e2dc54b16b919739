package cli

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/frontend"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
	"github.com/eps-tracker/eps-tracker/internal/certs"
	"github.com/eps-tracker/eps-tracker/internal/demoidp"
	"github.com/eps-tracker/eps-tracker/internal/site"
)

// serve runs "eps-tracker serve" with flags on a free port until the test
// ends and returns the URL it prints, and what it printed.
func serve(t *testing.T, flags ...string) (base, out string) {
	t.Helper()
	base, stdout := serveEnv(t, nil, flags...)
	return base, stdout.String()
}

// serveEnv is serve with environment variables, returning its standard
// output as it goes on.
func serveEnv(t *testing.T, vars map[string]string, flags ...string) (base string, stdout *syncBuffer) {
	t.Helper()
	stdout = startEnv(t, vars, "Stop with Ctrl-C.", "Stopped.", append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)
	m := regexp.MustCompile(`EPS Tracker at (http://\S+)/\n`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("serve did not say where it listens: %s", stdout)
	}
	return m[1], stdout
}

func fetch(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// searchPath is the path and query of a search of the examples' patient,
// as a client sends it.
var searchPath = "/mm/prescriptions?format=trace-summary&nhsNumber=" + strings.ReplaceAll(exampleNHSNumber, " ", "")

// demoToken is a token of serve's demo sign-in, as the demo portal's page
// gets it.
func demoToken(t *testing.T, base string) string {
	t.Helper()
	resp, body := fetch(t, base+"/demo/token", "Sec-Fetch-Site", "same-origin")
	var tok demoidp.Token
	if err := json.Unmarshal([]byte(body), &tok); err != nil || resp.StatusCode != 200 || tok.Token == "" {
		t.Fatalf("/demo/token: HTTP %d, %v: %s", resp.StatusCode, err, body)
	}
	return tok.Token
}

// auditLinesOf are the audit records serve wrote as lines of JSON to its
// standard output, by trace id.
func auditLinesOf(t testing.TB, out string) map[string]audit.Record {
	t.Helper()
	recs := map[string]audit.Record{}
	lines := bufio.NewScanner(strings.NewReader(out))
	for lines.Scan() {
		if !strings.HasPrefix(lines.Text(), `{"audit":`) {
			continue
		}
		var l struct{ Audit audit.Record }
		if err := json.Unmarshal(lines.Bytes(), &l); err != nil {
			t.Fatalf("an audit line that is not a record: %v: %s", err, lines.Text())
		}
		recs[l.Audit.TraceID] = l.Audit
	}
	return recs
}

// TestServe: serve prints where the app, the demo portal and the gateway
// are, and serves them there, under the strict policy, until it is
// stopped. In front of the sandbox with no identity provider, a search
// without a token is answered, and one with a token of the demo sign-in
// is answered for its synthetic user; each is recorded on standard
// output, its patient never in clear.
func TestServe(t *testing.T) {
	t.Parallel()
	base, stdout := serveEnv(t, nil)
	out := stdout.String()
	for _, want := range []string{base + "/demo", base + "/mm/prescriptions\n", "in front of the built-in sandbox", base + "/demo/token",
		"under a key made for this run", "Synthetic patients — not real data"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve does not say %q:\n%s", want, out)
		}
	}
	built := site.Built(frontend.Dist())
	if said := strings.Contains(out, "built without its web interface"); said == built {
		t.Errorf("built %v, but serve says:\n%s", built, out)
	}
	for _, path := range []string{"/", "/demo"} {
		resp, body := fetch(t, base+path)
		if resp.Header.Get("Content-Security-Policy") != site.Policy {
			t.Errorf("%s: policy %q", path, resp.Header.Get("Content-Security-Policy"))
		}
		switch {
		case built && (resp.StatusCode != 200 || !strings.Contains(body, "<eps-tracker")):
			t.Errorf("%s: %d, without the widget:\n%s", path, resp.StatusCode, body)
		case !built && resp.StatusCode != http.StatusServiceUnavailable:
			t.Errorf("%s, not built: %d", path, resp.StatusCode)
		}
	}

	nhs := strings.ReplaceAll(exampleNHSNumber, " ", "")
	tests := []struct {
		name    string
		headers []string
		status  int
		want    audit.Record // who asked, and the outcome
	}{
		{"without a token", nil, 200, audit.Record{Outcome: "0", HTTPStatus: 200}},
		{"with the demo sign-in's token", []string{"Authorization", "Bearer " + demoToken(t, base)}, 200,
			audit.Record{Issuer: demoidp.Issuer, Subject: demoidp.UserID, UserID: demoidp.UserID, RoleProfileID: demoidp.RoleProfileID, Outcome: "0", HTTPStatus: 200}},
		{"with a token of no one's", []string{"Authorization", "Bearer not.a.token"}, 401,
			audit.Record{Outcome: gateway.OutcomeUnauthenticated, HTTPStatus: 401}},
	}
	for _, tt := range tests {
		resp, body := fetch(t, base+searchPath, tt.headers...)
		if resp.StatusCode != tt.status || tt.status == 200 && !strings.Contains(body, `"statusCode":"0"`) {
			t.Errorf("%s: HTTP %d: %.200s", tt.name, resp.StatusCode, body)
		}
		rec, ok := auditLinesOf(t, stdout.String())[resp.Header.Get("X-Request-ID")]
		if !ok {
			t.Errorf("%s: no audit line of the request", tt.name)
			continue
		}
		got := audit.Record{Issuer: rec.Issuer, Subject: rec.Subject, UserID: rec.UserID, RoleProfileID: rec.RoleProfileID,
			Outcome: rec.Outcome, HTTPStatus: rec.HTTPStatus}
		asked := rec.PatientMasked == redact.NHSNumber(nhs) && len(rec.Patient) == 64 // a refused token's request is not read
		if !cmp.Equal(got, tt.want) || rec.Kind != audit.Search || asked != (tt.status == 200) {
			t.Errorf("%s: record %+v", tt.name, rec)
		}
	}
	if strings.Contains(stdout.String(), nhs) {
		t.Errorf("the NHS number is in clear in serve's output:\n%s", stdout)
	}
}

// TestServeUsageErrors: flags that contradict each other, that would leave
// a real tracker open to anyone or unrecorded, or that cannot work, are
// refused before anything is served, each naming the flags at fault; an
// audit store is never made by a refused start.
func TestServeUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	issuer, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	jwks, notJWKS, notStore := filepath.Join(dir, "idp.json"), filepath.Join(dir, "notes.txt"), filepath.Join(dir, "other.db")
	for name, data := range map[string][]byte{jwks: issuer.JWKS(), notJWKS: []byte("a note"), notStore: []byte("not a database")} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	store := filepath.Join(dir, "audit.db")
	key := map[string]string{auditKeyVariable: testAuditKey}
	idp := []string{"--jwks", jwks, "--issuer", issuer.Name, "--audience", issuer.Audience}
	upstream := append([]string{"--upstream", "https://spine.example/mm/prescriptions", "--asid", "200000001234", "--audit-db", store}, idp...)
	with := func(base []string, more ...string) []string {
		return append(append([]string{"serve"}, base...), more...)
	}
	tests := []struct {
		name string
		args []string
		vars map[string]string
		code int
		says string
	}{
		{"an argument", with(nil, "9992574356"), nil, ExitUsage, `unexpected "*** *** 4356"`},
		{"an unknown flag", with(nil, "--port", "8080"), nil, ExitUsage, "flag provided but not defined: -port"},
		{"an address without a port", with(nil, "--addr", "localhost"), nil, ExitInvalid, "give --addr as HOST:PORT"},
		{"--faults with --upstream", with(upstream, "--faults"), key, ExitUsage, "--faults and --upstream do not go together"},
		{"a certificate for the sandbox", with(nil, "--cert", "c.pem", "--key", "k.pem"), nil, ExitUsage,
			"the built-in sandbox takes no ASID or certificate, but --cert and --key are given: give --upstream"},
		{"an ASID for the sandbox", with(nil, "--asid", "200000001234"), nil, ExitUsage, "but --asid is given"},
		{"the certificate twice", with(upstream, "--p12", "c.p12", "--cert", "c.pem"), key, ExitUsage, "given twice, as a PKCS#12 file (--p12) and as PEM files (--cert)"},
		{"--jwks alone", with(nil, "--jwks", jwks), nil, ExitUsage,
			"it needs all three: --issuer (its issuer, as its tokens' iss claim has it) and --audience (what its tokens are issued for: for an ID token, the portal's client id) are missing"},
		{"no --audience", with(nil, "--jwks", jwks, "--issuer", issuer.Name), nil, ExitUsage, "it needs all three: --audience (what its tokens"},
		{"--upstream without an identity provider", with(nil, "--upstream", "https://spine.example/mm/prescriptions", "--audit-db", store), key, ExitUsage,
			"its callers must be authenticated: give the portal's identity provider with --jwks, --issuer and --audience"},
		{"--upstream without an audit store", with(idp, "--upstream", "https://spine.example/mm/prescriptions"), nil, ExitUsage,
			"must be recorded in an audit store: give --audit-db FILE, with the site's audit key in EPS_TRACKER_AUDIT_KEY"},
		{"--audit-db without the key", with(nil, "--audit-db", store), nil, ExitUsage,
			"--audit-db keeps each patient's lookups under the site's audit key, read only from EPS_TRACKER_AUDIT_KEY, which is not set"},
		{"a short key", with(nil, "--audit-db", store), map[string]string{auditKeyVariable: "short"}, ExitUsage, "EPS_TRACKER_AUDIT_KEY is too short"},
		{"a short key without a store", with(nil), map[string]string{auditKeyVariable: "short"}, ExitUsage, "EPS_TRACKER_AUDIT_KEY is too short"},
		{"a rate of 0", with(nil, "--rate", "0"), nil, ExitUsage, "--rate 0 is not a rate"},
		{"a rate below 0", with(nil, "--rate", "-2"), nil, ExitUsage, "--rate -2 is not a rate"},
		{"a rate not a number", with(nil, "--rate", "NaN"), nil, ExitUsage, "--rate NaN is not a rate"},
		{"a rate not a rate", with(nil, "--rate", "fast"), nil, ExitUsage, `invalid value "fast" for flag -rate`},
		{"any origin", with(nil, "--allow-origin", "*"), nil, ExitUsage, `--allow-origin: "*"`},
		{"an origin with a path", with(nil, "--allow-origin", "https://portal.example/records"), nil, ExitUsage, `--allow-origin: "https://portal.example/records"`},
		{"keys not there", with(nil, "--jwks", filepath.Join(dir, "none.json"), "--issuer", "i", "--audience", "a"), nil, ExitInvalid,
			"none.json: cannot read the keys: no such file or directory"},
		{"keys not JWKS", with(nil, "--jwks", notJWKS, "--issuer", "i", "--audience", "a"), nil, ExitInvalid, "the JWKS document is not JSON"},
		{"keys over http", with(nil, "--jwks", "http://idp.example/jwks", "--issuer", "i", "--audience", "a"), nil, ExitInvalid,
			"the keys are fetched over https only"},
		{"an upstream that is not the tracker", with(upstream[2:], "--upstream", "https://spine.example/other"), key, ExitUsage,
			`--upstream: its path "/other" does not end in /mm/prescriptions`},
		{"an upstream over http", with(upstream[2:], "--upstream", "http://spine.example/mm/prescriptions"), key, ExitUsage,
			"--upstream: it must be https"},
		{"a bad ASID", with(upstream, "--asid", "1234"), key, ExitUsage, "--asid: give the gateway's ASID, the 12 digits"},
		{"no ASID", with(append(upstream[:2:2], upstream[4:]...)), key, ExitUsage, "--asid: give the gateway's ASID"},
		{"a certificate not there", with(upstream, "--cert", filepath.Join(dir, "none.pem"), "--key", filepath.Join(dir, "none-key.pem")), key, ExitUsage, "none.pem"},
		{"a store that is not one", with(nil, "--audit-db", notStore), key, ExitInvalid, "not an audit store of EPS Tracker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runEnv(t, tt.vars, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.says) {
				t.Errorf("exit %d, %q; want %d saying %q", code, stderr, tt.code, tt.says)
			}
		})
	}
	t.Cleanup(func() {
		if _, err := os.Stat(store); err == nil {
			t.Errorf("a refused start made the audit store %s", store)
		}
		if b, _ := os.ReadFile(notStore); string(b) != "not a database" {
			t.Errorf("a file that is not an audit store was changed: %q", b)
		}
	})
}

// TestServeFaults: with --faults, a request to the gateway chooses the
// sandbox's failure with the Sandbox-Fault header, as a test of a widget
// pointed at the server needs; without it, the header is ignored.
func TestServeFaults(t *testing.T) {
	t.Parallel()
	faulty, out := serve(t, "--faults")
	if !strings.Contains(out, "Fault injection is on") {
		t.Errorf("serve --faults does not say so:\n%s", out)
	}
	if resp, _ := fetch(t, faulty+searchPath, "Sandbox-Fault", "status:503"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("with --faults, Sandbox-Fault: status:503 got %d", resp.StatusCode)
	}
	if resp, _ := fetch(t, faulty+searchPath); resp.StatusCode != http.StatusOK {
		t.Errorf("with --faults, no Sandbox-Fault got %d", resp.StatusCode)
	}

	base, out := serve(t)
	if strings.Contains(out, "Fault injection") {
		t.Errorf("serve without --faults says:\n%s", out)
	}
	if resp, _ := fetch(t, base+searchPath, "Sandbox-Fault", "status:503"); resp.StatusCode != http.StatusOK {
		t.Errorf("without --faults, Sandbox-Fault: status:503 got %d", resp.StatusCode)
	}
}

// TestServeGateway: serve with a portal's identity provider (--jwks,
// --issuer, --audience) and an origin allowed answers each of the
// gateway's cases as the gateway does, and records each under the site's
// key.
func TestServeGateway(t *testing.T) {
	t.Parallel()
	issuer, err := gatewaytest.NewIssuer(gateway.ES256)
	if err != nil {
		t.Fatal(err)
	}
	jwks := filepath.Join(t.TempDir(), "idp.json")
	if err := os.WriteFile(jwks, issuer.JWKS(), 0o600); err != nil {
		t.Fatal(err)
	}
	key, err := audit.NewKey(testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	const portal = "https://portal.example"
	base, stdout := serveEnv(t, map[string]string{auditKeyVariable: testAuditKey},
		"--jwks", jwks, "--issuer", issuer.Name, "--audience", issuer.Audience, "--allow-origin", portal, "--rate", "1000")
	if want := "Callers: signed in to " + issuer.Name; !strings.Contains(stdout.String(), want) {
		t.Errorf("serve does not say %q:\n%s", want, stdout)
	}
	if resp, _ := fetch(t, base+"/demo/token"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("with the portal's identity provider, the demo sign-in answers: %d", resp.StatusCode)
	}
	gatewaytest.Run(t, gatewaytest.Target{BaseURL: base, Issuer: issuer, AllowedOrigin: portal, AuditKey: key,
		Sandbox: sandbox.New(sandbox.Config{}),
		Record: func(t testing.TB, trace string) audit.Record {
			t.Helper()
			rec, ok := auditLinesOf(t, stdout.String())[trace]
			if !ok {
				t.Fatalf("no audit line of %s", trace)
			}
			return rec
		}})
}

// TestServeAuditStore: with --audit-db, each request answered through the
// gateway is in the store before its answer, found by the patient's NHS
// number under the site's key; once serve has stopped, the chain is
// intact.
func TestServeAuditStore(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "audit.db")
	key, err := audit.NewKey(testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // after serve has stopped (clean-ups run last first)
		s, err := auditstore.OpenExisting(db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if r, err := s.Verify(context.Background()); err != nil || !r.Intact() || r.Records != 2 {
			t.Errorf("the store once serve stopped: %+v, %v; want 2 records, intact", r, err)
		}
	})
	base, stdout := serveEnv(t, map[string]string{auditKeyVariable: testAuditKey}, "--audit-db", db)
	if want := "every request recorded in " + db; !strings.Contains(stdout.String(), want) {
		t.Errorf("serve does not say %q:\n%s", want, stdout)
	}
	s, err := auditstore.OpenExisting(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	nhs := strings.ReplaceAll(exampleNHSNumber, " ", "")
	for i, headers := range [][]string{nil, {"Authorization", "Bearer " + demoToken(t, base)}} {
		resp, body := fetch(t, base+searchPath, headers...)
		if resp.StatusCode != 200 || !strings.Contains(body, `"statusCode":"0"`) {
			t.Fatalf("HTTP %d: %.200s", resp.StatusCode, body)
		}
		found, err := s.Search(context.Background(), audit.Search, key.Identify(audit.Search, nhs))
		if err != nil || len(found) != i+1 {
			t.Fatalf("the store has %d searches of the patient (%v), want %d", len(found), err, i+1)
		}
		if rec := found[i]; rec.TraceID != resp.Header.Get("X-Request-ID") || rec.Outcome != "0" || (headers != nil) != (rec.UserID == demoidp.UserID) {
			t.Errorf("search %d: record %+v", i+1, rec)
		}
	}
	if lines := auditLinesOf(t, stdout.String()); len(lines) != 0 {
		t.Errorf("with an audit store, records on standard output too: %v", lines)
	}
}

// TestServeUpstream: with --upstream, the gateway stands in front of a
// tracker it reaches with the organisation's certificate (TLS mutual
// authentication, as Spine requires: here the sandbox served so), for
// callers signed in to the portal, and records each request in the store.
func TestServeUpstream(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	set, err := certs.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	paths, err := set.WriteFiles(filepath.Join(dir, "certs"))
	if err != nil {
		t.Fatal(err)
	}
	upstream, _ := serveSandbox(t, "--tls-cert", paths["server.pem"], "--tls-key", paths["server-key.pem"], "--client-ca", paths["ca.pem"])
	issuer, err := gatewaytest.NewIssuer(gateway.RS256)
	if err != nil {
		t.Fatal(err)
	}
	jwks := filepath.Join(dir, "idp.json")
	if err := os.WriteFile(jwks, issuer.JWKS(), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "audit.db")
	base, stdout := serveEnv(t, map[string]string{auditKeyVariable: testAuditKey}, "--upstream", upstream, "--asid", "200000001234",
		"--cert", paths["client.pem"], "--key", paths["client-key.pem"], "--ca", paths["ca.pem"],
		"--jwks", jwks, "--issuer", issuer.Name, "--audience", issuer.Audience, "--audit-db", db)
	for _, want := range []string{"in front of " + upstream, "every request recorded in " + db} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("serve does not say %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout.String(), "Synthetic patients") || strings.Contains(stdout.String(), "/demo") {
		t.Errorf("in front of another tracker, serve speaks of the sandbox or its demo:\n%s", stdout)
	}

	nhs := strings.ReplaceAll(exampleNHSNumber, " ", "")
	if resp, _ := fetch(t, base+searchPath); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: HTTP %d", resp.StatusCode)
	}
	resp, body := fetch(t, base+searchPath, "Authorization", "Bearer "+issuer.Token(gatewaytest.Claims{}))
	if resp.StatusCode != 200 || !strings.Contains(body, `"statusCode":"0"`) {
		t.Fatalf("with a token: HTTP %d: %.200s", resp.StatusCode, body)
	}
	s, err := auditstore.OpenExisting(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key, err := audit.NewKey(testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	found, err := s.Search(context.Background(), audit.Search, key.Identify(audit.Search, nhs))
	if err != nil || len(found) != 1 {
		t.Fatalf("%d searches of the patient recorded (%v), want 1", len(found), err)
	}
	if rec := found[0]; rec.TraceID != resp.Header.Get("X-Request-ID") || rec.UserID != gatewaytest.DefaultUserID || rec.Outcome != "0" || rec.UpstreamLatency <= 0 {
		t.Errorf("record %+v", rec)
	}
}

// TestServeKeysRotated: the identity provider publishes a new key and signs
// with it; serve, given the provider's JWKS document at a URL or in a
// file, reads it again for the first token of the new key and accepts it.
func TestServeKeysRotated(t *testing.T) {
	t.Parallel()
	before, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	after, err := before.Rotated()
	if err != nil {
		t.Fatal(err)
	}
	var published atomic.Pointer[[]byte]
	doc := before.JWKS()
	published.Store(&doc)
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(*published.Load())
	}))
	t.Cleanup(idp.Close)
	file := filepath.Join(t.TempDir(), "idp.json")
	if err := os.WriteFile(file, before.JWKS(), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		keys    string
		publish func()
	}{
		"at a URL": {idp.URL + "/jwks", func() { doc := after.JWKS(); published.Store(&doc) }},
		"in a file": {file, func() {
			if err := os.WriteFile(file, after.JWKS(), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(name, func(t *testing.T) {
			base, _ := serve(t, "--jwks", tt.keys, "--issuer", before.Name, "--audience", before.Audience)
			if resp, body := fetch(t, base+searchPath, "Authorization", "Bearer "+before.Token(gatewaytest.Claims{})); resp.StatusCode != 200 {
				t.Fatalf("a token of the first key: HTTP %d: %.200s", resp.StatusCode, body)
			}
			tt.publish()
			if resp, body := fetch(t, base+searchPath, "Authorization", "Bearer "+after.Token(gatewaytest.Claims{})); resp.StatusCode != 200 {
				t.Errorf("a token of the new key, once published: HTTP %d: %.200s", resp.StatusCode, body)
			}
		})
	}
}

// TestServeKeys: the identity provider's keys are read from a JWKS
// document at a URL (fetched as serve starts), or from PEM public keys in
// a file, as well as from a JWKS file; a URL that does not give them is
// refused, saying what it answered.
func TestServeKeys(t *testing.T) {
	t.Parallel()
	issuer, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/jwks" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(issuer.JWKS())
	}))
	t.Cleanup(idp.Close)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pemFile := filepath.Join(t.TempDir(), "idp.pem")
	if err := os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	pemToken, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims{"iss": issuer.Name, "aud": issuer.Audience,
		"sub": gatewaytest.DefaultUserID, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
		gateway.DefaultRoleClaim: gatewaytest.DefaultRoleProfileID}).SignedString(priv)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, keys, token string
	}{
		{"a JWKS document at a URL", idp.URL + "/jwks", issuer.Token(gatewaytest.Claims{})},
		{"PEM public keys in a file", pemFile, pemToken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base, _ := serve(t, "--jwks", tt.keys, "--issuer", issuer.Name, "--audience", issuer.Audience)
			if resp, body := fetch(t, base+searchPath, "Authorization", "Bearer "+tt.token); resp.StatusCode != 200 {
				t.Errorf("a token signed with the key: HTTP %d: %.200s", resp.StatusCode, body)
			}
			if resp, _ := fetch(t, base+searchPath); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("no token: HTTP %d", resp.StatusCode)
			}
		})
	}
	_, stderr, code := run(t, "", "serve", "--jwks", idp.URL+"/elsewhere", "--issuer", issuer.Name, "--audience", issuer.Audience)
	if want := "--jwks " + idp.URL + "/elsewhere: cannot fetch the keys: the provider answered HTTP 404"; code != ExitInvalid || !strings.Contains(stderr, want) {
		t.Errorf("keys not at the URL: exit %d, %q; want %d saying %q", code, stderr, ExitInvalid, want)
	}
}

package gateway_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// now is 24 November 2026, 10:00 UK time, in every test.
var now = time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC)

// The identity provider of the tests, and the portal's origin.
const (
	issuer   = "https://idp.example.nhs.uk/realms/Healthcare"
	audience = "portal-client-id"
	portal   = "https://portal.example.nhs.uk"
	asid     = "200000009999"
	userID   = "555021935107"
	roleID   = "555254242106"
)

// signers are the identity provider's private keys, one per algorithm,
// made once for all the tests (an RSA key takes a while, more in wasm).
var signers = sync.OnceValue(func() map[string]crypto.Signer {
	keys := map[string]crypto.Signer{}
	for _, alg := range []string{gateway.RS256, gateway.ES256, gateway.EdDSA} {
		k, err := gatewaytest.NewKey(alg)
		if err != nil {
			panic(err)
		}
		keys[alg] = k
	}
	return keys
})

// kids are the keys' ids in the identity provider's JWKS.
var kids = map[string]string{gateway.RS256: "rsa-1", gateway.ES256: "ec-1", gateway.EdDSA: "ed-1"}

// jwks is the identity provider's JWKS document, with an encryption key
// and a key of another type, which the gateway leaves out.
func jwks(t testing.TB) []byte {
	t.Helper()
	var keys []map[string]string
	for alg, s := range signers() {
		keys = append(keys, gatewaytest.JWK(alg, kids[alg], s.Public()))
	}
	keys = append(keys, map[string]string{"kty": "RSA", "use": "enc", "kid": "enc-1", "n": "AQAB", "e": "AQAB"},
		map[string]string{"kty": "oct", "kid": "hmac-1", "k": "c2VjcmV0"})
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// claims are a good token's claims; edit a copy to make a bad one.
func claims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": issuer, "aud": audience, "sub": "user-subject-1",
		"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
		"nhsid_useruid": userID, "selected_roleid": roleID,
	}
}

// sign signs c with the identity provider's key for alg, naming the key.
func sign(t testing.TB, alg string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.GetSigningMethod(alg), c)
	tok.Header["kid"] = kids[alg]
	s, err := tok.SignedString(signers()[alg])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// upstream is the sandbox behind a transport that counts and keeps what
// it is asked, so that a test sees what the gateway forwarded.
type upstream struct {
	sb *sandbox.Sandbox
	mu sync.Mutex
	// got are the requests forwarded.
	got []*transport.Request
	// answer, when set, answers instead of the sandbox.
	answer transport.Func
}

func (u *upstream) Get(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	u.mu.Lock()
	u.got = append(u.got, req)
	answer := u.answer
	u.mu.Unlock()
	if answer != nil {
		return answer(ctx, req)
	}
	return u.sb.Get(ctx, req)
}

// since returns the requests forwarded after the first n.
func (u *upstream) since(n int) []*transport.Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]*transport.Request(nil), u.got[n:]...)
}

func (u *upstream) forwarded() []*transport.Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]*transport.Request(nil), u.got...)
}

// records is an audit sink that keeps what it is given.
type records struct {
	mu   sync.Mutex
	recs []audit.Record
	fail error
}

func (s *records) Write(_ context.Context, r audit.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.recs = append(s.recs, r)
	return nil
}

// count returns how many records were kept, and the last.
func (s *records) count() (int, audit.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.recs) == 0 {
		return 0, audit.Record{}
	}
	return len(s.recs), s.recs[len(s.recs)-1]
}

func (s *records) all() []audit.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]audit.Record(nil), s.recs...)
}

// env is a gateway under test, with its upstream, audit and log.
type env struct {
	h        *gateway.Handler
	up       *upstream
	audit    *records
	log      *bytes.Buffer
	patient  sandbox.Patient
	clock    *clock
	auditKey audit.Key
}

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

// sharedSandbox is made once: its population takes a moment.
var sharedSandbox = sync.OnceValue(func() *sandbox.Sandbox {
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: func() time.Time { return now }})
	sb.Patients()
	return sb
})

// setup makes a gateway in front of the sandbox, authenticating with the
// JWKS, allowing the portal's origin; edit changes its Config first.
func setup(t testing.TB, edit ...func(*gateway.Config)) *env {
	t.Helper()
	keys, err := gateway.ParseJWKS(jwks(t))
	if err != nil {
		t.Fatal(err)
	}
	key, err := audit.NewKey(strings.Repeat("audit-key-", 4))
	if err != nil {
		t.Fatal(err)
	}
	sb := sharedSandbox()
	e := &env{up: &upstream{sb: sb}, audit: &records{}, log: &bytes.Buffer{}, clock: &clock{t: now}, auditKey: key}
	e.patient = sb.Patients()[0]
	cfg := gateway.Config{
		Upstream:     "https://spine.example/mm/prescriptions",
		Transport:    e.up,
		ASID:         asid,
		Auth:         &gateway.Auth{Keys: keys, Issuer: issuer, Audience: audience},
		AllowOrigins: []string{portal},
		Audit:        e.audit,
		AuditKey:     key,
		Now:          e.clock.now,
		Logger:       slog.New(slog.NewJSONHandler(&lockedWriter{w: e.log}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range edit {
		f(&cfg)
	}
	if e.h, err = gateway.New(cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

// lockedWriter lets a handler log from many requests at once.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// search is the path and query of a good search for the env's patient.
func (e *env) search() string {
	return "/mm/prescriptions?format=trace-summary&nhsNumber=" + e.patient.NHSNumber + "&earliestDate=20241124&latestDate=20261124"
}

// retrieve is the path and query of a good retrieve.
func (e *env) retrieve() string {
	return "/mm/prescriptions/" + e.patient.PrescriptionIDs[0] + "?format=trace"
}

// do sends a request with the given headers ("Authorization" is filled
// in with a good RS256 token unless given; give it "" for none).
func (e *env) do(t testing.TB, method, target string, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, "https://gateway.example"+target, nil)
	if _, ok := headers["Authorization"]; !ok {
		r.Header.Set("Authorization", "Bearer "+sign(t, gateway.RS256, claims()))
	}
	for k, v := range headers {
		if v != "" {
			r.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// checkSecure fails unless the answer has the security headers every
// answer must have.
func checkSecure(t testing.TB, w *httptest.ResponseRecorder) {
	t.Helper()
	for k, want := range map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Referrer-Policy":         "no-referrer",
		"Content-Security-Policy": gateway.Policy,
		"Vary":                    "Origin",
	} {
		if got := w.Header().Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(gateway.Policy, "default-src 'none'") || !strings.Contains(gateway.Policy, "frame-ancestors 'none'") {
		t.Errorf("policy %q is not restrictive", gateway.Policy)
	}
	if w.Header().Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID")
	}
}

// errorOf reads the JSON of an answer of the gateway's own.
func errorOf(t testing.TB, w *httptest.ResponseRecorder) (kind, message string) {
	t.Helper()
	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
		TraceID string `json:"traceId"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("the answer is not the gateway's JSON error: %v: %s", err, w.Body)
	}
	if body.TraceID != w.Header().Get("X-Request-ID") {
		t.Errorf("traceId %q, X-Request-ID %q", body.TraceID, w.Header().Get("X-Request-ID"))
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return body.Error, body.Message
}

// statusCode reads Spine's statusCode from an answer.
func statusCode(t testing.TB, w *httptest.ResponseRecorder) int {
	t.Helper()
	code, err := tracker.ParseStatus(w.Body.Bytes())
	if err != nil {
		t.Fatalf("not a tracker answer: %v: %s", err, w.Body)
	}
	return code
}

// answerWith is an upstream answer of the given status, type and body.
func answerWith(status int, contentType, body string, header ...string) transport.Func {
	return func(context.Context, *transport.Request) (*transport.Response, error) {
		h := transport.Header{"Content-Type": contentType}
		for i := 0; i+1 < len(header); i += 2 {
			h[header[i]] = header[i+1]
		}
		return &transport.Response{StatusCode: status, Header: h, ContentLength: int64(len(body)),
			Body: io.NopCloser(strings.NewReader(body))}, nil
	}
}

// httptestRequest is a request to the gateway, with a good token.
func httptestRequest(t testing.TB, method, target string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "https://gateway.example"+target, nil)
	r.Header.Set("Authorization", "Bearer "+sign(t, gateway.RS256, claims()))
	return r
}

// serve has h answer r.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

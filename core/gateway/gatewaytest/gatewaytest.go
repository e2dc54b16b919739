// Package gatewaytest holds the gateway's handler tests as cases that run
// against any running gateway, over HTTP: the native handler in a test
// server, and the same handler as a Cloudflare Worker in workerd. Each
// host runs the same cases with [Run], so that the gateway answers alike
// wherever it runs.
//
// The gateway under test must trust an [Issuer]'s keys (its JWKS document),
// issuer and audience, allow one origin, and forward to the sandbox, whose
// patients the cases look up.
package gatewaytest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// Target is a running gateway, as the cases see it.
type Target struct {
	// BaseURL is where the gateway answers, its prefix included:
	// "http://127.0.0.1:8080" or "http://127.0.0.1:8080/spine".
	BaseURL string
	// Issuer is the identity provider the gateway trusts.
	Issuer *Issuer
	// AllowedOrigin is an origin the gateway allows.
	AllowedOrigin string
	// AuditKey is the gateway's audit key, to find a patient's records.
	AuditKey audit.Key
	// Sandbox is the gateway's upstream, whose patients are looked up.
	Sandbox *sandbox.Sandbox
	// Record is the audit record the gateway kept of the request with this
	// trace id (each case sends its own), waiting for it if it must.
	Record func(t testing.TB, traceID string) audit.Record
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
}

// Case is one request to the gateway and what it must answer and record.
type Case struct {
	Name string
	// Method is the request's method, GET when empty.
	Method string
	// Path follows Target.BaseURL: /mm/prescriptions and a query, say.
	Path string
	// Token is the Authorization header's token; none when nil.
	Token func(*Issuer) string
	// Origin is the Origin header; none when empty.
	Origin string
	// Header holds more header fields.
	Header map[string]string

	// Status is the answer's status and Outcome the record's outcome:
	// Spine's statusCode ("0" found) when Spine answered.
	Status  int
	Outcome string
	// SpineCode, for an answer in Spine's words, is its statusCode.
	SpineCode string
	// Kind and Patient are what the record says was looked up: the NHS
	// number or prescription id in clear, which the record keeps as its
	// HMAC under the audit key, and masked.
	Kind    audit.Kind
	Patient string
	// Authenticated is whether the token was accepted, so that the record
	// names the caller; Forwarded, whether the request went to Spine.
	Authenticated, Forwarded bool
	// CORS is whether the answer lets the origin's page read it.
	CORS bool
	// Check checks more of the answer.
	Check func(t *testing.T, resp *http.Response, body []byte)
}

// Cases are the gateway's cases for target's sandbox: a search and a
// retrieve that succeed, and each refusal.
func Cases(tg Target) []Case {
	nhs, id := patient(tg.Sandbox)
	today := tg.Sandbox.Today()
	search := func(nhsNumber string) string {
		return fmt.Sprintf("/mm/prescriptions?format=%s&nhsNumber=%s&earliestDate=%s&latestDate=%s",
			tracker.SearchFormat, nhsNumber, today.AddDays(-700).Compact(), today.Compact())
	}
	retrieve := "/mm/prescriptions/" + id + "?format=" + tracker.RetrieveFormat
	good := func(i *Issuer) string { return i.Token(Claims{}) }
	wrongCheckDigit := nhs[:9] + strconv.Itoa((int(nhs[9]-'0')+1)%10)
	unauthenticated := func(missing bool) func(t *testing.T, resp *http.Response, _ []byte) {
		return func(t *testing.T, resp *http.Response, _ []byte) {
			challenge := resp.Header.Get("WWW-Authenticate")
			if !strings.HasPrefix(challenge, "Bearer ") || strings.Contains(challenge, "invalid_token") == missing {
				t.Errorf("WWW-Authenticate: %q", challenge)
			}
		}
	}
	return []Case{
		{Name: "a search with a token is answered by Spine", Path: search(nhs), Token: good, Origin: tg.AllowedOrigin,
			Status: 200, Outcome: "0", SpineCode: "0", Kind: audit.Search, Patient: nhs, Authenticated: true, Forwarded: true, CORS: true},
		{Name: "a retrieve with a token is answered by Spine", Path: retrieve, Token: good, Origin: tg.AllowedOrigin,
			Status: 200, Outcome: "0", SpineCode: "0", Kind: audit.Retrieve, Patient: id, Authenticated: true, Forwarded: true, CORS: true},
		{Name: "a request without an Origin, from a server, is answered", Path: search(nhs), Token: good,
			Status: 200, Outcome: "0", SpineCode: "0", Kind: audit.Search, Patient: nhs, Authenticated: true, Forwarded: true},
		{Name: "no token", Path: search(nhs), Origin: tg.AllowedOrigin,
			Status: 401, Outcome: gateway.OutcomeUnauthenticated, Kind: audit.Search, CORS: true, Check: unauthenticated(true)},
		{Name: "a bad signature", Path: search(nhs), Origin: tg.AllowedOrigin,
			Token:  func(i *Issuer) string { return i.Token(Claims{Stranger: true}) },
			Status: 401, Outcome: gateway.OutcomeUnauthenticated, Kind: audit.Search, CORS: true, Check: unauthenticated(false)},
		{Name: "the wrong audience", Path: search(nhs), Origin: tg.AllowedOrigin,
			Token:  func(i *Issuer) string { return i.Token(Claims{Audience: "another-service"}) },
			Status: 401, Outcome: gateway.OutcomeUnauthenticated, Kind: audit.Search, CORS: true, Check: unauthenticated(false)},
		{Name: "an expired token", Path: retrieve, Origin: tg.AllowedOrigin,
			Token:  func(i *Issuer) string { return i.Token(Claims{Expires: time.Now().Add(-time.Hour)}) },
			Status: 401, Outcome: gateway.OutcomeUnauthenticated, Kind: audit.Retrieve, CORS: true, Check: unauthenticated(false)},
		{Name: "an origin not allowed", Path: search(nhs), Token: good, Origin: "https://elsewhere.example",
			Status: 403, Outcome: gateway.OutcomeForbiddenOrigin},
		{Name: "a query Spine refuses is answered as Spine would, and not sent", Path: search(wrongCheckDigit), Token: good, Origin: tg.AllowedOrigin,
			Status: 200, Outcome: gateway.OutcomeValidation, SpineCode: strconv.Itoa(validate.SpineCode("nhsNumber")),
			Kind: audit.Search, Patient: wrongCheckDigit, Authenticated: true, CORS: true},
		{Name: "a preflight from the allowed origin", Method: http.MethodOptions, Path: "/mm/prescriptions", Origin: tg.AllowedOrigin,
			Header: map[string]string{"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
			Status: 204, Outcome: gateway.OutcomePreflight, Kind: audit.Search, CORS: true,
			Check: func(t *testing.T, resp *http.Response, _ []byte) {
				if got := resp.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "GET") {
					t.Errorf("Access-Control-Allow-Methods: %q", got)
				}
			}},
		{Name: "another path", Path: "/mm/other", Token: good,
			Status: 404, Outcome: gateway.OutcomeNotFound},
		{Name: "another method", Method: http.MethodPost, Path: search(nhs), Token: good,
			Status: 405, Outcome: gateway.OutcomeMethodNotAllowed, Kind: audit.Search,
			Check: func(t *testing.T, resp *http.Response, _ []byte) {
				if got := resp.Header.Get("Allow"); got != "GET, OPTIONS" {
					t.Errorf("Allow: %q", got)
				}
			}},
	}
}

// patient is the NHS number of the sandbox's first patient with a
// prescription, and the id of that prescription.
func patient(sb *sandbox.Sandbox) (nhsNumber, prescriptionID string) {
	for _, p := range sb.Patients() {
		if len(p.PrescriptionIDs) > 0 {
			return p.NHSNumber, p.PrescriptionIDs[0]
		}
	}
	panic("gatewaytest: the sandbox has no patient with a prescription")
}

// Run runs every case against tg, each a parallel subtest.
func Run(t *testing.T, tg Target) {
	t.Helper()
	for _, c := range Cases(tg) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			c.Run(t, tg)
		})
	}
}

// Run sends the case's request to tg and checks the answer and the
// record.
func (c Case) Run(t *testing.T, tg Target) {
	t.Helper()
	method := c.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, tg.BaseURL+c.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	trace := newTraceID(t)
	req.Header.Set("X-Request-ID", trace)
	if c.Token != nil {
		req.Header.Set("Authorization", "Bearer "+c.Token(tg.Issuer))
	}
	if c.Origin != "" {
		req.Header.Set("Origin", c.Origin)
	}
	for k, v := range c.Header {
		req.Header.Set(k, v)
	}
	client := tg.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}

	if resp.StatusCode != c.Status {
		t.Errorf("status %d, want %d; body %.300s", resp.StatusCode, c.Status, body)
	}
	for name, want := range map[string]string{
		"Content-Security-Policy": gateway.Policy,
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"X-Request-Id":            trace,
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	wantCORS := ""
	if c.CORS {
		wantCORS = c.Origin
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != wantCORS {
		t.Errorf("Access-Control-Allow-Origin: %q, want %q", got, wantCORS)
	}
	if c.SpineCode != "" {
		var envelope struct {
			StatusCode string `json:"statusCode"`
		}
		if err := json.Unmarshal(body, &envelope); err != nil || envelope.StatusCode != c.SpineCode {
			t.Errorf("Spine's statusCode %q (%v), want %q; body %.300s", envelope.StatusCode, err, c.SpineCode, body)
		}
	}
	if c.Check != nil {
		c.Check(t, resp, body)
	}

	got := tg.Record(t, trace)
	want := audit.Record{Time: got.Time, Origin: c.Origin, Kind: c.Kind, Outcome: c.Outcome, HTTPStatus: c.Status,
		TraceID: trace, Filters: got.Filters}
	if c.Forwarded {
		want.UpstreamLatency = got.UpstreamLatency
	}
	if c.Patient != "" {
		want.Patient = tg.AuditKey.Identify(c.Kind, c.Patient)
		if c.Kind == audit.Search {
			want.PatientMasked = redact.NHSNumber(c.Patient)
		} else {
			want.PatientMasked = redact.PrescriptionID(c.Patient)
		}
	}
	if c.Authenticated {
		want.Issuer, want.Subject = tg.Issuer.Name, DefaultSubject
		want.UserID, want.RoleProfileID = DefaultUserID, DefaultRoleProfileID
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit record (-want +got):\n%s", diff)
	}
	if age := time.Since(got.Time); age < 0 || age > time.Hour {
		t.Errorf("audit record's time %v is not when the request was made", got.Time)
	}
}

// newTraceID is a random UUID, which the gateway takes as the request's
// trace id.
func newTraceID(t *testing.T) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

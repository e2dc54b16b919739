package gateway_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// TestSearchAndRetrieve: an authenticated caller's queries are forwarded
// with the gateway's ASID and the caller's user and role, the caller's own
// Spine headers and other parameters dropped; Spine's answer comes back as
// it was; one record says who asked about whom, without naming them.
func TestSearchAndRetrieve(t *testing.T) {
	t.Parallel()
	e := setup(t)
	id := e.patient.PrescriptionIDs[0]
	tests := []struct {
		name    string
		target  string
		kind    audit.Kind
		path    string
		query   url.Values
		patient string
		masked  string
		filters map[string]string
	}{
		{"search", e.search() + "&prescriptionStatus=0001&evil=1&NHSNUMBER=x&nhsNumber=9434765919", audit.Search,
			"/mm/prescriptions", url.Values{"format": {"trace-summary"}, "nhsNumber": {e.patient.NHSNumber}, "earliestDate": {"20241124"},
				"latestDate": {"20261124"}, "prescriptionStatus": {"0001"}},
			e.auditKey.Identify(audit.Search, e.patient.NHSNumber), redact.NHSNumber(e.patient.NHSNumber),
			map[string]string{"earliestDate": "20241124", "latestDate": "20261124", "prescriptionStatus": "0001"}},
		{"retrieve", "/mm/prescriptions/" + strings.ToLower(id) + "?format=trace&issueNumber=1&nhsNumber=" + e.patient.NHSNumber, audit.Retrieve,
			"/mm/prescriptions/" + strings.ToLower(id), url.Values{"format": {"trace"}, "issueNumber": {"1"}},
			e.auditKey.Identify(audit.Retrieve, id), redact.PrescriptionID(strings.ToLower(id)), map[string]string{"issueNumber": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			w := e.do(t, "GET", tt.target, map[string]string{
				"Origin": portal, "Spine-From-Asid": "000000000000", "Spine-UserId": "111111111111",
				"Spine-RoleProfileId": "222222222222", "Cookie": "session=1", "X-Forwarded-For": "10.0.0.1",
				"Eps-TraceId": "ept-0123456789abcdef01234567",
			})
			checkSecure(t, w)
			if w.Code != 200 || statusCode(t, w) != 0 {
				t.Fatalf("HTTP %d: %s", w.Code, w.Body)
			}
			got := e.up.forwarded()
			if len(got) != 1 {
				t.Fatalf("forwarded %d requests", len(got))
			}
			req := got[0]
			if req.URL.Scheme != "https" || req.URL.Host != "spine.example" || req.URL.Path != tt.path {
				t.Errorf("forwarded to %s", req.URL.Redacted())
			}
			if diff := cmp.Diff(tt.query, req.URL.Query()); diff != "" {
				t.Errorf("forwarded query (-want +got):\n%s", diff)
			}
			wantHeader := transport.Header{"Accept": "application/json", "User-Agent": "eps-tracker-gateway",
				"Spine-From-Asid": asid, "Spine-Userid": userID, "Spine-Roleprofileid": roleID,
				"Eps-Traceid": "ept-0123456789abcdef01234567", "X-Request-Id": "ept-0123456789abcdef01234567"}
			if diff := cmp.Diff(wantHeader, req.Header); diff != "" {
				t.Errorf("forwarded headers (-want +got):\n%s", diff)
			}
			for k, want := range map[string]string{"Access-Control-Allow-Origin": portal, "Eps-TraceId": "ept-0123456789abcdef01234567",
				"X-Request-ID": "ept-0123456789abcdef01234567", "Content-Type": "application/json"} {
				if v := w.Header().Get(k); v != want {
					t.Errorf("answer's %s = %q, want %q", k, v, want)
				}
			}
			want := []audit.Record{{Time: now, Issuer: issuer, Subject: "user-subject-1", UserID: userID, RoleProfileID: roleID,
				Origin: portal, Kind: tt.kind, Patient: tt.patient, PatientMasked: tt.masked, Filters: tt.filters,
				Outcome: "0", HTTPStatus: 200, TraceID: "ept-0123456789abcdef01234567"}}
			if diff := cmp.Diff(want, e.audit.all(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("audit (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSpineAnswersPassed: Spine's own verdicts (not found, issue not
// found) are passed on as they came and recorded with Spine's code.
func TestSpineAnswersPassed(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, tt := range []struct {
		target string
		code   int
	}{
		{"/mm/prescriptions/C0C757-A83008-C2D93O?format=trace", 1},
		{"/mm/prescriptions/" + e.patient.PrescriptionIDs[0] + "?format=trace&issueNumber=99", 3},
	} {
		w := e.do(t, "GET", tt.target, nil)
		if w.Code != 200 || statusCode(t, w) != tt.code {
			t.Errorf("%s: HTTP %d: %s", tt.target, w.Code, w.Body)
		}
	}
	recs := e.audit.all()
	if len(recs) != 2 || recs[0].Outcome != "1" || recs[1].Outcome != "3" || len(e.up.forwarded()) != 2 {
		t.Errorf("records %+v", recs)
	}
}

// TestTrainingSaid: when the upstream's answer says it is a training
// sandbox, the gateway passes that on, readable by an allowed page, so the
// widget shows the training banner; an upstream that does not say so
// (Spine) gets no such header.
func TestTrainingSaid(t *testing.T) {
	t.Parallel()
	e := setup(t)
	origin := map[string]string{"Origin": portal}
	w := e.do(t, "GET", e.search(), origin)
	if got := w.Header().Get(sandbox.TrainingHeader); w.Code != 200 || got != sandbox.Training {
		t.Errorf("HTTP %d, %s %q; want %q", w.Code, sandbox.TrainingHeader, got, sandbox.Training)
	}
	if got := w.Header().Get("Access-Control-Expose-Headers"); !strings.Contains(got, sandbox.TrainingHeader) {
		t.Errorf("Access-Control-Expose-Headers %q does not expose %s", got, sandbox.TrainingHeader)
	}
	e.up.mu.Lock()
	e.up.answer = func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
		resp, err := e.up.sb.Get(ctx, req)
		if err == nil {
			delete(resp.Header, sandbox.TrainingHeader)
		}
		return resp, err
	}
	e.up.mu.Unlock()
	w = e.do(t, "GET", e.search(), origin)
	if got, ok := w.Header()[sandbox.TrainingHeader]; w.Code != 200 || ok {
		t.Errorf("HTTP %d, %s %q from an upstream that did not send it", w.Code, sandbox.TrainingHeader, got)
	}
}

// TestRefusals: every refusal of the gateway's own is answered with its
// status, headers and a plain reason, recorded once, and nothing is
// forwarded.
func TestRefusals(t *testing.T) {
	t.Parallel()
	expired := claims()
	expired["exp"] = now.Add(-time.Hour).Unix()
	tests := []struct {
		name    string
		method  string
		target  string
		headers map[string]string
		status  int
		outcome string
		header  map[string]string // headers the answer must have
		says    string            // what the message must say
	}{
		{"another path", "GET", "/mm/prescription", nil, 404, gateway.OutcomeNotFound, nil, "GET /mm/prescriptions"},
		{"below a retrieve", "GET", "/mm/prescriptions/A/B?format=trace", nil, 404, gateway.OutcomeNotFound, nil, "nothing here"},
		{"the root", "GET", "/", nil, 404, gateway.OutcomeNotFound, nil, "nothing here"},
		{"a path that only starts like it", "GET", "/mm/prescriptionsX", nil, 404, gateway.OutcomeNotFound, nil, "nothing here"},
		{"POST", "POST", "/mm/prescriptions", nil, 405, gateway.OutcomeMethodNotAllowed, map[string]string{"Allow": "GET, OPTIONS"}, "GET only"},
		{"DELETE a prescription", "DELETE", "/mm/prescriptions/C0C757-A83008-C2D93O", nil, 405, gateway.OutcomeMethodNotAllowed, map[string]string{"Allow": "GET, OPTIONS"}, "GET only"},
		{"HEAD", "HEAD", "/mm/prescriptions", nil, 405, gateway.OutcomeMethodNotAllowed, map[string]string{"Allow": "GET, OPTIONS"}, ""},
		{"no token", "GET", "/mm/prescriptions?format=trace-summary&nhsNumber=9434765919", map[string]string{"Authorization": ""}, 401, gateway.OutcomeUnauthenticated,
			map[string]string{"WWW-Authenticate": `Bearer realm="eps-tracker"`}, "No token was sent"},
		{"basic credentials", "GET", "/mm/prescriptions", map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}, 401, gateway.OutcomeUnauthenticated,
			map[string]string{"WWW-Authenticate": `Bearer realm="eps-tracker", error="invalid_token", error_description="The Authorization header is not a Bearer token: send Authorization: Bearer and the token from the portal's sign-in."`}, "not a Bearer token"},
		{"an expired token", "GET", "/mm/prescriptions", map[string]string{"Authorization": "Bearer " + sign(t, gateway.ES256, expired)}, 401, gateway.OutcomeUnauthenticated,
			map[string]string{"WWW-Authenticate": `Bearer realm="eps-tracker", error="invalid_token", error_description="The token has expired: sign in again."`}, "expired"},
		{"another origin", "GET", "/mm/prescriptions", map[string]string{"Origin": "https://evil.example"}, 403, gateway.OutcomeForbiddenOrigin, nil, "origin"},
		{"the portal's origin over http", "GET", "/mm/prescriptions", map[string]string{"Origin": "http://portal.example.nhs.uk"}, 403, gateway.OutcomeForbiddenOrigin, nil, "origin"},
		{"a preflight from another origin", "OPTIONS", "/mm/prescriptions", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}, 403, gateway.OutcomeForbiddenOrigin, nil, "origin"},
		{"a malformed query", "GET", "/mm/prescriptions?format=trace-summary&nhsNumber=9434765919&x=%zz", nil, 400, gateway.OutcomeValidation, nil, "malformed"},
		{"an issue number that is no number", "GET", "/mm/prescriptions/C0C757-A83008-C2D93O?format=trace&issueNumber=two", nil, 400, gateway.OutcomeValidation, nil, "ssue number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			w := e.do(t, tt.method, tt.target, tt.headers)
			checkSecure(t, w)
			if w.Code != tt.status {
				t.Fatalf("HTTP %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			for k, want := range tt.header {
				if got := w.Header().Get(k); got != want {
					t.Errorf("%s:\n got %s\nwant %s", k, got, want)
				}
			}
			if tt.method != "HEAD" {
				kind, msg := errorOf(t, w)
				if kind != tt.outcome || !strings.Contains(msg, tt.says) {
					t.Errorf("error %q %q, want %q saying %q", kind, msg, tt.outcome, tt.says)
				}
			}
			if w.Header().Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("CORS headers on a refusal to %q", tt.headers["Origin"])
			}
			if n := len(e.up.forwarded()); n != 0 {
				t.Errorf("forwarded %d requests", n)
			}
			recs := e.audit.all()
			if len(recs) != 1 || recs[0].Outcome != tt.outcome || recs[0].HTTPStatus != tt.status {
				t.Fatalf("records %+v", recs)
			}
			if tt.status == 401 && (recs[0].Subject != "" || recs[0].UserID != "") {
				t.Errorf("a refused token's claims were recorded: %+v", recs[0])
			}
		})
	}
}

// TestRecordBounded: what a caller sends in place of an identifier is
// kept in a record no longer than an identifier.
func TestRecordBounded(t *testing.T) {
	t.Parallel()
	e := setup(t)
	long := strings.Repeat("A1", 50_000)
	e.do(t, "GET", "/mm/prescriptions/"+long+"?format=trace", nil)
	e.do(t, "GET", "/mm/prescriptions?format=trace-summary&earliestDate="+long+"&nhsNumber="+strings.Repeat("9", 100_000), nil)
	for _, r := range e.audit.all() {
		if len(r.PatientMasked) > 64 || len(r.Patient) != 64 || len(r.Filters["earliestDate"]) > 64 {
			t.Errorf("a record of %d, %d and %d bytes", len(r.PatientMasked), len(r.Patient), len(r.Filters["earliestDate"]))
		}
	}
}

// TestRecordFilters: a record keeps in clear the filters a lookup asked
// about that are what Spine accepts (dates, status codes, versions, an
// issue number), which can hold no identifier; anything else typed in
// their place is masked, as an NHS number, an id or whole.
func TestRecordFilters(t *testing.T) {
	t.Parallel()
	e := setup(t)
	search := "/mm/prescriptions?format=trace-summary&nhsNumber=" + e.patient.NHSNumber
	retrieve := "/mm/prescriptions/" + e.patient.PrescriptionIDs[0] + "?format=trace"
	tests := []struct {
		name    string
		target  string
		filters map[string]string
	}{
		{"dates", search + "&earliestDate=20241225&latestDate=20261124",
			map[string]string{"earliestDate": "20241225", "latestDate": "20261124"}},
		{"a status and versions", search + "&prescriptionStatus=0006&prescriptionVersion=R2&version=2",
			map[string]string{"prescriptionStatus": "0006", "prescriptionVersion": "R2", "version": "2"}},
		{"an issue number and a version", retrieve + "&issueNumber=12&version=1.2",
			map[string]string{"issueNumber": "12", "version": "1.2"}},
		{"an NHS number for a date", search + "&earliestDate=9434765919&latestDate=943+476+5919",
			map[string]string{"earliestDate": "*** *** 5919", "latestDate": "*** *** 5919"}},
		{"a name for a date", search + "&earliestDate=John+Smith", map[string]string{"earliestDate": "**********"}},
		{"a date as people type it", search + "&latestDate=24/11/2026", map[string]string{"latestDate": "**********"}},
		{"a prescription id for a status", search + "&prescriptionStatus=" + e.patient.PrescriptionIDs[0],
			map[string]string{"prescriptionStatus": redact.PrescriptionID(e.patient.PrescriptionIDs[0])}},
		{"an NHS number for an issue number", retrieve + "&issueNumber=" + e.patient.NHSNumber,
			map[string]string{"issueNumber": redact.NHSNumber(e.patient.NHSNumber)}},
		{"a name for a version", retrieve + "&version=Mary+Jones", map[string]string{"version": "**********"}},
		{"a status that does not exist", search + "&prescriptionStatus=0010", map[string]string{"prescriptionStatus": "**********"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.do(t, "GET", tt.target, nil)
			recs := e.audit.all()
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			if diff := cmp.Diff(tt.filters, recs[0].Filters); diff != "" {
				t.Errorf("filters (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidatedAgain: a query Spine would refuse is answered as Spine
// answers it, HTTP 200 and Spine's code in its envelope, and not sent.
func TestValidatedAgain(t *testing.T) {
	t.Parallel()
	e := setup(t)
	nhs, id := e.patient.NHSNumber, e.patient.PrescriptionIDs[0]
	ok := "/mm/prescriptions?format=trace-summary&nhsNumber=" + nhs
	tests := []struct {
		name    string
		target  string
		headers map[string]string
		code    int
	}{
		{"no parameters", "/mm/prescriptions", nil, 50},
		{"only parameters the API does not define", "/mm/prescriptions?nhs=" + nhs, nil, 50},
		{"a retrieve with the search format", "/mm/prescriptions/" + id + "?format=trace-summary", nil, 50},
		{"an id too short", "/mm/prescriptions/ABC?format=trace", nil, 51},
		{"an id with an unencoded +", "/mm/prescriptions/" + id[:19] + "+?format=trace", nil, 51},
		{"a bad version", ok + "&version=v1", nil, 53},
		{"a bad trace id", ok, map[string]string{"Eps-TraceId": "a_b"}, 54},
		{"a date that does not exist", ok + "&earliestDate=20250231", nil, 57},
		{"a date as people type it", ok + "&latestDate=24/11/2026", nil, 57},
		{"an unknown status", ok + "&prescriptionStatus=0010", nil, 59},
		{"a bad version filter", ok + "&prescriptionVersion=R3", nil, 60},
		{"an NHS number with spaces", "/mm/prescriptions?format=trace-summary&nhsNumber=" + nhs[:3] + "+" + nhs[3:], nil, 61},
		{"an NHS number whose check digit is wrong", "/mm/prescriptions?format=trace-summary&nhsNumber=9434765918", nil, 61},
		{"the second NHS number good, the first not", "/mm/prescriptions?format=trace-summary&nhsNumber=123&nhsNumber=" + nhs, nil, 61},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			w := e.do(t, "GET", tt.target, tt.headers)
			checkSecure(t, w)
			if w.Code != 200 || statusCode(t, w) != tt.code {
				t.Fatalf("HTTP %d, want 200 with code %d: %s", w.Code, tt.code, w.Body)
			}
			if n := len(e.up.forwarded()); n != 0 {
				t.Errorf("forwarded %d requests", n)
			}
			if recs := e.audit.all(); len(recs) != 1 || recs[0].Outcome != gateway.OutcomeValidation || recs[0].UserID != userID {
				t.Errorf("records %+v", recs)
			}
		})
	}
}

// TestUpstreamAnswers: what the upstream answers other than a tracker
// answer is never passed on as it came: Spine busy keeps its status and
// Retry-After, a redirect is not followed, anything else is 502.
func TestUpstreamAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		answer     transport.Func
		status     int
		outcome    string
		retryAfter string
	}{
		{"busy, with a wait", answerWith(503, "text/html", "<html>busy</html>", "Retry-After", "7"), 503, "upstream-503", "7"},
		{"too many requests", answerWith(429, "text/plain", "slow down", "Retry-After", "Wed, 25 Nov 2026 10:00:00 GMT"), 429, "upstream-429", "Wed, 25 Nov 2026 10:00:00 GMT"},
		{"a bad Retry-After is not passed", answerWith(502, "text/plain", "x", "Retry-After", "soon\"<"), 502, "upstream-502", ""},
		{"a redirect", answerWith(302, "text/html", "", "Location", "https://elsewhere.example/"), 502, "upstream-302", ""},
		{"the certificate refused", answerWith(403, "text/html", "forbidden"), 502, "upstream-403", ""},
		{"not implemented", answerWith(501, "text/html", "no"), 502, "upstream-501", ""},
		{"an HTML page with 200", answerWith(200, "text/html", "<html>login</html>"), 502, gateway.OutcomeUnreadable, ""},
		{"a body far too large", answerWith(200, "application/json", `{"statusCode":"0","x":"`+strings.Repeat("a", 10<<20)+`"}`), 502, gateway.OutcomeUnreadable, ""},
		{"no answer", func(context.Context, *transport.Request) (*transport.Response, error) {
			return nil, errors.New("connection refused")
		}, 502, gateway.OutcomeTransport, ""},
		{"an answer cut short", func(context.Context, *transport.Request) (*transport.Response, error) {
			return &transport.Response{StatusCode: 200, Header: transport.Header{"Content-Type": "application/json"}, ContentLength: 100,
				Body: &failingBody{data: `{"statusCode":"0",`, err: errors.New("unexpected EOF")}}, nil
		}, 502, gateway.OutcomeTransport, ""},
		{"no answer in time", func(ctx context.Context, _ *transport.Request) (*transport.Response, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, 504, gateway.OutcomeTimeout, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, func(c *gateway.Config) { c.Timeout = time.Millisecond })
			e.up.answer = tt.answer
			w := e.do(t, "GET", e.search(), nil)
			checkSecure(t, w)
			if w.Code != tt.status {
				t.Fatalf("HTTP %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if kind, msg := errorOf(t, w); kind != tt.outcome || msg == "" {
				t.Errorf("error %q %q, want %q", kind, msg, tt.outcome)
			}
			if got := w.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			if n := len(e.up.forwarded()); n != 1 {
				t.Errorf("forwarded %d requests, want 1 (a redirect is not followed)", n)
			}
			if recs := e.audit.all(); len(recs) != 1 || recs[0].Outcome != tt.outcome || recs[0].HTTPStatus != tt.status {
				t.Errorf("records %+v", recs)
			}
		})
	}
}

type failingBody struct {
	data string
	err  error
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.data == "" {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

func (b *failingBody) Close() error { return nil }

// TestUnreadableAnswerPassed: a JSON answer whose status the gateway
// cannot read is Spine's to give: it is passed on, and recorded as such.
func TestUnreadableAnswerPassed(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.up.answer = answerWith(200, "application/json; charset=utf-8", `{"reason":"no status"}`)
	w := e.do(t, "GET", e.search(), nil)
	if w.Code != 200 || w.Body.String() != `{"reason":"no status"}` || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("HTTP %d %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	if recs := e.audit.all(); len(recs) != 1 || recs[0].Outcome != gateway.OutcomeUnreadable {
		t.Errorf("records %+v", recs)
	}
}

// TestCallerGone: a caller that goes away while the upstream answers is
// still recorded, the record written with a context that has not ended.
func TestCallerGone(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	e.up.answer = func(context.Context, *transport.Request) (*transport.Response, error) {
		cancel()
		return nil, context.Canceled
	}
	var sinkCtx error
	e2 := setup(t, func(c *gateway.Config) {
		c.Transport = e.up
		c.Audit = audit.SinkFunc(func(ctx context.Context, r audit.Record) error {
			sinkCtx = ctx.Err()
			return e.audit.Write(ctx, r)
		})
	})
	r := httptestRequest(t, "GET", e.search()).WithContext(ctx)
	w := serve(e2.h, r)
	if recs := e.audit.all(); len(recs) != 1 || recs[0].Outcome != gateway.OutcomeCancelled || recs[0].HTTPStatus != 499 || sinkCtx != nil {
		t.Errorf("HTTP %d; records %+v; the sink's context %v", w.Code, recs, sinkCtx)
	}
}

// TestAuditFirst: the record is written before any of the answer, and a
// record that cannot be written stops the answer: 503, never Spine's body.
func TestAuditFirst(t *testing.T) {
	t.Parallel()
	t.Run("before the answer", func(t *testing.T) {
		t.Parallel()
		w := &orderWriter{ResponseWriter: newRecorder()}
		e := setup(t, func(c *gateway.Config) {
			c.Audit = audit.SinkFunc(func(context.Context, audit.Record) error {
				w.events = append(w.events, "audit")
				return nil
			})
		})
		for _, target := range []string{e.search(), "/nowhere"} {
			w.events = nil
			e.h.ServeHTTP(w, httptestRequest(t, "GET", target))
			if diff := cmp.Diff([]string{"audit", "answer"}, w.events); diff != "" {
				t.Errorf("%s: events (-want +got):\n%s", target, diff)
			}
		}
	})
	t.Run("a sink that fails", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		e.audit.fail = errors.New("disk full")
		for _, target := range []string{e.search(), e.retrieve(), "/nowhere"} {
			w := e.do(t, "GET", target, map[string]string{"Origin": portal})
			checkSecure(t, w)
			if w.Code != 503 || w.Header().Get("Access-Control-Allow-Origin") != portal {
				t.Errorf("%s: HTTP %d, want 503 the page can read", target, w.Code)
			}
			if kind, msg := errorOf(t, w); kind != gateway.OutcomeAudit || !strings.Contains(msg, "could not record") {
				t.Errorf("error %q %q", kind, msg)
			}
			for _, secret := range []string{e.patient.NHSNumber, e.patient.PrescriptionIDs[0], "statusCode"} {
				if strings.Contains(w.Body.String(), secret) {
					t.Errorf("the answer holds %q: %s", secret, w.Body)
				}
			}
		}
		if !strings.Contains(e.log.String(), "disk full") {
			t.Errorf("the failure was not logged: %s", e.log)
		}
	})
}

// orderWriter notes when the answer starts.
type orderWriter struct {
	http.ResponseWriter
	events []string
}

func (w *orderWriter) WriteHeader(status int) {
	w.events = append(w.events, "answer")
	w.ResponseWriter.WriteHeader(status)
}

// TestTraceID: the caller's trace id is used when it is good, and a new
// one made when it is not; it goes upstream and comes back.
func TestTraceID(t *testing.T) {
	t.Parallel()
	const uuid = "0F8FAD5B-D9CB-469F-A165-70867728950E"
	tests := []struct {
		name      string
		headers   map[string]string
		want      string // "" for a new UUID
		upEps     string // the Eps-TraceId sent upstream
		echoedEps string
	}{
		{"Spine's trace id", map[string]string{"Eps-TraceId": "ept-1"}, "ept-1", "ept-1", "ept-1"},
		{"Spine's trace id before a request id", map[string]string{"Eps-TraceId": "ept-1", "X-Request-ID": uuid}, "ept-1", "ept-1", "ept-1"},
		{"a request id", map[string]string{"X-Request-ID": uuid}, uuid, "", ""},
		{"a request id that is no UUID", map[string]string{"X-Request-ID": "not-a-uuid\x7f"}, "", "", ""},
		{"nothing", nil, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			w := e.do(t, "GET", e.search(), tt.headers)
			got := w.Header().Get("X-Request-ID")
			if tt.want != "" && got != tt.want || tt.want == "" && (len(got) != 36 || got[14] != '4' || got == tt.headers["X-Request-ID"]) {
				t.Errorf("X-Request-ID %q, want %q (or a new UUID)", got, tt.want)
			}
			if v := w.Header().Get("Eps-TraceId"); v != tt.echoedEps {
				t.Errorf("Eps-TraceId echoed %q, want %q", v, tt.echoedEps)
			}
			up := e.up.forwarded()
			if len(up) != 1 || up[0].Header.Get("X-Request-ID") != got || up[0].Header.Get("Eps-TraceId") != tt.upEps {
				t.Fatalf("forwarded %+v", up)
			}
			if recs := e.audit.all(); len(recs) != 1 || recs[0].TraceID != got {
				t.Errorf("records %+v", recs)
			}
		})
	}
}

// TestEmptyTraceID: an Eps-TraceId sent empty, which Spine refuses (54),
// is answered and recorded under a new trace id, never under none.
func TestEmptyTraceID(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r := httptestRequest(t, "GET", e.search())
	r.Header["Eps-Traceid"] = []string{""}
	w := serve(e.h, r)
	got := w.Header().Get("X-Request-ID")
	if len(got) != 36 || w.Header().Values("Eps-TraceId") != nil || statusCode(t, w) != 54 {
		t.Errorf("X-Request-ID %q, Eps-TraceId %q, answer %s", got, w.Header().Values("Eps-TraceId"), w.Body)
	}
	if recs := e.audit.all(); len(recs) != 1 || recs[0].TraceID != got {
		t.Errorf("records %+v", recs)
	}
}

// TestPrefix: the gateway answers below its prefix only.
func TestPrefix(t *testing.T) {
	t.Parallel()
	e := setup(t, func(c *gateway.Config) { c.Prefix = "/spine/" })
	if w := e.do(t, "GET", "/spine"+e.search(), nil); w.Code != 200 || statusCode(t, w) != 0 {
		t.Errorf("below the prefix: HTTP %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", e.search(), nil); w.Code != 404 {
		t.Errorf("without the prefix: HTTP %d", w.Code)
	}
}

// TestUnauthenticatedSandbox: with the sandbox as its upstream the gateway
// may run without tokens; the sandbox's own ASID is used, and no user.
func TestUnauthenticatedSandbox(t *testing.T) {
	t.Parallel()
	sb := sharedSandbox()
	e := setup(t, func(c *gateway.Config) { c.Auth, c.Transport, c.Upstream, c.ASID = nil, sb, "", "" })
	w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer nonsense"})
	if w.Code != 200 || statusCode(t, w) != 0 {
		t.Fatalf("HTTP %d %s", w.Code, w.Body)
	}
	w = e.do(t, "GET", e.retrieve(), map[string]string{"Authorization": ""})
	if w.Code != 200 || statusCode(t, w) != 0 {
		t.Fatalf("HTTP %d %s", w.Code, w.Body)
	}
	for _, r := range e.audit.all() {
		if r.Outcome != "0" || r.Subject != "" || r.UserID != "" {
			t.Errorf("record %+v", r)
		}
	}
}

// TestNoIdentifierInLogs: whatever happens to a request, no line logged
// holds its NHS number or prescription id in clear, even when a
// transport's or the audit sink's error names them.
func TestNoIdentifierInLogs(t *testing.T) {
	t.Parallel()
	e := setup(t)
	nhs, id := e.patient.NHSNumber, e.patient.PrescriptionIDs[0]
	leaky := func(_ context.Context, req *transport.Request) (*transport.Response, error) {
		return nil, errors.New("dial failed for " + req.URL.String() + " (" + nhs + ", " + id + ")")
	}
	targets := []string{e.search(), e.retrieve(), "/mm/prescriptions/" + strings.ToLower(strings.ReplaceAll(id, "-", "")) + "?format=trace",
		"/mm/prescriptions?format=trace-summary&nhsNumber=" + nhs[:3] + "%20" + nhs[3:], "/nowhere/" + nhs}
	for _, answer := range []transport.Func{nil, leaky} {
		e.up.mu.Lock()
		e.up.answer = answer
		e.up.mu.Unlock()
		for _, target := range targets {
			e.do(t, "GET", target, nil)
			e.do(t, "GET", target, map[string]string{"Authorization": ""})
		}
	}
	e.audit.fail = errors.New("store failed on " + nhs)
	e.do(t, "GET", e.search(), nil)
	log := e.log.String()
	if strings.Count(log, `"msg":"request"`) != 4*len(targets)+1 || !strings.Contains(log, "dial failed") {
		t.Fatalf("not every request was logged:\n%s", log)
	}
	for _, secret := range []string{nhs, id, strings.ReplaceAll(id, "-", ""), strings.ToLower(id), nhs[:3] + " " + nhs[3:6] + " " + nhs[6:],
		strings.ToLower(strings.ReplaceAll(id, "-", ""))} {
		if strings.Contains(log, secret) {
			t.Errorf("a log line holds %q:\n%s", secret, log)
		}
	}
}

// TestNew: each setting New refuses is named, with what to give.
func TestNew(t *testing.T) {
	t.Parallel()
	keys, err := gateway.ParseJWKS(jwks(t))
	if err != nil {
		t.Fatal(err)
	}
	key, _ := audit.NewKey(strings.Repeat("k", 40))
	good := func() gateway.Config {
		return gateway.Config{Upstream: "https://spine.example/mm/prescriptions", Transport: sharedSandbox(), ASID: asid,
			Auth: &gateway.Auth{Keys: keys, Issuer: issuer, Audience: audience}, Audit: &records{}, AuditKey: key}
	}
	other := transport.Func(func(context.Context, *transport.Request) (*transport.Response, error) { return nil, errors.New("x") })
	tests := []struct {
		name    string
		edit    func(*gateway.Config)
		setting string // "" for none
	}{
		{"good", func(*gateway.Config) {}, ""},
		{"the sandbox unauthenticated, by default", func(c *gateway.Config) { c.Auth, c.Upstream, c.ASID = nil, "", "" }, ""},
		{"Spine unauthenticated", func(c *gateway.Config) { c.Auth, c.Transport = nil, other }, "Auth"},
		{"no transport", func(c *gateway.Config) { c.Transport = nil }, "Transport"},
		{"no upstream for Spine", func(c *gateway.Config) { c.Upstream, c.Transport = "", other }, "Upstream"},
		{"an upstream over http", func(c *gateway.Config) { c.Upstream, c.Transport = "http://spine.example/mm/prescriptions", other }, "Upstream"},
		{"the sandbox at any address", func(c *gateway.Config) { c.Upstream = "http://sandbox.example/mm/prescriptions" }, ""},
		{"an upstream over http on loopback", func(c *gateway.Config) { c.Upstream = "http://127.0.0.1:8443/mm/prescriptions" }, ""},
		{"an upstream with credentials", func(c *gateway.Config) { c.Upstream = "https://u:p@spine.example/mm/prescriptions" }, "Upstream"},
		{"an upstream with a query", func(c *gateway.Config) { c.Upstream = "https://spine.example/mm/prescriptions?x=1" }, "Upstream"},
		{"an upstream elsewhere", func(c *gateway.Config) { c.Upstream = "https://spine.example/other" }, "Upstream"},
		{"an upstream that is no URL", func(c *gateway.Config) { c.Upstream = "spine.example" }, "Upstream"},
		{"no ASID for Spine", func(c *gateway.Config) { c.ASID, c.Transport = "", other }, "ASID"},
		{"a short ASID", func(c *gateway.Config) { c.ASID = "12345" }, "ASID"},
		{"no audit sink", func(c *gateway.Config) { c.Audit = nil }, "Audit"},
		{"no audit key", func(c *gateway.Config) { c.AuditKey = audit.Key{} }, "AuditKey"},
		{"a prefix that is no path", func(c *gateway.Config) { c.Prefix = "spine" }, "Prefix"},
		{"a prefix with a query", func(c *gateway.Config) { c.Prefix = "/spine?x" }, "Prefix"},
		{"no keys", func(c *gateway.Config) { c.Auth.Keys = gateway.Keys{} }, "Auth.Keys"},
		{"no issuer", func(c *gateway.Config) { c.Auth.Issuer = " " }, "Auth.Issuer"},
		{"no audience", func(c *gateway.Config) { c.Auth.Audience = "" }, "Auth.Audience"},
		{"a leeway too long", func(c *gateway.Config) { c.Auth.Leeway = time.Hour }, "Auth.Leeway"},
		{"a negative leeway", func(c *gateway.Config) { c.Auth.Leeway = -time.Second }, "Auth.Leeway"},
		{"any origin", func(c *gateway.Config) { c.AllowOrigins = []string{"*"} }, "AllowOrigins"},
		{"the null origin", func(c *gateway.Config) { c.AllowOrigins = []string{"null"} }, "AllowOrigins"},
		{"an origin with a path", func(c *gateway.Config) { c.AllowOrigins = []string{"https://portal.example/app"} }, "AllowOrigins"},
		{"an origin that is no URL", func(c *gateway.Config) { c.AllowOrigins = []string{"portal.example"} }, "AllowOrigins"},
		{"a negative rate", func(c *gateway.Config) { c.Rate = -1 }, "Rate"},
		{"a negative burst", func(c *gateway.Config) { c.Burst = -1 }, "Burst"},
		{"a negative timeout", func(c *gateway.Config) { c.Timeout = -time.Second }, "Timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := good()
			auth := *cfg.Auth
			cfg.Auth = &auth
			tt.edit(&cfg)
			_, err := gateway.New(cfg)
			var ce *gateway.ConfigError
			switch {
			case tt.setting == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.setting == "":
			case !errors.As(err, &ce) || ce.Setting != tt.setting:
				t.Fatalf("New: %v, want a ConfigError on %s", err, tt.setting)
			case !strings.HasPrefix(err.Error(), "gateway: "+tt.setting+": ") || !strings.Contains(err.Error(), "give"):
				t.Errorf("error %q does not say what to give", err)
			}
		})
	}
}

// TestSandboxRefusalShared: the gateway's refusals are the sandbox's, byte
// for byte, so a client reads them as Spine's.
func TestSandboxRefusalShared(t *testing.T) {
	t.Parallel()
	e := setup(t)
	w := e.do(t, "GET", "/mm/prescriptions?format=trace-summary&nhsNumber=1", nil)
	if diff := cmp.Diff(string(sandbox.Refusal(61, validate.KindSearch)), w.Body.String()); diff != "" {
		t.Errorf("refusal (-sandbox's +gateway's):\n%s", diff)
	}
}

package gateway_test

import (
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// The headers the gateway may send upstream, and the parameters of each
// query.
var (
	forwardedHeaders = map[string]bool{"Accept": true, "User-Agent": true, "Spine-From-Asid": true, "Spine-Userid": true,
		"Spine-Roleprofileid": true, "Eps-Traceid": true, "X-Request-Id": true}
	parameters = map[validate.Kind]map[string]bool{
		validate.KindSearch:   {"format": true, "nhsNumber": true, "earliestDate": true, "latestDate": true, "prescriptionStatus": true, "prescriptionVersion": true, "version": true},
		validate.KindRetrieve: {"format": true, "issueNumber": true, "version": true},
	}
)

// FuzzGateway sends arbitrary requests. Whatever comes in, the gateway
// does not panic, records exactly one record, answers with its security
// headers, and forwards only a request for one of the tracker's two
// paths, at the upstream, with the parameters the API defines and its own
// headers, that Spine would not refuse.
func FuzzGateway(f *testing.F) {
	e := setup(f, func(c *gateway.Config) { c.Rate, c.Logger = math.Inf(1), nil })
	nhs, id := e.patient.NHSNumber, e.patient.PrescriptionIDs[0]
	expired := claims()
	expired["exp"] = now.Add(-time.Hour).Unix()
	tokens := []string{"", "Bearer " + sign(f, gateway.RS256, claims()), "Bearer " + sign(f, gateway.EdDSA, claims()),
		"Bearer " + sign(f, gateway.ES256, expired)}
	f.Add("GET", "/mm/prescriptions", "format=trace-summary&nhsNumber="+nhs+"&earliestDate=20241124&latestDate=20261124", 1, "", "", "ept-1")
	f.Add("GET", "/mm/prescriptions/"+id, "format=trace&issueNumber=1", 2, "", portal, "")
	f.Add("GET", "/mm/prescriptions/"+id+"%2B", "format=trace&issueNumber=x", 1, "", "https://evil.example", "a_b")
	f.Add("OPTIONS", "/mm/prescriptions", "", 0, "", portal, "")
	f.Add("POST", "/mm/prescriptions//", "", 3, "", "", "")
	f.Add("GET", "/mm/prescriptions", "format=trace-summary&nhsNumber=%zz&prescriptionStatus=0001&prescriptionVersion=R1", 4, "Bearer a.b.c", "", "")
	f.Add("GET", "/mm/prescriptions/..%2F..%2Fadmin", "format=trace", 1, "", "", "")
	f.Add("GET", "/mm/prescriptions", "format=trace-summary&nhsNumber="+nhs+"&nhsNumber=1&url=https://evil.example", 1, "", "", "")
	f.Fuzz(func(t *testing.T, method, path, query string, tokenChoice int, token, origin, trace string) {
		u, err := url.Parse("https://gateway.example" + path)
		if err != nil || !strings.HasPrefix(path, "/") || strings.ContainsAny(query, "#") {
			t.Skip("not a request a server would hand over")
		}
		u.RawQuery = query
		r, err := http.NewRequest(method, u.String(), nil)
		if err != nil {
			t.Skip()
		}
		if tokenChoice = tokenChoice % (len(tokens) + 1); tokenChoice < 0 {
			tokenChoice = -tokenChoice
		}
		if tokenChoice < len(tokens) {
			token = tokens[tokenChoice]
		}
		for k, v := range map[string]string{"Authorization": token, "Origin": origin, "Eps-TraceId": trace} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		recsBefore, _ := e.audit.count()
		e.up.mu.Lock()
		upBefore := len(e.up.got)
		e.up.mu.Unlock()
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)

		checkSecure(t, w)
		n, rec := e.audit.count()
		if n != recsBefore+1 {
			t.Fatalf("%d records for one request", n-recsBefore)
		}
		if rec.HTTPStatus != w.Code {
			t.Errorf("recorded HTTP %d, answered %d", rec.HTTPStatus, w.Code)
		}
		forwarded := e.up.since(upBefore)
		switch {
		case len(forwarded) > 1:
			t.Fatalf("one request forwarded %d times", len(forwarded))
		case len(forwarded) == 0:
			return
		case rec.Outcome == gateway.OutcomeValidation || w.Code == 401 || w.Code == 403 || w.Code == 404 || w.Code == 405:
			t.Fatalf("a request answered %d (%s) was forwarded", w.Code, rec.Outcome)
		}
		up := forwarded[0]
		if up.URL.Scheme != "https" || up.URL.Host != "spine.example" || up.URL.User != nil || up.URL.Fragment != "" {
			t.Fatalf("forwarded elsewhere: %s", up.URL.Redacted())
		}
		kind, seg := validate.KindSearch, ""
		rest, ok := strings.CutPrefix(up.URL.EscapedPath(), "/mm/prescriptions")
		switch {
		case !ok:
			t.Fatalf("forwarded another path: %s", up.URL.EscapedPath())
		case rest == "":
		case rest[0] == '/' && len(rest) > 1 && !strings.Contains(rest[1:], "/"):
			kind, seg = validate.KindRetrieve, rest[1:]
		default:
			t.Fatalf("forwarded another path: %s", up.URL.EscapedPath())
		}
		for name := range up.URL.Query() {
			if !parameters[kind][name] {
				t.Errorf("forwarded the parameter %q", name)
			}
		}
		for name := range up.Header {
			if !forwardedHeaders[name] {
				t.Errorf("forwarded the header %q", name)
			}
		}
		if up.Header.Get("Spine-From-Asid") != asid || up.Header.Get("Spine-UserId") != userID || up.Header.Get("Spine-RoleProfileId") != roleID {
			t.Errorf("forwarded with the caller's Spine headers: %v", up.Header)
		}
		if code := sandbox.Refused(up, kind, sandbox.PathID(seg), now); code != 0 {
			t.Fatalf("forwarded a request Spine refuses with %d: %s", code, up.URL.Redacted())
		}
	})
}

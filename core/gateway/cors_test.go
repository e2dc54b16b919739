package gateway_test

import (
	"testing"

	"github.com/eps-tracker/eps-tracker/core/gateway"
)

// TestCORS: a page of an allowed origin may call the gateway and read its
// answers; its preflight is answered; a request with no Origin gets no
// CORS headers; every answer varies on Origin.
func TestCORS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		method  string
		headers map[string]string
		status  int
		outcome string
		want    map[string]string // "" for absent
	}{
		{"a preflight", "OPTIONS", map[string]string{"Origin": portal, "Access-Control-Request-Method": "GET",
			"Access-Control-Request-Headers": "authorization,eps-traceid,spine-from-asid", "Authorization": ""}, 204, gateway.OutcomePreflight,
			map[string]string{"Access-Control-Allow-Origin": portal, "Access-Control-Allow-Methods": "GET",
				"Access-Control-Allow-Headers": "Authorization, X-Request-ID, Eps-TraceId, Spine-From-Asid, Spine-UserId, Spine-RoleProfileId, User-Agent",
				"Access-Control-Max-Age":       "600", "Vary": "Origin"}},
		{"a GET", "GET", map[string]string{"Origin": portal}, 200, "0",
			map[string]string{"Access-Control-Allow-Origin": portal, "Access-Control-Expose-Headers": "X-Request-ID, Eps-TraceId, Retry-After, WWW-Authenticate, Eps-Tracker-Training",
				"Access-Control-Allow-Methods": "", "Access-Control-Allow-Credentials": ""}},
		{"a GET refused for its token, readable by the page", "GET", map[string]string{"Origin": portal, "Authorization": "Bearer x"}, 401, gateway.OutcomeUnauthenticated,
			map[string]string{"Access-Control-Allow-Origin": portal}},
		{"no origin", "GET", nil, 200, "0", map[string]string{"Access-Control-Allow-Origin": "", "Vary": "Origin"}},
		{"OPTIONS that is no preflight", "OPTIONS", map[string]string{"Authorization": ""}, 204, gateway.OutcomeOptions,
			map[string]string{"Allow": "GET, OPTIONS", "Access-Control-Allow-Methods": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, func(c *gateway.Config) {
				c.AllowOrigins = []string{"https://PORTAL.example.nhs.uk:443/", "http://localhost:5173"}
			})
			w := e.do(t, tt.method, e.search(), tt.headers)
			checkSecure(t, w)
			if w.Code != tt.status {
				t.Fatalf("HTTP %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			for k, want := range tt.want {
				if got := w.Header().Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if recs := e.audit.all(); len(recs) != 1 || recs[0].Outcome != tt.outcome || recs[0].Origin != tt.headers["Origin"] {
				t.Errorf("records %+v", recs)
			}
			if tt.method == "OPTIONS" && len(e.up.forwarded()) != 0 {
				t.Error("OPTIONS was forwarded")
			}
		})
	}
}

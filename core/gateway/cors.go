package gateway

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
)

// What the gateway tells a browser about cross-origin requests from an
// allowed origin. The widget's requests carry the client's headers
// (Spine-From-Asid and Eps-TraceId among them, which the gateway replaces
// or checks, and User-Agent, which some browsers let a page set) and the
// caller's token; its answers may carry a trace id, a wait before
// retrying, why a token was refused and that the upstream is a training
// sandbox, which a page may read.
const (
	allowMethods  = "GET"
	allowHeaders  = "Authorization, X-Request-ID, Eps-TraceId, Spine-From-Asid, Spine-UserId, Spine-RoleProfileId, User-Agent"
	exposeHeaders = "X-Request-ID, Eps-TraceId, Retry-After, WWW-Authenticate, " + sandbox.TrainingHeader
	maxAge        = "600" // seconds a browser may keep the preflight's answer
)

// origins is the allowlist of exact origins, as browsers send them.
type origins map[string]bool

// parseOrigins checks Config.AllowOrigins and keeps each origin as a
// browser serialises it: scheme and host in lower case, no default port.
func parseOrigins(list []string) (origins, error) {
	o := origins{}
	for _, raw := range list {
		fail := func(problem string) error {
			return &ConfigError{"AllowOrigins", fmt.Sprintf("%q %s: give each origin as a browser sends it, such as https://portal.example.nhs.uk", raw, problem)}
		}
		s := strings.TrimSpace(raw)
		if s == "*" || s == "null" {
			return nil, fail("would let any page call the gateway")
		}
		u, err := url.Parse(strings.TrimSuffix(s, "/"))
		switch {
		case err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http":
			return nil, fail("is not an http or https origin")
		case u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil:
			return nil, fail("has more than a scheme, a host and a port")
		}
		host := strings.ToLower(u.Host)
		if port := u.Port(); u.Scheme == "https" && port == "443" || u.Scheme == "http" && port == "80" {
			host = strings.ToLower(u.Hostname())
			if strings.Contains(host, ":") {
				host = "[" + host + "]"
			}
		}
		o[strings.ToLower(u.Scheme)+"://"+host] = true
	}
	return o, nil
}

// setCORS sets the headers that let a page of an allowed origin read the
// answer: none for a request with no Origin or another origin. Vary:
// Origin is always set, as the answer depends on it.
func (o origins) setCORS(h http.Header, origin string) {
	h.Add("Vary", "Origin")
	if origin == "" || !o[origin] {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", exposeHeaders)
}

// allowed reports whether a request with this Origin header may be
// answered: one with no Origin, or one from an allowed origin.
func (o origins) allowed(origin string) bool { return origin == "" || o[origin] }

// preflight is the headers of the answer to an allowed origin's
// preflight: GET, with any of the gateway's headers.
func preflight() map[string]string {
	return map[string]string{
		"Access-Control-Allow-Methods": allowMethods,
		"Access-Control-Allow-Headers": allowHeaders,
		"Access-Control-Max-Age":       maxAge,
	}
}

package gateway

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
)

// What the gateway records as a request's outcome when Spine did not
// answer it: the kind of refusal or failure. When Spine (or the sandbox)
// answered, the outcome is its statusCode, "0" for found.
const (
	OutcomePreflight        = "preflight"          // 204: a browser's CORS preflight, from an allowed origin
	OutcomeOptions          = "options"            // 204: OPTIONS that is no preflight
	OutcomeForbiddenOrigin  = "forbidden-origin"   // 403: a page of an origin not allowed
	OutcomeNotFound         = "not-found"          // 404: a path the gateway does not serve
	OutcomeMethodNotAllowed = "method-not-allowed" // 405: not GET
	OutcomeUnauthenticated  = "unauthenticated"    // 401: no token, or one refused
	OutcomeRateLimited      = "rate-limited"       // 429: the user's rate limit
	OutcomeValidation       = "validation"         // a query Spine would refuse, answered as Spine would (or 400)
	OutcomeTransport        = "transport"          // 502: no answer from the upstream
	OutcomeTimeout          = "timeout"            // 504: the upstream took longer than Config.Timeout
	OutcomeCancelled        = "cancelled"          // 499: the caller went away first
	OutcomeUnreadable       = "unreadable"         // the upstream's answer is not a tracker answer
	OutcomeUpstreamPrefix   = "upstream-"          // and its HTTP status, as "upstream-503": an upstream answer not 200
	OutcomeAudit            = "audit"              // 503: the record could not be written (so none is kept; it is logged)
)

// statusCancelled is the status recorded for a caller that went away
// before its answer, as nginx logs it ("client closed request").
const statusCancelled = 499

// exchange is one request as the gateway handles it.
type exchange struct {
	rec audit.Record
	// trace is the request's trace id; spineTrace, that it is the caller's
	// Eps-TraceId, which is echoed as such.
	trace      string
	spineTrace bool
}

// answer is what the gateway answers: a body from the upstream (or in
// Spine's words), or a message of its own, which finish turns into JSON.
type answer struct {
	status      int
	outcome     string
	message     string            // plain English, for a refusal or failure of the gateway's own
	body        []byte            // the body in Spine's words
	contentType string            // of body
	header      map[string]string // more headers: Allow, Retry-After, WWW-Authenticate, CORS
}

// refuse is an answer of the gateway's own.
func refuse(status int, outcome, message string) answer {
	return answer{status: status, outcome: outcome, message: message}
}

// ServeHTTP answers one request: it is checked, forwarded when all is
// well, recorded in every case, then answered. It never panics on what a
// caller sends.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{rec: audit.Record{Time: h.now().UTC(), Origin: clip(r.Header.Get("Origin"), 256)}}
	x.trace, x.spineTrace = traceOf(r)
	a := h.handle(r, x)
	h.finish(w, r, x, a)
}

// handle decides the answer to r, in the order: origin, path, method,
// token, rate limit, the query, the upstream.
func (h *Handler) handle(r *http.Request, x *exchange) answer {
	origin := r.Header.Get("Origin")
	if !h.origins.allowed(origin) {
		return refuse(http.StatusForbidden, OutcomeForbiddenOrigin,
			"Pages of this origin may not call the gateway: its administrators must add the origin to the allowed ones.")
	}
	kind, id, ok := h.route(r)
	x.rec.Kind = kind
	if !ok {
		return refuse(http.StatusNotFound, OutcomeNotFound, fmt.Sprintf(
			"There is nothing here: the gateway answers GET %s%s (search) and GET %s%s/{prescription id} (retrieve).", h.prefix, base, h.prefix, base))
	}
	switch {
	case r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != "":
		return answer{status: http.StatusNoContent, outcome: OutcomePreflight, header: preflight()}
	case r.Method == http.MethodOptions:
		return answer{status: http.StatusNoContent, outcome: OutcomeOptions, header: map[string]string{"Allow": "GET, OPTIONS"}}
	case r.Method != http.MethodGet:
		a := refuse(http.StatusMethodNotAllowed, OutcomeMethodNotAllowed, "The tracker answers GET only.")
		a.header = map[string]string{"Allow": "GET, OPTIONS"}
		return a
	}
	var c caller
	if h.auth != nil {
		var err *authError
		if c, err = h.auth.authenticate(r); err != nil {
			return unauthenticated(err)
		}
		x.rec.Issuer, x.rec.Subject = c.issuer, c.subject
		x.rec.UserID, x.rec.RoleProfileID = c.userID, c.roleProfileID
	}
	if h.limits != nil {
		if wait, ok := h.limits.allow(c.rateKey(r), h.now()); !ok {
			n := retryAfter(wait)
			how := fmt.Sprintf("%d seconds", n)
			if n == 1 {
				how = "a second"
			}
			a := refuse(http.StatusTooManyRequests, OutcomeRateLimited, "Too many requests from this user: wait "+how+", then try again.")
			a.header = map[string]string{"Retry-After": fmt.Sprint(n)}
			return a
		}
	}
	return h.lookup(r, x, kind, id, c)
}

// route reads the query kind from the path, and a retrieve's prescription
// id, as Spine does: {prefix}/mm/prescriptions, with or without a final
// slash, is a search; one more segment is a retrieve; nothing else is
// served.
func (h *Handler) route(r *http.Request) (kind audit.Kind, id string, ok bool) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), h.prefix+base)
	switch {
	case !ok:
		return "", "", false
	case rest == "" || rest == "/":
		return audit.Search, "", true
	case rest[0] == '/' && !strings.Contains(rest[1:], "/"):
		return audit.Retrieve, sandbox.PathID(rest[1:]), true
	}
	return "", "", false
}

// rateKey is whose rate limit a request counts against: the caller's, or,
// unauthenticated (the sandbox), the address it came from.
func (c caller) rateKey(r *http.Request) string {
	if c.subject != "" {
		return c.issuer + "\x00" + c.subject
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "\x00" + host
}

// retryAfter is a wait in whole seconds, at least one.
func retryAfter(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// unauthenticated is the answer to a request whose token was refused: 401
// with the reason, in the WWW-Authenticate header too (RFC 6750).
func unauthenticated(err *authError) answer {
	challenge := `Bearer realm="eps-tracker"`
	if !err.missing {
		challenge += `, error="invalid_token", error_description="` + headerText(err.reason) + `"`
	}
	a := refuse(http.StatusUnauthorized, OutcomeUnauthenticated, err.reason)
	a.header = map[string]string{"WWW-Authenticate": challenge}
	return a
}

// headerText is s as a quoted header value may hold it: printable ASCII,
// without quotes or backslashes.
func headerText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\\':
			return '\''
		case r < 0x20 || r > 0x7e:
			return ' '
		}
		return r
	}, s)
}

// finish records the request, then answers it; a request whose record
// could not be kept is answered 503, and never with the upstream's body.
func (h *Handler) finish(w http.ResponseWriter, r *http.Request, x *exchange, a answer) {
	x.rec.HTTPStatus, x.rec.Outcome, x.rec.TraceID = a.status, a.outcome, x.trace
	if err := h.sink.Write(context.WithoutCancel(r.Context()), x.rec); err != nil {
		h.logFailure("the audit record could not be written, so the request was answered 503", x, err)
		a = refuse(http.StatusServiceUnavailable, OutcomeAudit,
			"The gateway could not record this request, so it does not answer it. Try again in a minute; if it goes on, tell the gateway's administrators.")
	}
	hdr := w.Header()
	secure(hdr)
	h.origins.setCORS(hdr, r.Header.Get("Origin"))
	hdr.Set("X-Request-ID", x.trace)
	if x.spineTrace {
		hdr.Set("Eps-TraceId", x.trace)
	}
	for k, v := range a.header {
		hdr.Set(k, v)
	}
	body, contentType := a.body, a.contentType
	if a.message != "" {
		body, contentType = errorBody(a.outcome, a.message, x.trace), "application/json"
	}
	if body != nil {
		hdr.Set("Content-Type", contentType)
		hdr.Set("Content-Length", fmt.Sprint(len(body)))
	}
	w.WriteHeader(a.status)
	if body != nil && r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	h.logRequest(r, x, a)
}

// Policy is the Content Security Policy of every answer: an API's answers
// are never a page, so nothing may load from them and no page may frame
// them.
const Policy = "default-src 'none'; frame-ancestors 'none'"

// secure sets the security headers of every answer: JSON is never read as
// another type, nothing is kept in a cache (the answers hold patient
// data), no Referer leaves, and nothing is loaded or framed.
func secure(h http.Header) {
	h.Set("Content-Security-Policy", Policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

// clip cuts s to at most n bytes of valid UTF-8.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// Package gateway is the relay between browsers and Spine: one
// http.Handler ([Handler], made by [New]) that answers the tracker's two
// queries as Spine does, for authenticated callers, by asking Spine with
// the organisation's certificate and ASID, and keeps a record of every
// request. The widget in a clinical portal calls it; it runs natively
// (eps-tracker serve) and on Cloudflare Workers, the same handler.
//
// # Requests
//
// It answers GET {prefix}/mm/prescriptions (search) and GET
// {prefix}/mm/prescriptions/{id} (retrieve), exactly as Spine does, so that
// a client's base URL is all that changes. Any other path is 404, any other
// method 405 (OPTIONS answers a browser's preflight). It is never an open
// proxy: the upstream is configuration ([Config.Upstream]), only the query
// parameters the API defines are forwarded (the first value of each), the
// caller's headers are dropped (its Spine-* headers replaced by the
// gateway's ASID and the caller's user and role), and a redirect from the
// upstream is answered as an error, never followed. (One exception, for
// tests only: the in-process sandbox, when it honours per-request faults,
// gets the caller's Sandbox-Fault header.)
//
// # Callers
//
// Each request carries "Authorization: Bearer <token>", a JSON Web Token
// from the portal's identity provider, checked as [Auth] says. A request
// without one, or with one refused, is answered 401 with a
// WWW-Authenticate challenge (RFC 6750) and a plain reason, and nothing
// is forwarded. A token accepted is remembered until it expires, so that
// the same token sent again, as a portal sends it with every request, is
// not checked whole again: only its expiry is (new keys forget them all).
// Only while the upstream is the in-process training sandbox may the
// gateway run without authentication.
//
// Browsers may call it from the pages of the allowed origins
// ([Config.AllowOrigins]): their preflights are answered, their answers
// carry the CORS headers; a request from any other origin is refused
// (403) without them. Every answer varies on Origin.
//
// Each user has a rate limit ([Config.Rate]): past it, 429 with
// Retry-After.
//
// # Validation
//
// The request the gateway is about to send is checked as Spine checks it
// (sandbox.Refused): one Spine would refuse is answered as Spine would
// answer it, HTTP 200 with Spine's status envelope and code (50–61), and
// is not sent. An issueNumber that is not a positive integer, which Spine
// has no code for, is answered 400.
//
// # Trace ids
//
// Every request has a trace id: the caller's Eps-TraceId when it is one
// Spine accepts (the project's client sends one), else the caller's
// X-Request-ID when it is a UUID, else a new UUID. It is sent upstream as
// X-Request-ID (and the caller's Eps-TraceId as Eps-TraceId: a UUID is
// longer than Spine's 30 characters), answered as X-Request-ID (and as
// Eps-TraceId when it was one), and recorded.
//
// # Audit
//
// Every request, refusals included, gets exactly one audit.Record,
// written to [Config.Audit] before the answer is given: who asked (the
// token's issuer and subject, the user and role profile sent to Spine),
// from which origin, which query, the patient's NHS number or the
// prescription id as an HMAC under [Config.AuditKey] and masked, the
// other parameters, the outcome, the trace id and how long the upstream
// took. The outcome is Spine's statusCode when Spine answered ("0" when
// found), or the kind of refusal or failure ([OutcomeUnauthenticated] and
// the other Outcome constants). When the record cannot be written the
// request is answered 503, never with Spine's answer.
//
// # Answers
//
// Spine's answers are passed on as they came (HTTP 200, JSON). The
// gateway's own refusals and failures are JSON: {"error": the outcome,
// "message": what to do, in plain English, "traceId"}. Spine being busy
// (429, 5xx) is passed on with its status and Retry-After; no answer from
// it is 502, a late one 504. Every answer carries security headers: no
// sniffing, no caching, no Referer, a Content Security Policy that loads
// nothing ([Policy]). Log lines ([Config.Logger]) never hold an NHS
// number or a prescription id in clear.
package gateway

// Package client asks the Spine EPS Prescription Tracker its two questions:
// a patient's prescriptions ([Client.Search]) and one prescription
// ([Client.Retrieve]), against Spine, a gateway, or the in-process sandbox.
//
// # Offline first
//
// Every query is normalised and checked by core/validate before anything is
// sent; a query Spine would refuse returns a *validate.Error and no request
// leaves the machine. Searches always carry an explicit date window,
// [DefaultWindow] years back to today unless the caller chose one.
//
// # Transport
//
// The client never picks how a request travels: it sends through a
// transport.Transport the host gives it ([WithTransport]). A native host
// adapts an *http.Client, for Spine one that presents the organisation's
// certificate (TLS-MA); a browser adapts fetch; with nothing configured the
// client asks the in-process sandbox. So the client links no net/http, and
// a browser build of it stays small.
//
// # Failures
//
// A call has a total deadline ([WithTimeout]) and a per-attempt timeout
// ([WithAttemptTimeout]). Failed GETs are retried under a [RetryPolicy] on
// connection errors and HTTP 429, 502, 503 and 504, with exponential backoff
// and jitter, honouring Retry-After, never past the deadline (a call whose
// server asks for a longer wait gives up at once, saying so in
// [TransportError.RetryAfter]); never on other HTTP errors or on an answer
// from Spine. The deadline is measured with the client's clock
// ([WithClock]). Errors are typed: [TransportError],
// *tracker.StatusError (with sentinels such as tracker.ErrNotFound) and
// *tracker.ParseError, each with the call's trace id ([TraceID]), and none
// with an NHS number or prescription id in clear. [IsTruncated] spots an
// answer cut off before its end, whichever of them reports it.
package client

package client

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// The errors a call can return, besides a *validate.Error for a query that
// was refused offline (nothing was sent) and a *tracker.StatusError when
// Spine answered with a status other than 0:
//
//   - *TransportError: the call did not get an answer it could read at the
//     HTTP level (no connection, a timeout, HTTP 5xx, an answer cut off, …);
//   - *tracker.ParseError: the answer was not a tracker response.
//
// Each of the last three carries the call's trace id; [TraceID] finds it.

// TransportError is a call that failed below Spine's status envelope. Like
// url.Error it has the operation, the URL (with identifiers masked) and the
// cause.
type TransportError struct {
	Op         string // "search" or "retrieve"
	URL        string // the request URL, NHS number and prescription id masked
	Err        error  // the cause
	StatusCode int    // the HTTP status when it is why the call failed (Err is then ErrHTTPStatus), else 0
	Attempts   int    // how many times the request was sent
	TraceID    string // the Eps-TraceId of the request
	// RetryAfter is the wait the server asked for (Retry-After) when the
	// call gave up rather than wait, because it was longer than the time
	// left before the deadline; otherwise 0.
	RetryAfter time.Duration
}

func (e *TransportError) Error() string {
	s := fmt.Sprintf("%s %s: %v", e.Op, e.URL, e.Err)
	if e.RetryAfter > 0 {
		s += " (the server asked to wait " + describeWait(e.RetryAfter) + ", longer than the time left)"
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.TraceID != "" {
		s += ", trace id " + e.TraceID
	}
	return s
}

func (e *TransportError) Unwrap() error { return e.Err }

// describeWait writes a wait for people: to the second, or "more than a
// day" for the waits no one would sit out.
func describeWait(d time.Duration) string {
	if d > 24*time.Hour {
		return "more than a day"
	}
	return d.Round(time.Second).String()
}

// Timeout reports whether the call ran out of time.
func (e *TransportError) Timeout() bool {
	return errors.Is(e.Err, context.DeadlineExceeded) || errors.Is(e.Err, errAttemptTimeout)
}

// ErrHTTPStatus is the cause of a TransportError for an HTTP answer other
// than 200; StatusCode says which.
var ErrHTTPStatus = errors.New("unexpected HTTP status")

// ErrTruncated is the cause of a TransportError for an answer whose body
// was cut off on its way (the connection ended before the body did); it
// wraps what the connection reported, such as io.ErrUnexpectedEOF.
// [IsTruncated] also spots a body that arrived whole but holds JSON that
// stops before its end.
var ErrTruncated = errors.New("the answer was cut off")

// IsTruncated reports whether err is an answer cut off before its end:
// on its way (ErrTruncated), or in what was sent (a *tracker.ParseError
// of tracker.ProblemTruncated).
func IsTruncated(err error) bool {
	var pe *tracker.ParseError
	return errors.Is(err, ErrTruncated) || errors.As(err, &pe) && pe.Problem == tracker.ProblemTruncated
}

// ErrNoASID is New's error for a client that would talk to a tracker
// other than the built-in sandbox without an ASID.
var ErrNoASID = errors.New("client: an ASID is required — it is the 12-digit Accredited System ID that came with your Spine certificate")

var errAttemptTimeout = errors.New("no answer within the time allowed for one attempt")

// TraceID returns the Eps-TraceId carried by an error from a call, or "".
func TraceID(err error) string {
	var te *TransportError
	var se *tracker.StatusError
	var pe *tracker.ParseError
	switch {
	case errors.As(err, &te):
		return te.TraceID
	case errors.As(err, &se):
		return se.TraceID
	case errors.As(err, &pe):
		return pe.TraceID
	}
	return ""
}

// IsValidation reports whether err is a query refused offline, before
// anything was sent.
func IsValidation(err error) bool {
	var ve *validate.Error
	return errors.As(err, &ve)
}

// redactURL writes a request URL for people, with the NHS number and the
// prescription id (whatever follows the base path) masked.
func redactURL(u *url.URL, basePath string) string {
	c := *u
	c.User, c.RawQuery = nil, ""
	if rest, ok := strings.CutPrefix(c.Path, strings.TrimRight(basePath, "/")+"/"); ok && rest != "" {
		c.Path = strings.TrimRight(basePath, "/") + "/" + redact.PrescriptionID(rest)
		c.RawPath = ""
	}
	s := strings.ReplaceAll(c.String(), "%2A", "*")
	if u.RawQuery == "" {
		return s
	}
	params := strings.Split(u.RawQuery, "&")
	for i, p := range params {
		if v, ok := strings.CutPrefix(p, "nhsNumber="); ok {
			params[i] = "nhsNumber=" + redact.NHSNumber(v)
		}
	}
	return s + "?" + strings.Join(params, "&")
}

// ConflictError is connection settings that contradict each other: an
// environment together with a base URL that is not that environment's
// address. The sandbox is built in and has no address; production is live
// Spine at [ProductionURL]. A gateway or another host is given by its base
// URL alone (or with the int or dep environment, which have no built-in
// address).
type ConflictError struct {
	Environment Environment // as chosen with WithEnvironment
	BaseURL     string      // as given with WithBaseURL, any password masked
}

func (e *ConflictError) Error() string {
	if e.Environment == Sandbox {
		return fmt.Sprintf("client: the sandbox environment is built in and has no address, but a base URL (%s) was given too — "+
			"leave out the environment to send to that URL, or the base URL to use the built-in sandbox", e.BaseURL)
	}
	return fmt.Sprintf("client: the %s environment is live Spine at %s, but a different base URL (%s) was given — "+
		"leave out the environment to send to that URL (a gateway, say), or the base URL to send to live Spine", e.Environment, ProductionURL, e.BaseURL)
}

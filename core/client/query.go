package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// SearchQuery is a search for one patient's prescriptions, as typed: the
// client normalises and checks it before sending.
type SearchQuery struct {
	NHSNumber      string // required
	EarliestDate   string // yyyymmdd, yyyy-mm-dd or dd/mm/yyyy; see DefaultWindow
	LatestDate     string // inclusive
	Status         string // prescriptionStatus filter: a code such as 0001, Spine's text or the tracker's label
	Version        string // prescriptionVersion filter: 1, 2, R1 or R2
	MessageVersion string // the version parameter; rarely needed
	TraceID        string // Eps-TraceId; one is made when empty
}

// RetrieveQuery asks for one prescription.
type RetrieveQuery struct {
	PrescriptionID string // required
	IssueNumber    string // a positive integer; empty means the current issue
	MessageVersion string
	TraceID        string
}

// DefaultWindow is how far back a search looks when the caller gives no
// earliest date: two years, as the NHS's newer tracker does. Spine's own
// default is 28 days, the top cause of "my prescription is missing".
const DefaultWindow = 2 // years

// SearchResult is a search's answer.
type SearchResult struct {
	*tracker.SearchResponse
	TraceID      string             // the Eps-TraceId sent
	EarliestDate tracker.Date       // the window searched
	LatestDate   tracker.Date       // (inclusive)
	Attempts     int                // how many times the request was sent
	Warnings     []validate.Warning // what the offline check found suspicious
}

// RetrieveResult is a retrieve's answer.
type RetrieveResult struct {
	*tracker.RetrieveResponse
	TraceID  string
	Attempts int
	Warnings []validate.Warning
}

// Search asks for a patient's prescriptions. It always sends an explicit
// date window: DefaultWindow years back to today unless the query chose one.
//
// It returns a *validate.Error for a query Spine would refuse (nothing is
// sent), a *tracker.StatusError when Spine answers with a status other than
// 0 (test with errors.Is, e.g. tracker.ErrNotFound), a *TransportError or a
// *tracker.ParseError otherwise.
func (c *Client) Search(ctx context.Context, q SearchQuery) (*SearchResult, error) {
	now := c.now()
	in := validate.Input{Kind: validate.KindSearch, NHSNumber: q.NHSNumber,
		EarliestDate: q.EarliestDate, LatestDate: q.LatestDate,
		PrescriptionStatus: q.Status, PrescriptionVersion: q.Version,
		Version: q.MessageVersion, TraceID: q.TraceID}
	window := fillWindow(&in, tracker.LondonDate(now))
	report := validate.Check(in, now)
	if window != nil {
		report.Errors = append(report.Errors, *window)
	}
	if err := report.Err(); err != nil {
		return nil, err
	}
	n := report.Normalized
	n["format"] = tracker.SearchFormat
	u := tracker.SearchURL(c.base, n)
	traceID := traceIDOf(n)
	body, attempts, err := c.get(ctx, "search", u, traceID)
	if err != nil {
		return nil, err
	}
	resp, err := tracker.ParseSearch(body)
	if err != nil {
		return nil, withTrace(err, traceID)
	}
	earliest, _ := tracker.ParseCompactDate(n["earliestDate"])
	latest, _ := tracker.ParseCompactDate(n["latestDate"])
	res := &SearchResult{SearchResponse: resp, TraceID: traceID, EarliestDate: earliest, LatestDate: latest,
		Attempts: attempts, Warnings: report.Warnings}
	if err := resp.Err(); err != nil {
		return res, withTrace(err, traceID)
	}
	return res, nil
}

// Retrieve asks for one prescription, with its current issue or the one
// named. Its errors are Search's; with statusCode 3 (issue not found) it
// returns both the result, whose prescription has no issue, and the error.
func (c *Client) Retrieve(ctx context.Context, q RetrieveQuery) (*RetrieveResult, error) {
	now := c.now()
	report := validate.Check(validate.Input{Kind: validate.KindRetrieve, PrescriptionID: q.PrescriptionID,
		IssueNumber: q.IssueNumber, Version: q.MessageVersion, TraceID: q.TraceID}, now)
	if err := report.Err(); err != nil {
		return nil, err
	}
	n := report.Normalized
	n["format"] = tracker.RetrieveFormat
	u := tracker.RetrieveURL(c.base, n["prescriptionId"], n)
	traceID := traceIDOf(n)
	body, attempts, err := c.get(ctx, "retrieve", u, traceID)
	if err != nil {
		return nil, err
	}
	resp, err := tracker.ParseRetrieve(body)
	if err != nil {
		return nil, withTrace(err, traceID)
	}
	res := &RetrieveResult{RetrieveResponse: resp, TraceID: traceID, Attempts: attempts, Warnings: report.Warnings}
	if err := resp.Err(); err != nil {
		if errors.Is(err, tracker.ErrIssueNotFound) && resp.Prescription != nil {
			return res, withTrace(err, traceID)
		}
		return nil, withTrace(err, traceID)
	}
	return res, nil
}

// fillWindow gives a search its explicit date window: the one the caller
// chose, or DefaultWindow years back to today, or, for a date given alone,
// the other from today's window whatever the date given: the earliest
// DefaultWindow years before today, the latest today. When that leaves no
// window, it leaves the other date out and returns the error that says so.
func fillWindow(in *validate.Input, today tracker.Date) *validate.FieldError {
	from := today.AddYears(-DefaultWindow)
	earliest := validate.Normalize(validate.Input{EarliestDate: in.EarliestDate}).EarliestDate
	latest := validate.Normalize(validate.Input{LatestDate: in.LatestDate}).LatestDate
	switch {
	case earliest == "" && latest == "":
		in.EarliestDate, in.LatestDate = from.Compact(), today.Compact()
	case earliest == "":
		if d, ok := tracker.ParseCompactDate(latest); ok && d.Before(from) {
			return &validate.FieldError{Field: "latestDate", SpineCode: validate.SpineCode("latestDate"), Message: fmt.Sprintf(
				"Latest date %s is more than %d years ago, and with no earliest date the search starts %d years before today, on %s — give an earliest date too, such as %s.",
				d.Human(), DefaultWindow, DefaultWindow, from.Human(), d.AddYears(-DefaultWindow).Human())}
		}
		in.EarliestDate = from.Compact()
	case latest == "":
		if d, ok := tracker.ParseCompactDate(earliest); ok && today.Before(d) {
			return &validate.FieldError{Field: "earliestDate", SpineCode: validate.SpineCode("earliestDate"), Message: fmt.Sprintf(
				"Earliest date %s is after today, and with no latest date the search ends today — give a latest date too, on or after %s (future-dated prescriptions are issued after today).",
				d.Human(), d.Human())}
		}
		in.LatestDate = today.Compact()
	}
	return nil
}

func traceIDOf(n map[string]string) string {
	if id := n["traceId"]; id != "" {
		return id
	}
	return newTraceID()
}

// withTrace puts the call's trace id on an error from the answer.
func withTrace(err error, traceID string) error {
	var se *tracker.StatusError
	var pe *tracker.ParseError
	switch {
	case errors.As(err, &se):
		se.TraceID = traceID
	case errors.As(err, &pe):
		pe.TraceID = traceID
	}
	return err
}

// get sends a GET, retrying as the policy allows, and returns the body of a
// 200 answer. The call ends by its deadline (the client's timeout, or the
// caller's own deadline if sooner); each attempt ends by its own. Time is
// measured with the client's clock; only the waiting itself is done by the
// runtime's timers.
func (c *Client) get(ctx context.Context, op string, u *url.URL, traceID string) (body []byte, attempts int, err error) {
	budget := c.timeout
	if d, ok := ctx.Deadline(); ok {
		// A context's deadline is an instant of the real clock; it is
		// brought into the client's clock as the time left before it.
		budget = min(budget, time.Until(d))
	}
	deadline := c.now().Add(budget)
	var retryAfter time.Duration
	fail := func(cause error, status int) error {
		return &TransportError{Op: op, URL: redactURL(u, c.base.Path), Err: cause, StatusCode: status,
			Attempts: attempts, TraceID: traceID, RetryAfter: retryAfter}
	}
	for {
		left := deadline.Sub(c.now())
		if left <= 0 {
			return nil, attempts, fail(context.DeadlineExceeded, 0)
		}
		attempts++
		body, resp, err := c.attempt(ctx, left, u, traceID)
		var status int
		if resp != nil {
			status = resp.StatusCode
		}
		switch {
		case err == nil && status == 200:
			return body, attempts, nil
		case isParseError(err):
			return nil, attempts, withTrace(err, traceID) // a bad answer will not mend itself
		case ctx.Err() != nil:
			return nil, attempts, fail(ctx.Err(), status) // the caller gave up
		case errors.Is(err, context.DeadlineExceeded):
			return nil, attempts, fail(err, status) // out of time for the whole call
		case transport.IsPermanent(err): // a certificate refused, say
			return nil, attempts, fail(err, 0)
		case err == nil && !retryableStatus(status):
			return nil, attempts, fail(statusError(resp), status)
		case err == nil:
			err = statusError(resp)
		}
		if attempts >= c.retry.MaxAttempts {
			return nil, attempts, fail(err, status)
		}
		var askedFor string // the answer's Retry-After, if any
		if resp != nil {
			askedFor = resp.Header.Get("Retry-After")
		}
		wait, asked := c.retry.delay(attempts, askedFor, c.now())
		if wait >= deadline.Sub(c.now()) {
			if asked {
				retryAfter = wait
			}
			return nil, attempts, fail(err, status) // the wait would run past the deadline
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, attempts, fail(ctx.Err(), status)
		case <-timer.C:
		}
	}
}

// attempt sends the request once, with left the time before the call's
// deadline. It returns the body only for HTTP 200.
func (c *Client) attempt(ctx context.Context, left time.Duration, u *url.URL, traceID string) ([]byte, *transport.Response, error) {
	timeout, last := c.attemptTimeout, false
	if left <= timeout {
		timeout, last = left, true
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	h := make(transport.Header, len(c.headers)+1)
	for k, v := range c.headers {
		h[k] = v
	}
	h["Eps-Traceid"] = traceID
	resp, err := c.transport.Get(actx, &transport.Request{URL: u, Header: h})
	if err != nil {
		return nil, nil, cause(err, ctx, actx, last)
	}
	defer resp.Body.Close()
	if _, ok := resp.Header.Lookup(sandbox.TrainingHeader); ok {
		c.training.Store(true)
	}
	if resp.StatusCode != 200 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection can be reused
		return nil, resp, nil
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil, resp, &tracker.ParseError{Problem: tracker.ProblemMediaType, Offset: -1,
			Detail: "the answer is " + describeType(resp.Header.Get("Content-Type")) + ", not JSON"}
	}
	body, err := readBody(resp, c.maxBody)
	switch {
	case err != nil && actx.Err() != nil: // out of time, or the caller gave up, while the body came
		return nil, nil, cause(err, ctx, actx, last)
	case err != nil: // the status was fine; the rest of the answer never came
		return nil, nil, fmt.Errorf("%w: %w", ErrTruncated, cause(err, ctx, actx, last))
	}
	if int64(len(body)) > c.maxBody {
		return nil, resp, &tracker.ParseError{Problem: tracker.ProblemTooLarge, Offset: -1,
			Detail: fmt.Sprintf("the answer is larger than %d KiB, far more than any tracker response", c.maxBody>>10)}
	}
	return body, resp, nil
}

// readBody reads up to limit+1 bytes of the body, in one allocation when
// the length is known.
func readBody(resp *transport.Response, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	return buf.Bytes(), err
}

// cause names a spent timeout: the attempt's, or, when it was the last the
// deadline allowed, the whole call's.
func cause(err error, caller, attempt context.Context, last bool) error {
	switch {
	case caller.Err() != nil || attempt.Err() == nil:
		return err
	case last:
		return context.DeadlineExceeded
	}
	return errAttemptTimeout
}

func statusError(resp *transport.Response) error {
	return &httpStatusError{code: resp.StatusCode}
}

type httpStatusError struct{ code int }

func (e *httpStatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.code, transport.StatusText(e.code))
}

func (e *httpStatusError) Is(target error) bool { return target == ErrHTTPStatus }

func isParseError(err error) bool {
	var pe *tracker.ParseError
	return errors.As(err, &pe)
}

func describeType(ct string) string {
	if ct == "" {
		return "without a content type"
	}
	return ct
}

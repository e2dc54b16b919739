package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// maxBody bounds the upstream's answer read: far above any tracker answer.
const maxBody = 10 << 20

// userAgent is the User-Agent of the gateway's requests.
const userAgent = "eps-tracker-gateway"

// lookup builds the request to the upstream from r, the query parameters
// the API defines and the gateway's own headers; answers in Spine's words
// what Spine would refuse; and forwards the rest.
func (h *Handler) lookup(r *http.Request, x *exchange, kind audit.Kind, id string, c caller) answer {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return refuse(http.StatusBadRequest, OutcomeValidation,
			"The query string is malformed (a stray % or ;): give each parameter as name=value, joined by &.")
	}
	params := make(map[string]string, len(q))
	for name, values := range q {
		params[name] = values[0] // Spine reads the first
	}
	up := &transport.Request{Header: h.header(r, x, c)}
	vkind := validate.KindSearch
	if kind == audit.Search {
		up.URL = tracker.SearchURL(h.upstream, params)
	} else {
		vkind = validate.KindRetrieve
		up.URL = tracker.RetrieveURL(h.upstream, id, params)
	}
	sent := up.URL.Query()
	h.recordQuery(x, kind, id, sent)
	if code := sandbox.Refused(up, vkind, id, h.now()); code != 0 {
		return answer{status: http.StatusOK, outcome: OutcomeValidation, body: sandbox.Refusal(code, vkind), contentType: "application/json"}
	}
	if n := sent.Get("issueNumber"); n != "" {
		report := validate.Check(validate.Input{Kind: vkind, PrescriptionID: id, IssueNumber: n}, h.now())
		for _, e := range report.Errors {
			if e.Field == "issueNumber" {
				return refuse(http.StatusBadRequest, OutcomeValidation, e.Message)
			}
		}
	}
	return h.forward(r.Context(), up, x)
}

// header is the headers of the request to the upstream: the gateway's
// ASID, the caller's user and role (when authenticated), the trace id,
// and the caller's Eps-TraceId as sent, for Spine's rules to judge. No
// other header of the caller's goes upstream, but its Sandbox-Fault to
// the in-process sandbox when that honours it.
func (h *Handler) header(r *http.Request, x *exchange, c caller) transport.Header {
	hdr := transport.Header{
		"Accept":          "application/json",
		"User-Agent":      userAgent,
		"Spine-From-Asid": h.asid,
		"X-Request-Id":    x.trace,
	}
	if c.userID != "" {
		hdr["Spine-Userid"] = c.userID
		hdr["Spine-Roleprofileid"] = c.roleProfileID
	}
	if v, ok := r.Header[http.CanonicalHeaderKey("Eps-TraceId")]; ok {
		hdr["Eps-Traceid"] = strings.Join(v, ", ")
	}
	if sb, ok := h.transport.(*sandbox.Sandbox); ok && sb.FaultsPerRequest() {
		if v, ok := r.Header[sandbox.FaultHeader]; ok { // a test of the caller's failures (serve --faults), never for Spine
			hdr[sandbox.FaultHeader] = strings.Join(v, ", ")
		}
	}
	return hdr
}

// recordQuery records what the request asks about: the patient, as the
// HMAC of the normalised identifier under the audit key and masked, and
// the query's other parameters (filters). A filter exactly as Spine
// accepts it (a yyyymmdd date, a status code, a version, an issue number)
// can hold no identifier, and is kept in clear; anything else may be one
// typed in the wrong place, and is masked as redact.Argument masks what
// was typed: digits as an NHS number or an id, several words whole.
func (h *Handler) recordQuery(x *exchange, kind audit.Kind, id string, sent url.Values) {
	var raw, normal string
	if kind == audit.Search {
		raw = sent.Get("nhsNumber")
		normal = validate.NormalizeNHSNumber(raw)
		x.rec.PatientMasked = redact.NHSNumber(clip(raw, 64))
	} else {
		raw = id
		normal = validate.NormalizePrescriptionID(raw)
		x.rec.PatientMasked = redact.PrescriptionID(clip(raw, 64))
	}
	if raw != "" {
		x.rec.Patient = h.key.Identify(kind, normal)
	}
	for name, values := range sent {
		if name == "format" || name == "nhsNumber" {
			continue
		}
		if x.rec.Filters == nil {
			x.rec.Filters = map[string]string{}
		}
		v := values[0]
		if !spineForm(name, v) {
			v = redact.Argument(clip(v, 64))
		}
		x.rec.Filters[name] = v
	}
}

// forward sends the request upstream and shapes its answer: Spine's body
// as it came for a 200 that is JSON; for anything else an error of the
// gateway's own, never the upstream's body.
func (h *Handler) forward(ctx context.Context, up *transport.Request, x *exchange) answer {
	caller := ctx
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	start := h.now()
	defer func() { x.rec.UpstreamLatency = h.now().Sub(start) }()
	resp, err := h.transport.Get(ctx, up)
	if err != nil {
		return h.noAnswer(caller, ctx, x, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so that the connection is kept
		return upstreamStatus(resp)
	}
	contentType := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return refuse(http.StatusBadGateway, OutcomeUnreadable, "The tracker answered with something that is not JSON: try again later.")
	}
	body, err := read(resp)
	switch {
	case err != nil:
		return h.noAnswer(caller, ctx, x, err)
	case len(body) > maxBody:
		return refuse(http.StatusBadGateway, OutcomeUnreadable, "The tracker's answer is far larger than any tracker answer: try again later.")
	}
	outcome := OutcomeUnreadable // passed on as it came, for the caller to judge
	if code, err := tracker.ParseStatus(body); err == nil {
		outcome = strconv.Itoa(code)
	}
	a := answer{status: http.StatusOK, outcome: outcome, body: body, contentType: contentType}
	if v, ok := resp.Header.Lookup(sandbox.TrainingHeader); ok { // the upstream is a training sandbox: say so
		a.header = map[string]string{sandbox.TrainingHeader: v}
	}
	return a
}

// read reads up to maxBody+1 bytes of the answer's body.
func read(resp *transport.Response) ([]byte, error) {
	var b bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= maxBody {
		b.Grow(int(n) + bytes.MinRead)
	}
	_, err := b.ReadFrom(io.LimitReader(resp.Body, maxBody+1))
	return b.Bytes(), err
}

// noAnswer is the answer when the upstream gave none, or not all of it:
// the caller went away, the upstream took too long, or it failed.
func (h *Handler) noAnswer(caller, ctx context.Context, x *exchange, err error) answer {
	switch {
	case caller.Err() != nil:
		return refuse(statusCancelled, OutcomeCancelled, "The request was cancelled.")
	case ctx.Err() != nil:
		return refuse(http.StatusGatewayTimeout, OutcomeTimeout, fmt.Sprintf(
			"The tracker did not answer within %v: try again in a minute.", h.timeout))
	}
	h.logFailure("the upstream gave no answer", x, err)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return refuse(http.StatusBadGateway, OutcomeTransport, "The tracker's answer was cut short: try again.")
	}
	return refuse(http.StatusBadGateway, OutcomeTransport, "The gateway could not reach the tracker: try again in a minute.")
}

// upstreamStatus is the answer to an upstream answer other than 200.
// Spine being busy (429, 5xx) is passed on with its status and any
// Retry-After, so that a client waits and tries again; anything else (a
// redirect, which is never followed, or a refusal of the gateway itself,
// such as its certificate) is 502, which is no fault of the caller's.
func upstreamStatus(resp *transport.Response) answer {
	outcome := OutcomeUpstreamPrefix + strconv.Itoa(resp.StatusCode)
	what := fmt.Sprintf("HTTP %d %s", resp.StatusCode, transport.StatusText(resp.StatusCode))
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests || s >= 500 && s <= 599 && s != http.StatusNotImplemented:
		a := refuse(s, outcome, "The tracker is busy or unavailable ("+what+"): try again in a few minutes.")
		if ra := resp.Header.Get("Retry-After"); validRetryAfter(ra) {
			a.header = map[string]string{"Retry-After": ra}
		}
		return a
	case s >= 300 && s <= 399:
		return refuse(http.StatusBadGateway, outcome, "The tracker answered with a redirect ("+what+"), which the gateway never follows.")
	}
	return refuse(http.StatusBadGateway, outcome, "The tracker refused the gateway's request ("+what+"): tell the gateway's administrators.")
}

// validRetryAfter reports whether v is a Retry-After value: a number of
// seconds or an HTTP date.
func validRetryAfter(v string) bool {
	if n, err := strconv.Atoi(v); err == nil {
		return n >= 0
	}
	_, err := http.ParseTime(v)
	return err == nil
}

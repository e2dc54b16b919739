package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// ErrorKind says what kind of failure an [Error] is.
type ErrorKind string

// The kinds of failure.
const (
	// KindValidation is a query refused offline, field by field, because
	// Spine would refuse it: nothing was sent.
	KindValidation ErrorKind = "validation"
	// KindSpine is an answer from the tracker with a status other than 0,
	// such as 1 (not found): SpineCode says which.
	KindSpine ErrorKind = "spine"
	// KindTransport is a lookup that got no answer it could read: no
	// connection, no answer in time, an HTTP error, an answer cut off.
	KindTransport ErrorKind = "transport"
	// KindParse is an answer that is not a tracker response, such as a
	// proxy's error page.
	KindParse ErrorKind = "parse"
	// KindConfig is settings that cannot work, such as a gateway URL that
	// is not a web address, or a method the tracker in use does not offer.
	KindConfig ErrorKind = "config"
)

// Error is the one shape of every failure, in every host. Its JSON is what
// a JavaScript promise rejects with. Nothing in it holds an NHS number or a
// prescription id in clear.
type Error struct {
	Kind ErrorKind `json:"kind"`
	// Field is the JSON name of the field to correct ("nhsNumber",
	// "gatewayUrl", …): for a validation error, the first one refused.
	// "" when the failure is not one field's.
	Field string `json:"field"`
	// Fields are, for a validation error, every field refused; else empty.
	Fields []FieldError `json:"fields"`
	// SpineCode is Spine's statusCode: the one it answered (kind spine),
	// or the one it would have answered (kind validation); else 0.
	SpineCode int `json:"spineCode"`
	// HTTPStatus is the HTTP status that ended the lookup (kind
	// transport), else 0.
	HTTPStatus int `json:"httpStatus"`
	// Message says what went wrong and what to do next, for a person. It
	// may hold line breaks: show them.
	Message string `json:"message"`
	// Reason names the failure in a few words, for a summary or a count:
	// "no answer in time", "HTTP 503", "Spine status 5 (Unexpected
	// exception)", "invalid NHS number".
	Reason string `json:"reason"`
	// TraceID is the Eps-TraceId of the lookup, "" when nothing was sent.
	TraceID string `json:"traceId"`
	// Retryable is true when trying the same lookup again may help.
	Retryable bool `json:"retryable"`

	err error // the cause, for errors.Is and errors.As
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the error it was made from, if any.
func (e *Error) Unwrap() error { return e.err }

// ErrorOf turns any error of core/validate, core/client or core/tracker into
// an *Error, explained for a person; from says who was asked (a [Source],
// such as a view's or [SettingsView.Source]), so that a message about the
// training sandbox never sends anyone to the service desk. It returns an
// *Error as it is, and nil for nil.
func ErrorOf(err error, from Source) *Error { return errorOf(err, from, "") }

// errorOf is ErrorOf for a lookup of the prescription id, which a message
// may name, masked.
func errorOf(err error, from Source, id string) *Error {
	var (
		e  *Error
		ve *validate.Error
		se *tracker.StatusError
		pe *tracker.ParseError
		te *client.TransportError
		ce *client.ConflictError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return e
	case errors.As(err, &ve):
		return validationError(ve)
	case errors.As(err, &se):
		return spineError(se, from, id)
	case errors.As(err, &te):
		return transportError(te, from)
	case errors.As(err, &pe):
		out := &Error{Kind: KindParse, Fields: []FieldError{}, err: err, TraceID: pe.TraceID, Reason: "not a tracker answer",
			Message: "The answer did not come from Spine's tracker (" + pe.Detail + "). Check the base URL, or a proxy in between."}
		if client.IsTruncated(err) {
			out.Reason, out.Retryable = "answer cut off", true
			out.Message = "The answer was cut off before its end. Try again; if it goes on, check the network, or a proxy in between."
		}
		out.Message += traceAdvice(out.TraceID, from)
		return out
	case errors.As(err, &ce):
		return &Error{Kind: KindConfig, Fields: []FieldError{}, Reason: "settings in conflict", Message: configMessage(ce), err: err}
	case errors.Is(err, client.ErrNoASID):
		return &Error{Kind: KindConfig, Fields: []FieldError{}, Reason: "no ASID", Message: configMessage(client.ErrNoASID), err: err}
	}
	return &Error{Kind: KindConfig, Fields: []FieldError{}, Reason: "cannot connect", Message: configMessage(err), err: err}
}

// configMessage is a client's error about its settings, as a sentence.
func configMessage(err error) string {
	return capital(strings.TrimPrefix(err.Error(), "client: ")) + "."
}

func validationError(ve *validate.Error) *Error {
	fields := fieldErrorsOf(ve.Fields)
	msgs := make([]string, len(fields))
	for i, f := range fields {
		msgs[i] = f.Message
	}
	e := &Error{Kind: KindValidation, Fields: fields, Message: strings.Join(msgs, "\n"), Reason: "invalid input", err: ve}
	if len(fields) > 0 {
		e.Field, e.SpineCode, e.Reason = fields[0].Field, fields[0].SpineCode, "invalid "+lowerLabel(fields[0].Field)
	}
	return e
}

func spineError(se *tracker.StatusError, from Source, id string) *Error {
	who := capital(from.Name)
	e := &Error{Kind: KindSpine, Fields: []FieldError{}, SpineCode: se.Code, TraceID: se.TraceID, err: se,
		Reason: fmt.Sprintf("%s status %d (%s)", strings.TrimPrefix(from.Name, "the "), se.Code, se.Reason)}
	switch {
	case errors.Is(se, tracker.ErrNotFound):
		which := "such prescription"
		if id != "" {
			which = "prescription " + redact.PrescriptionID(validate.NormalizePrescriptionID(id))
		}
		e.Field = "prescriptionId"
		e.Message = who + " has no " + which + ". Check the id against the prescription token."
	case errors.Is(se, tracker.ErrIssueNotFound):
		e.Field = "issueNumber"
		e.Message = "This prescription has no such issue. Leave out the issue number for the current one."
	case errors.Is(se, tracker.ErrNotUnique):
		e.Message = who + " found more than one prescription with this id and cannot tell them apart. Report it with the trace id."
	case se.Refused():
		e.Message = fmt.Sprintf("%s refused the request: %s (code %d). Check the connection settings (ASID, user and role ids).", who, se.Reason, se.Code)
	default:
		e.Retryable = !errors.Is(se, tracker.ErrRecordMalformed) // 5, or a code Spine does not document
		e.Message = fmt.Sprintf("%s could not answer: %s (code %d).", who, se.Reason, se.Code)
		if e.Retryable {
			e.Message += " Try again in a few minutes."
		}
	}
	e.Message += traceAdvice(e.TraceID, from)
	return e
}

func transportError(te *client.TransportError, from Source) *Error {
	e := &Error{Kind: KindTransport, Fields: []FieldError{}, HTTPStatus: te.StatusCode, TraceID: te.TraceID, err: te}
	attempts := ""
	if te.Attempts > 1 {
		attempts = fmt.Sprintf(" after %d attempts", te.Attempts)
	}
	who := capital(from.Name)
	busy := te.StatusCode == 429 || te.StatusCode >= 502 && te.StatusCode <= 504
	cause := te.Err
	if inner := errors.Unwrap(cause); inner != nil {
		cause = inner // the system's words, without the operation around them
	}
	switch {
	case errors.Is(te.Err, context.Canceled):
		e.Reason, e.Message = "stopped", "Stopped."
		return e // no trace advice: no one needs to look into it
	case te.Timeout():
		e.Reason, e.Retryable = "no answer in time", true
		e.Message = "No answer in time" + attempts + ". Check the network connection and try again; " + from.Name + " may be slow."
	case client.IsTruncated(te):
		e.Reason, e.Retryable = "answer cut off", true
		e.Message = "The answer was cut off before its end" + attempts + ". Try again; if it goes on, check the network, or a proxy in between."
	case busy && te.RetryAfter > 0:
		e.Reason, e.Retryable = fmt.Sprintf("HTTP %d", te.StatusCode), true
		e.Message = fmt.Sprintf("%s is busy or unavailable (HTTP %d)%s and asked to wait %s, more than the time left. Try again after that.",
			who, te.StatusCode, attempts, waitInWords(te.RetryAfter))
	case busy:
		e.Reason, e.Retryable = fmt.Sprintf("HTTP %d", te.StatusCode), true
		e.Message = fmt.Sprintf("%s is busy or unavailable (HTTP %d)%s. Try again in a few minutes.", who, te.StatusCode, attempts)
	case te.StatusCode == 404:
		e.Reason = "HTTP 404"
		e.Message = "Nothing answers at that address (HTTP 404). Check the base URL: it ends in /mm/prescriptions."
	case te.StatusCode == 401 && from.Backend == BackendGateway:
		e.Reason, e.Retryable = "HTTP 401", true // once signed in again
		e.Message = "Your sign-in was not accepted (HTTP 401): it may have expired. Sign in to the portal again, then try again."
	case te.StatusCode == 403 && from.Backend == BackendGateway:
		e.Reason = "HTTP 403"
		e.Message = "The gateway does not accept requests from this page (HTTP 403): the portal's administrators must ask for its address to be allowed."
	case te.StatusCode == 401 || te.StatusCode == 403:
		e.Reason = fmt.Sprintf("HTTP %d", te.StatusCode)
		e.Message = fmt.Sprintf("Access was refused (HTTP %d). Check the certificate and ASID, or that you are signed in.", te.StatusCode)
	case te.StatusCode != 0:
		e.Reason, e.Retryable = fmt.Sprintf("HTTP %d", te.StatusCode), te.StatusCode >= 500
		e.Message = fmt.Sprintf("The server answered HTTP %d%s. Try again; if it goes on, report it.", te.StatusCode, attempts)
	case strings.Contains(te.Err.Error(), "no such host"):
		e.Reason, e.Retryable = "could not connect", true
		e.Message = "The address could not be found. Check the base URL and the network."
	case strings.Contains(te.Err.Error(), "certificate") || strings.Contains(te.Err.Error(), "tls:"):
		e.Reason = "could not connect"
		e.Message = "The secure connection failed: " + cause.Error() + ". Check the certificate, its key and the CA certificates."
	default:
		e.Reason, e.Retryable = "could not connect", true
		e.Message = "Could not connect" + attempts + " (" + cause.Error() + "). Check the network and the base URL; is the service running?"
	}
	e.Message += traceAdvice(e.TraceID, from)
	return e
}

// traceAdvice is the line that ends a message about a lookup that was
// sent: its trace id, and, for Spine, whom to give it to.
func traceAdvice(traceID string, from Source) string {
	switch {
	case traceID == "":
		return ""
	case from.Training:
		return "\nTrace id " + traceID + "." // no service desk answers for the sandbox
	}
	return "\nTrace id " + traceID + " — give it to the service desk if this goes on."
}

// waitInWords says how long a wait is, to the second, in words: "2 hours",
// "1 minute 30 seconds"; past a day, "more than a day".
func waitInWords(d time.Duration) string {
	if d > 24*time.Hour {
		return "more than a day"
	}
	d = d.Round(time.Second)
	var parts []string
	for _, unit := range []struct {
		size time.Duration
		name string
	}{{time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		switch n := d / unit.size; {
		case n == 1:
			parts = append(parts, "1 "+unit.name)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", n, unit.name))
		}
		d %= unit.size
	}
	if len(parts) == 0 {
		return "less than a second"
	}
	return strings.Join(parts, " ")
}

// lowerLabel is the name people know a field by, within a sentence:
// "earliest date", but "NHS number".
func lowerLabel(field string) string {
	l := validate.Label(field)
	if len(l) > 1 && l[1] >= 'a' && l[1] <= 'z' {
		return strings.ToLower(l[:1]) + l[1:]
	}
	return l
}

// capital starts s with a capital letter: "the sandbox" → "The sandbox".
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-('a'-'A')) + s[1:]
}

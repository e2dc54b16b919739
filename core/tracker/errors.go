package tracker

import (
	"errors"
	"fmt"
)

// Sentinels for the fixed facts Spine reports in its status envelope. Test for
// them with errors.Is on the error returned by a response's Err method (or by
// a client); the *StatusError itself carries the code and reason.
var (
	ErrNotFound        = errors.New("prescription not found")                // statusCode 1
	ErrNotUnique       = errors.New("prescription id is not unique")         // statusCode 2
	ErrIssueNotFound   = errors.New("issue not found")                       // statusCode 3
	ErrRecordMalformed = errors.New("the record on Spine could not be read") // statusCode 4
	ErrSpineFailure    = errors.New("Spine failed unexpectedly")             // statusCode 5
	ErrRequestRefused  = errors.New("Spine refused the request")             // statusCode 50–61
)

// StatusError is a tracker response whose statusCode is not 0: Spine
// understood the request and answered that it could not fulfil it.
type StatusError struct {
	Code    int    // Spine's statusCode, e.g. 1
	Reason  string // Spine's reason text, e.g. "Not found"
	TraceID string // the Eps-TraceId of the request, when known
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("spine status %d", e.Code)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	if e.TraceID != "" {
		s += ", trace id " + e.TraceID
	}
	return s
}

// Unwrap returns the sentinel for the error's code, or nil for a code Spine
// does not document, so that errors.Is(err, ErrNotFound) works.
func (e *StatusError) Unwrap() error { return sentinelFor(e.Code) }

// Refused reports whether Spine refused the request before any lookup
// (codes 50–61): the request itself was wrong, and retrying it cannot help.
func (e *StatusError) Refused() bool { return e.Code >= 50 && e.Code <= 61 }

func sentinelFor(code int) error {
	switch {
	case code == 1:
		return ErrNotFound
	case code == 2:
		return ErrNotUnique
	case code == 3:
		return ErrIssueNotFound
	case code == 4:
		return ErrRecordMalformed
	case code == 5:
		return ErrSpineFailure
	case code >= 50 && code <= 61:
		return ErrRequestRefused
	}
	return nil
}

// StatusReason returns Spine's reason text for a status code it documents,
// or "" for 0 (success) and for a code it does not document.
func StatusReason(code int) string { return statusReasons[code] }

var statusReasons = map[int]string{
	0:  "",
	1:  "Not found",
	2:  "No unique prescription",
	3:  "Issue not found",
	4:  "Failed to parse prescription",
	5:  "Unexpected exception",
	50: "Query parameters have not been provided",
	51: "Invalid prescription id",
	52: "Invalid or missing asid",
	53: "Invalid version",
	54: "Invalid traceId",
	55: "Invalid userId",
	56: "Invalid roleProfileId",
	57: "Invalid search date",
	59: "Invalid search prescription state",
	60: "Invalid search prescription version",
	61: "Invalid or missing NHS number",
}

// ParseProblem says, in one word, what kind of body could not be parsed.
// Hosts may show or count it: a kind keeps its value once named, and new
// kinds may be added.
type ParseProblem string

// The kinds of body that are not a tracker response. [ProblemHTML] and
// [ProblemXML] are told apart by how the body starts: an XML declaration or a
// root element that is not html is XML, as when the address answering is
// another interface's; an html root or doctype is HTML.
const (
	ProblemEmpty     ParseProblem = "empty"      // no body at all
	ProblemHTML      ParseProblem = "html"       // an HTML page, typically a proxy's error page
	ProblemXML       ParseProblem = "xml"        // an XML document, such as another interface's SOAP fault
	ProblemTruncated ParseProblem = "truncated"  // JSON that stops before its end
	ProblemSyntax    ParseProblem = "syntax"     // not JSON
	ProblemShape     ParseProblem = "shape"      // JSON, but not shaped like a tracker response
	ProblemMediaType ParseProblem = "media-type" // an answer that says it is not JSON
	ProblemTooLarge  ParseProblem = "too-large"  // far larger than any tracker response
)

// ParseError reports a body that is not a tracker response. It never quotes
// the body, which may hold patient data.
type ParseError struct {
	Problem ParseProblem
	Offset  int    // byte offset at which the problem was found, or -1
	Detail  string // what was wrong, for a person
	TraceID string // the Eps-TraceId of the request, when known
}

func (e *ParseError) Error() string {
	s := "not a tracker response: " + e.Detail
	if e.Offset >= 0 {
		s += fmt.Sprintf(" (at byte %d)", e.Offset)
	}
	if e.TraceID != "" {
		s += ", trace id " + e.TraceID
	}
	return s
}

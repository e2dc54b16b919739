package sandbox

import (
	"bytes"
	"net/url"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// Spine checks the request before any lookup, in this order, and answers
// the first refusal's code.
var refusalOrder = []string{"asid", "traceId", "userId", "roleProfileId", "version", "prescriptionId", "nhsNumber", "earliestDate", "latestDate", "prescriptionStatus", "prescriptionVersion"}

// Refused returns the statusCode (50–61) with which Spine refuses req, a
// request of the given kind, before any lookup, or 0 when Spine would look
// it up. id is the prescription id of a retrieve, as [PathID] reads it from
// the path. The sandbox answers with it, and a gateway checks with it what
// it is about to send, so that what Spine would refuse is answered as Spine
// would answer it, and not sent.
//
// It asks core/validate, as every client does, and adds what Spine does
// not forgive: a header sent empty, and a value that only normalising would
// make valid. now is the current time.
func Refused(r *transport.Request, kind validate.Kind, id string, now time.Time) int {
	if r.URL.RawQuery == "" {
		return 50
	}
	q := r.URL.Query()
	format := tracker.SearchFormat
	if kind == validate.KindRetrieve {
		format = tracker.RetrieveFormat
	}
	if q.Get("format") != format {
		return 50
	}
	asid, ok := r.Header.Lookup("Spine-From-Asid")
	if !ok || asid == "" {
		return 52
	}
	in := validate.Input{Kind: kind, ASID: asid, Version: q.Get("version")}
	var sentTrace, sentUser, sentRole bool
	in.TraceID, sentTrace = r.Header.Lookup("Eps-TraceId")
	in.UserID, sentUser = r.Header.Lookup("Spine-UserId")
	in.RoleProfileID, sentRole = r.Header.Lookup("Spine-RoleProfileId")
	sent := map[string]bool{"traceId": sentTrace, "userId": sentUser, "roleProfileId": sentRole}
	if kind == validate.KindSearch {
		in.NHSNumber = q.Get("nhsNumber")
		in.EarliestDate = q.Get("earliestDate")
		in.LatestDate = q.Get("latestDate")
		in.PrescriptionStatus = q.Get("prescriptionStatus")
		in.PrescriptionVersion = q.Get("prescriptionVersion")
	} else {
		in.PrescriptionID = id
	}
	report := validate.Check(in, now)
	codes := map[string]int{}
	for _, e := range report.Errors {
		codes[e.Field] = e.SpineCode
	}
	for _, name := range refusalOrder {
		raw := in.Field(name)
		normal, valid := report.Normalized[name]
		switch {
		case codes[name] != 0:
			return codes[name]
		case sent[name] && *raw == "":
			return validate.SpineCode(name) // a header sent empty is malformed
		case valid && !sameAsSent(name, *raw, normal):
			return validate.SpineCode(name)
		}
	}
	return 0
}

// sameAsSent reports whether Spine would read the raw value as it is. Spine
// accepts ids in lower case, but nothing else that only normalising mends.
func sameAsSent(name, raw, normal string) bool {
	if name == "prescriptionId" {
		return strings.EqualFold(raw, normal)
	}
	return raw == normal
}

// PathID is the prescription id of a retrieve, from the escaped path
// segment that follows /mm/prescriptions/, as Spine reads it: as a query
// value, so that an unencoded "+" arrives as a space.
func PathID(escaped string) string {
	id, err := url.QueryUnescape(escaped)
	if err != nil {
		return escaped
	}
	return id
}

// Refusal is the body of Spine's answer to a request of the given kind
// that it refuses with code, or to a retrieve of an id it does not know
// (1): the status envelope, with the query's member left empty. Spine sends
// it with HTTP 200, as application/json.
func Refusal(code int, kind validate.Kind) []byte {
	var b bytes.Buffer
	refusal(&b, code, kind == validate.KindSearch, false)
	return b.Bytes()
}

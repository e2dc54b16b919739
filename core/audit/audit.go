// Package audit is what the gateway records of every lookup it answers, and
// how: one [Record] per request, handed to a [Sink] before the answer goes
// back, so that no lookup is answered unrecorded.
//
// A record holds no patient identifier in clear. The NHS number or the
// prescription id a caller looked up is kept as an HMAC-SHA256 under the
// site's audit [Key], beside its masked form: an investigator who holds the
// key finds every lookup of one patient by computing the same HMAC
// ([Key.Identify]); the store alone tells no one whom a lookup was about.
//
// Natively the sink is a SQLite store whose records form a hash chain; on
// Cloudflare Workers it is a structured log line for Workers Logs.
package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is which of the tracker's two queries a request was.
type Kind string

const (
	// Search is a search of a patient's prescriptions by NHS number.
	Search Kind = "search"
	// Retrieve is the retrieval of one prescription by its id.
	Retrieve Kind = "retrieve"
)

// Record is one request the gateway answered, refusals included.
type Record struct {
	// Time is when the request arrived, in UTC.
	Time time.Time `json:"time"`
	// Issuer and Subject name the caller as its token did ("iss", "sub");
	// both are empty when the gateway runs unauthenticated (sandbox only) or
	// refused the token.
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
	// UserID and RoleProfileID are what was sent to Spine as Spine-UserId
	// and Spine-RoleProfileId.
	UserID        string `json:"userId"`
	RoleProfileID string `json:"roleProfileId"`
	// Origin is the request's Origin header, as sent.
	Origin string `json:"origin"`
	// Kind is search or retrieve; empty for a request that was neither
	// (a path the gateway does not serve).
	Kind Kind `json:"kind"`
	// Patient is the HMAC of the NHS number (a search) or of the
	// prescription id (a retrieve) under the audit key, as [Key.Identify]
	// gives it; PatientMasked is the same identifier masked.
	Patient       string `json:"patient"`
	PatientMasked string `json:"patientMasked"`
	// Filters are the query's other parameters (dates, status, version,
	// issue number), as sent to Spine.
	Filters map[string]string `json:"filters,omitempty"`
	// Outcome is Spine's status code when Spine answered ("0" found,
	// "1" not found, …), else the kind of refusal or error that stopped
	// the request: "unauthenticated", "forbidden-origin", "rate-limited",
	// "validation", "transport"… (the gateway's Outcome constants).
	Outcome string `json:"outcome"`
	// HTTPStatus is the status the caller was answered with.
	HTTPStatus int `json:"httpStatus"`
	// TraceID is the request's trace id: the caller's Eps-TraceId or
	// X-Request-ID, or one the gateway made; the answer's X-Request-ID.
	TraceID string `json:"traceId"`
	// UpstreamLatency is how long the upstream took to answer; zero when the
	// request was not forwarded.
	UpstreamLatency time.Duration `json:"upstreamLatencyNs"`
}

// Sink keeps records. Write returns only once the record is durable (in a
// store, written and synced; in a log, handed to the log), and an error
// when it is not, in which case the gateway does not give the answer.
// A Sink is safe for concurrent use.
type Sink interface {
	Write(ctx context.Context, r Record) error
}

// SinkFunc adapts a function to [Sink].
type SinkFunc func(ctx context.Context, r Record) error

// Write calls f.
func (f SinkFunc) Write(ctx context.Context, r Record) error { return f(ctx, r) }

// MinKeyLength is the shortest audit key accepted, in bytes: 32, the size of
// the HMAC's own output.
const MinKeyLength = 32

// ErrShortKey is returned by [NewKey] for a key shorter than [MinKeyLength].
var ErrShortKey = fmt.Errorf("the audit key is too short: give at least %d characters, for example from: openssl rand -base64 48", MinKeyLength)

// Key is a site's audit key: the secret under which identifiers are kept.
type Key struct {
	secret []byte
}

// NewKey makes a key of secret, which must be at least [MinKeyLength] bytes
// of printable text (leading and trailing spaces, as a file's last newline,
// are dropped).
func NewKey(secret string) (Key, error) {
	s := strings.TrimSpace(secret)
	switch {
	case !utf8.ValidString(s):
		return Key{}, errors.New("the audit key is not text: give it as printable characters, for example from: openssl rand -base64 48")
	case len(s) < MinKeyLength:
		return Key{}, ErrShortKey
	}
	return Key{secret: []byte(s)}, nil
}

// IsZero reports whether k was never made by [NewKey].
func (k Key) IsZero() bool { return len(k.secret) == 0 }

// Identify is the HMAC-SHA256, in lower-case hex, of an identifier of this
// kind under k. The identifier must be in its normalised form (an NHS number
// as ten digits, a prescription id upper-case with its hyphens), so that the
// same patient always gives the same value; the kind is part of the
// message, so an NHS number and an id never collide.
func (k Key) Identify(kind Kind, normalised string) string {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(normalised))
	return hex.EncodeToString(m.Sum(nil))
}

package client

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
)

// RetryPolicy says when and how soon a failed call is tried again. Only the
// tracker's GETs are ever sent, and they are idempotent, so a retry is
// safe; it is made on connection errors and on HTTP 429, 502, 503 and 504,
// never on another 4xx or on an answer from Spine (a status envelope).
type RetryPolicy struct {
	MaxAttempts int           // including the first; 1 means never retry
	BaseDelay   time.Duration // the first wait; each later one doubles; 0 for none
	MaxDelay    time.Duration // no backoff is longer; a Retry-After is waited in full
}

// DefaultRetryPolicy returns the policy a client uses unless told
// otherwise: three attempts, waiting about 0.25 s then 0.5 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 250 * time.Millisecond, MaxDelay: 10 * time.Second}
}

// retryableStatus reports whether an HTTP status is worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case 429, 502, 503, 504: // Too Many Requests, Bad Gateway, Service Unavailable, Gateway Timeout
		return true
	}
	return false
}

// delay is how long to wait before attempt n+1 (n counts from 1): the wait
// the server asked for with header, its answer's Retry-After, in full (the
// caller gives up instead if that would pass the deadline), or else
// exponential backoff with jitter, between half and all of BaseDelay·2ⁿ⁻¹,
// at most MaxDelay. asked reports whether the wait is the server's.
func (p RetryPolicy) delay(n int, header string, now time.Time) (wait time.Duration, asked bool) {
	if d, ok := retryAfter(header, now); ok {
		return d, true
	}
	if p.BaseDelay <= 0 {
		return 0, false
	}
	backoff := p.MaxDelay
	if n-1 < 62 && p.BaseDelay <= p.MaxDelay>>(n-1) {
		backoff = p.BaseDelay << (n - 1)
	}
	return backoff/2 + rand.N(backoff/2+1), false
}

// longestWait stands for any wait longer than a Duration can hold.
const longestWait = time.Duration(math.MaxInt64)

// retryAfter reads a Retry-After header: a number of seconds, or an HTTP
// date (read against now). A wait too long for a Duration is longestWait,
// never one that overflows into the past.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if ascii.Digits(v) {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil || s > int64(longestWait/time.Second) { // err can only be a number out of range
			return longestWait, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, ok := parseHTTPDate(v); ok {
		return max(t.Sub(now), 0), true // Sub saturates: no overflow
	}
	return 0, false
}

// httpDate is the form of a date in HTTP headers (RFC 9110, IMF-fixdate),
// always in GMT.
const httpDate = "Mon, 02 Jan 2006 15:04:05 GMT"

// parseHTTPDate reads a date in any of the three forms HTTP allows: the
// IMF-fixdate of httpDate, and the obsolete RFC 850 and asctime forms.
func parseHTTPDate(v string) (time.Time, bool) {
	for _, layout := range []string{httpDate, time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

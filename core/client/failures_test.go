package client

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// TestFailures drives every failure path through the sandbox's fault
// injection: which are retried, how often, and what the caller gets.
func TestFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fault    string
		faulty   int // requests that get the fault; -1 for all
		attempts int // requests the client makes
		ok       bool
		check    func(t *testing.T, err error)
	}{
		{"503 then success", "status:503", 1, 2, true, nil},
		{"502 twice then success", "status:502", 2, 3, true, nil},
		{"504 every time", "status:504", -1, 3, false, wantHTTP(504)},
		{"429 then success", "retry-after:429:0", 1, 2, true, nil},
		{"500 is not retried", "status:500", -1, 1, false, wantHTTP(500)},
		{"404 is not retried", "status:404", -1, 1, false, wantHTTP(404)},
		{"HTML error page (502) is retried", "html", -1, 3, false, wantHTTP(502)},
		{"reset then success", "reset", 1, 2, true, nil},
		{"reset every time", "reset", -1, 3, false, func(t *testing.T, err error) {
			if !errors.Is(err, sandbox.ErrConnectionReset) {
				t.Errorf("err = %v, want the reset as its cause", err)
			}
		}},
		{"truncated then success", "truncate", 2, 3, true, nil},
		{"truncated every time", "truncate", -1, 3, false, func(t *testing.T, err error) {
			wantTruncated(t, err)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("err = %v, want an unexpected EOF as its cause", err)
			}
		}},
		{"wrong content type is not retried", "wrong-content-type", -1, 1, false, wantParse(tracker.ProblemMediaType)},
		{"oversized answer is not retried", "oversize", -1, 1, false, wantParse(tracker.ProblemTooLarge)},
		{"slow body arrives whole", "slow-body:1ms", -1, 1, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sp, sb := setup(t)
			sp.fault, sp.faulty = tt.fault, tt.faulty
			res, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
			if got := int(sp.count.Load()); got != tt.attempts {
				t.Errorf("%d requests, want %d", got, tt.attempts)
			}
			if tt.ok {
				if err != nil || res.Attempts != tt.attempts {
					t.Fatalf("err = %v, attempts %v", err, res)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if TraceID(err) == "" || !strings.Contains(err.Error(), TraceID(err)) {
				t.Errorf("error %q has no trace id", err)
			}
			if strings.Contains(err.Error(), sb.Patients()[0].NHSNumber) {
				t.Errorf("error %q holds the NHS number", err)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
			var te *TransportError
			if errors.As(err, &te) && te.Attempts != tt.attempts {
				t.Errorf("error says %d attempts, want %d", te.Attempts, tt.attempts)
			}
		})
	}
}

// wantTruncated checks that an answer cut off is said to be, and not taken
// for an HTTP failure.
func wantTruncated(t *testing.T, err error) {
	t.Helper()
	var te *TransportError
	if !errors.As(err, &te) || !errors.Is(err, ErrTruncated) || !IsTruncated(err) {
		t.Fatalf("err = %#v, want a transport error: the answer was cut off", err)
	}
	if te.StatusCode != 0 || errors.Is(err, ErrHTTPStatus) || te.Timeout() {
		t.Errorf("err = %v (HTTP %d), which looks like an HTTP failure or a timeout", err, te.StatusCode)
	}
	if !strings.Contains(err.Error(), "the answer was cut off") {
		t.Errorf("err = %q does not say the answer was cut off", err)
	}
}

// TestIsTruncated: JSON that stops before its end, though the HTTP answer
// was whole, is cut off too.
func TestIsTruncated(t *testing.T) {
	t.Parallel()
	c, err := New(WithBaseURL("http://tracker.test/mm/prescriptions"), WithASID("200000001234"), WithClock(clock),
		WithTransport(answering(200, transport.Header{"Content-Type": "application/json"}, `{"statusCode": "0", "reason": "", "prescriptionList": {"`)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Search(context.Background(), SearchQuery{NHSNumber: "9434765919"})
	if !IsTruncated(err) {
		t.Errorf("err = %v, want it cut off", err)
	}
	for _, err := range []error{nil, errors.New("unexpected EOF"), &TransportError{Err: ErrHTTPStatus, StatusCode: 502},
		&tracker.ParseError{Problem: tracker.ProblemSyntax}} {
		if IsTruncated(err) {
			t.Errorf("IsTruncated(%v)", err)
		}
	}
}

func wantHTTP(code int) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		var te *TransportError
		if !errors.As(err, &te) || te.StatusCode != code || !errors.Is(err, ErrHTTPStatus) {
			t.Errorf("err = %#v, want a transport error with HTTP %d", err, code)
		}
		if !strings.Contains(te.URL, "*** *** ") {
			t.Errorf("URL %s is not masked", te.URL)
		}
	}
}

func wantParse(p tracker.ParseProblem) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		var pe *tracker.ParseError
		if !errors.As(err, &pe) || pe.Problem != p {
			t.Errorf("err = %v, want a parse error (%s)", err, p)
		}
	}
}

// TestSpineAnswersAreNotRetried: a status envelope is an answer, not a failure.
func TestSpineAnswersAreNotRetried(t *testing.T) {
	t.Parallel()
	c, sp, _ := setup(t)
	_, err := c.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: "C0C757-A83008-C2D93O"})
	if !errors.Is(err, tracker.ErrNotFound) || sp.count.Load() != 1 {
		t.Errorf("err = %v after %d requests", err, sp.count.Load())
	}
}

// ticking is the tests' clock, now, moving on with the time of the synctest
// bubble it is made in. In a bubble time is fake, and passes only when
// every goroutine waits: waits and deadlines are measured exactly, and no
// test waits on the real clock.
func ticking() func() time.Time {
	start := time.Now()
	return func() time.Time { return now.Add(time.Since(start)) }
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// MaxDelay bounds the backoff, not the wait the server asks for.
		c, sp, sb := setup(t, WithClock(ticking()), WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
		sp.fault, sp.faulty = "retry-after:503:1", 1
		start := time.Now()
		if _, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber}); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != time.Second {
			t.Errorf("retried after %v; Retry-After asked for 1 s", waited)
		}
	})
}

// TestDeadlines: a slow Spine costs no more than the call's deadline, and
// a wait that would run past it is not started. Each runs in a synctest
// bubble, so the time each takes is exact.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	t.Run("attempt timeout, then the total deadline", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, sp, sb := setup(t, WithClock(ticking()), WithTimeout(300*time.Millisecond), WithAttemptTimeout(100*time.Millisecond),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 10, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			sp.fault, sp.faulty = "latency:1h", -1
			start := time.Now()
			_, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
			// 100 ms, a wait of at most 1 ms, 100 ms, another, and what is left.
			var te *TransportError
			if !errors.As(err, &te) || !te.Timeout() || te.Attempts != 3 || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want the deadline to end the third attempt", err)
			}
			if elapsed := time.Since(start); elapsed != 300*time.Millisecond {
				t.Errorf("took %v, want the 300 ms deadline", elapsed)
			}
		})
	})
	t.Run("Retry-After past the deadline", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, sp, sb := setup(t, WithClock(ticking()), WithTimeout(500*time.Millisecond),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Minute}))
			sp.fault, sp.faulty = "retry-after:429:30", -1
			start := time.Now()
			_, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
			if waited := time.Since(start); waited != 0 || sp.count.Load() != 1 {
				t.Errorf("waited %v and sent %d requests; the wait would pass the deadline", waited, sp.count.Load())
			}
			if !errors.Is(err, ErrHTTPStatus) {
				t.Errorf("err = %v", err)
			}
		})
	})
	// Cancelled once the call waits: on a server that does not answer, or
	// between attempts.
	for _, tt := range []struct {
		name  string
		fault string
		retry RetryPolicy
	}{
		{"cancelling stops at once", "latency:1h", fast},
		{"cancelled during a backoff wait", "status:503", RetryPolicy{MaxAttempts: 3, BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c, sp, sb := setup(t, WithClock(ticking()), WithRetryPolicy(tt.retry))
				sp.fault, sp.faulty = tt.fault, -1
				ctx, cancel := context.WithCancel(context.Background())
				start := time.Now()
				done := make(chan error)
				go func() {
					_, err := c.Search(ctx, SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
					done <- err
				}()
				synctest.Wait() // until the call waits
				cancel()
				if err := <-done; !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v", err)
				}
				if elapsed := time.Since(start); elapsed != 0 || sp.count.Load() != 1 {
					t.Errorf("%v passed and %d requests were sent after cancelling", elapsed, sp.count.Load())
				}
			})
		})
	}
}

func TestRetryPolicyDelay(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n := 1; n <= 6; n++ {
		for range 50 {
			d, asked := p.delay(n, "", now)
			full := min(p.BaseDelay<<(n-1), p.MaxDelay)
			if d < full/2 || d > full || asked {
				t.Fatalf("delay(%d) = %v, %v, want within [%v, %v], not asked for", n, d, asked, full/2, full)
			}
		}
	}
	if d, _ := (RetryPolicy{MaxAttempts: 3, MaxDelay: 10 * time.Second}).delay(1, "", now); d != 0 {
		t.Errorf("no base delay: waits %v", d)
	}
	if d, _ := p.delay(200, "", now); d < p.MaxDelay/2 || d > p.MaxDelay {
		t.Errorf("delay after many attempts: %v", d)
	}
	// Retry-After is waited in full, however long; what is not a Retry-After
	// leaves the backoff.
	tests := []struct {
		header string
		want   time.Duration // -1: not a Retry-After, so the backoff
	}{
		{"3", 3 * time.Second},
		{"0", 0},
		{now.Add(2 * time.Second).UTC().Format(httpDate), 2 * time.Second},
		{now.Add(-time.Hour).UTC().Format(httpDate), 0},
		{now.Add(3 * time.Second).UTC().Format(time.RFC850), 3 * time.Second}, // the obsolete forms HTTP still allows
		{now.Add(4 * time.Second).UTC().Format(time.ANSIC), 4 * time.Second},
		{"Tue, 24 Nov 2026 10:00:05 GMT", 5 * time.Second},
		{"Tue, 24 Nov 2026 10:00:05 BST", -1},
		{"9223372036", 9223372036 * time.Second},
		{"9223372037", longestWait},
		{"10000000000", longestWait},
		{"99999999999999999999999999", longestWait},
		{"Fri, 31 Dec 9999 23:59:59 GMT", longestWait},
		{"-1", -1},
		{"+5", -1},
		{"1.5", -1},
		{"soon", -1},
	}
	for _, tt := range tests {
		d, asked := p.delay(1, tt.header, now)
		switch {
		case tt.want < 0 && (asked || d < p.BaseDelay/2 || d > p.BaseDelay):
			t.Errorf("Retry-After %q: waits %v (asked %v), want the backoff", tt.header, d, asked)
		case tt.want >= 0 && (!asked || d != tt.want):
			t.Errorf("Retry-After %q: waits %v (asked %v), want the %v asked for", tt.header, d, asked, tt.want)
		}
	}
}

// TestDefaultRetryPolicyIsFixed: the default is a value each caller gets a
// copy of, so no caller can change it for the others.
func TestDefaultRetryPolicyIsFixed(t *testing.T) {
	t.Parallel()
	p := DefaultRetryPolicy()
	p.MaxAttempts, p.BaseDelay = 1, time.Hour
	want := RetryPolicy{MaxAttempts: 3, BaseDelay: 250 * time.Millisecond, MaxDelay: 10 * time.Second}
	if got := DefaultRetryPolicy(); got != want {
		t.Errorf("DefaultRetryPolicy() = %+v after a caller changed its copy, want %+v", got, want)
	}
	c, err := New()
	if err != nil || c.retry != want {
		t.Errorf("a new client retries with %+v (%v), want %+v", c.retry, err, want)
	}
}

// TestRetryAfterTooLong: a Retry-After longer than the time left before the
// deadline, however large, ends the call at once with the wait the server
// asked for, instead of overflowing into a wait of nothing.
func TestRetryAfterTooLong(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{"retry-after:429:10000000000", "retry-after:503:9223372036", "retry-after:429:31"} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			c, sp, sb := setup(t)
			sp.fault, sp.faulty = fault, -1
			_, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
			var te *TransportError
			if !errors.As(err, &te) || te.Attempts != 1 || sp.count.Load() != 1 || !errors.Is(err, ErrHTTPStatus) {
				t.Fatalf("err = %v after %d requests, want one attempt refused for its status", err, sp.count.Load())
			}
			if te.RetryAfter <= DefaultTimeout || !strings.Contains(err.Error(), "asked to wait") {
				t.Errorf("RetryAfter = %v in %q, want the wait asked for", te.RetryAfter, err)
			}
		})
	}
}

// TestRetryAfterDate: a Retry-After given as an HTTP date is read against
// the client's clock, wherever that clock stands.
func TestRetryAfterDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		at       time.Time
		attempts int
	}{
		{"in the past", now.Add(-time.Hour), 2},
		{"far in the future", time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC), 1},
		{"past the deadline", now.Add(DefaultTimeout + time.Minute), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			busy := answering(503, transport.Header{"Retry-After": tt.at.Format(httpDate)}, "")
			ok := answering(200, transport.Header{"Content-Type": "application/json"}, `{"statusCode": "0", "reason": "", "version": "1", "prescriptionList": {}}`)
			c, err := New(WithBaseURL("http://tracker.test/mm/prescriptions"), WithASID("200000001234"), WithClock(clock),
				WithTransport(transport.Func(func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
					if n.Add(1) == 1 {
						return busy.Get(ctx, req)
					}
					return ok.Get(ctx, req)
				})))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Search(context.Background(), SearchQuery{NHSNumber: "9434765919"})
			if got := int(n.Load()); got != tt.attempts || (err == nil) != (tt.attempts == 2) {
				t.Errorf("%d requests, err = %v; want %d", got, err, tt.attempts)
			}
		})
	}
}

// TestClockMeasuresTheDeadline: the client measures its deadline with its
// own clock. A clock that leaps an hour once the first request is sent
// leaves no time for a retry, though hardly any real time has passed.
func TestClockMeasuresTheDeadline(t *testing.T) {
	t.Parallel()
	var sp *spy
	leaping := func() time.Time {
		if sp != nil && sp.count.Load() > 0 {
			return now.Add(time.Hour)
		}
		return now
	}
	c, sp, sb := setup(t, WithClock(leaping))
	sp.fault, sp.faulty = "status:503", -1
	_, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
	var te *TransportError
	if !errors.As(err, &te) || te.StatusCode != 503 || sp.count.Load() != 1 {
		t.Errorf("err = %v after %d requests, want one attempt: the clock says the deadline has passed", err, sp.count.Load())
	}
}

// answering is a tracker that gives every request the same answer.
func answering(status int, header transport.Header, body string) transport.Transport {
	return transport.Func(func(context.Context, *transport.Request) (*transport.Response, error) {
		return &transport.Response{StatusCode: status, Header: header, ContentLength: int64(len(body)),
			Body: io.NopCloser(strings.NewReader(body))}, nil
	})
}

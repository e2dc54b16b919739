package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
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
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("err = %v, want an unexpected EOF", err)
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

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	// MaxDelay bounds the backoff, not the wait the server asks for.
	c, sp, sb := setup(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	sp.fault, sp.faulty = "retry-after:503:1", 1
	start := time.Now()
	if _, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber}); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("retried after %v; Retry-After asked for 1 s", waited)
	}
}

// TestDeadlines: a slow Spine costs no more than the call's deadline, and
// a wait that would run past it is not started.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	t.Run("attempt timeout, then the total deadline", func(t *testing.T) {
		t.Parallel()
		c, sp, sb := setup(t, WithTimeout(300*time.Millisecond), WithAttemptTimeout(100*time.Millisecond))
		sp.fault, sp.faulty = "latency:5s", -1
		start := time.Now()
		_, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
		elapsed := time.Since(start)
		var te *TransportError
		if !errors.As(err, &te) || !te.Timeout() || te.Attempts < 2 {
			t.Errorf("err = %v, want a timeout after several attempts", err)
		}
		if elapsed > time.Second {
			t.Errorf("took %v, past the 300 ms deadline", elapsed)
		}
	})
	t.Run("Retry-After past the deadline", func(t *testing.T) {
		t.Parallel()
		c, sp, sb := setup(t, WithTimeout(500*time.Millisecond), WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Minute}))
		sp.fault, sp.faulty = "retry-after:429:30", -1
		start := time.Now()
		_, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
		if time.Since(start) > 200*time.Millisecond || sp.count.Load() != 1 {
			t.Errorf("waited %v and sent %d requests; the wait would pass the deadline", time.Since(start), sp.count.Load())
		}
		if !errors.Is(err, ErrHTTPStatus) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("cancelling stops at once", func(t *testing.T) {
		t.Parallel()
		c, sp, sb := setup(t)
		sp.fault, sp.faulty = "latency:10s", -1
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.Search(ctx, SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
		if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
			t.Errorf("err = %v after %v", err, time.Since(start))
		}
		if sp.count.Load() != 1 {
			t.Errorf("%d requests after cancelling", sp.count.Load())
		}
	})
	t.Run("cancelled during a backoff wait", func(t *testing.T) {
		t.Parallel()
		c, sp, sb := setup(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second}))
		sp.fault, sp.faulty = "status:503", -1
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Search(ctx, SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber})
		if err == nil || time.Since(start) > 2*time.Second {
			t.Errorf("err = %v after %v", err, time.Since(start))
		}
	})
}

func TestRetryPolicyDelay(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n := 1; n <= 6; n++ {
		for range 50 {
			d := p.delay(n, nil, now)
			full := min(p.BaseDelay<<(n-1), p.MaxDelay)
			if d < full/2 || d > full {
				t.Fatalf("delay(%d) = %v, want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
	resp := &http.Response{Header: http.Header{"Retry-After": {"3"}}}
	if d := p.delay(1, resp, now); d != 3*time.Second {
		t.Errorf("Retry-After 3: waits %v, want the 3 s asked for", d)
	}
	resp.Header.Set("Retry-After", now.Add(2*time.Second).UTC().Format(http.TimeFormat))
	if d := p.delay(1, resp, now); d != 2*time.Second {
		t.Errorf("Retry-After as a date: %v", d)
	}
	if d := (RetryPolicy{MaxAttempts: 3, MaxDelay: 10 * time.Second}).delay(1, nil, now); d != 0 {
		t.Errorf("no base delay: waits %v", d)
	}
	if d := p.delay(200, nil, now); d < p.MaxDelay/2 || d > p.MaxDelay {
		t.Errorf("delay after many attempts: %v", d)
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

package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// TestErrors: each kind of failure, from the service's own lookups against
// the sandbox, in the one error shape.
func TestErrors(t *testing.T) {
	t.Parallel()
	unknown := unknownID(t)
	tests := []struct {
		name      string
		s         func(*testing.T) *Service
		do        func(*Service) error
		want      Error // Message is compared by prefix; TraceID by presence
		masked    []string
		retryable bool
	}{
		{name: "an NHS number failing its check digit", s: func(*testing.T) *Service { return shared() },
			do: func(s *Service) error {
				_, err := s.Search(context.Background(), SearchQuery{NHSNumber: "999 257 4357"})
				return err
			},
			want: Error{Kind: KindValidation, Field: "nhsNumber", SpineCode: 61, Reason: "invalid NHS number",
				Message: "NHS number *** *** 4357 fails its check digit"},
			masked: []string{"9992574357"}},
		{name: "dates the wrong way round", s: func(*testing.T) *Service { return shared() },
			do: func(s *Service) error {
				_, err := s.Search(context.Background(), SearchQuery{NHSNumber: examplePatient, EarliestDate: "2026-06-11", LatestDate: "2026-06-01"})
				return err
			},
			want: Error{Kind: KindValidation, Field: "earliestDate", SpineCode: 57, Reason: "invalid earliest date",
				Message: "Earliest date 11-Jun-2026 is after latest date 01-Jun-2026"}},
		{name: "an id of an NHS number", s: func(*testing.T) *Service { return shared() },
			do: func(s *Service) error {
				_, err := s.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: "999 257 4356"})
				return err
			},
			want:   Error{Kind: KindValidation, Field: "prescriptionId", SpineCode: 51, Reason: "invalid prescription id", Message: "Prescription id *** *** 4356 is 10 digits"},
			masked: []string{examplePatient}},
		{name: "no such prescription", s: func(*testing.T) *Service { return shared() },
			do: func(s *Service) error {
				_, err := s.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: strings.ToLower(unknown)})
				return err
			},
			want: Error{Kind: KindSpine, Field: "prescriptionId", SpineCode: 1, Reason: "sandbox status 1 (Not found)", TraceID: "yes",
				Message: "The sandbox has no prescription ******-******-***" + unknown[17:] + ". Check the id against the prescription token.\nTrace id ept-"},
			masked: []string{unknown}},
		{name: "the tracker unavailable", s: func(t *testing.T) *Service { return faulty(t, "status:503=1") },
			do: func(s *Service) error {
				_, err := s.Search(context.Background(), SearchQuery{NHSNumber: examplePatient})
				return err
			},
			want: Error{Kind: KindTransport, HTTPStatus: 503, Reason: "HTTP 503", TraceID: "yes",
				Message: "The sandbox is busy or unavailable (HTTP 503). Try again in a few minutes.\nTrace id ept-"},
			masked: []string{examplePatient}, retryable: true},
		{name: "an error page", s: func(t *testing.T) *Service { return faulty(t, "html=1") },
			do: func(s *Service) error {
				_, err := s.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: exampleID})
				return err
			},
			want: Error{Kind: KindTransport, HTTPStatus: 502, Reason: "HTTP 502", TraceID: "yes",
				Message: "The sandbox is busy or unavailable (HTTP 502)."},
			masked: []string{exampleID}, retryable: true},
		{name: "the wrong kind of answer", s: func(t *testing.T) *Service { return faulty(t, "wrong-content-type=1") },
			do: func(s *Service) error {
				_, err := s.Search(context.Background(), SearchQuery{NHSNumber: examplePatient})
				return err
			},
			want: Error{Kind: KindParse, Reason: "not a tracker answer", TraceID: "yes",
				Message: "The answer did not come from Spine's tracker (the answer is text/plain"},
			masked: []string{examplePatient}},
		{name: "an answer cut off", s: func(t *testing.T) *Service { return faulty(t, "truncate=1") },
			do: func(s *Service) error {
				_, err := s.Search(context.Background(), SearchQuery{NHSNumber: examplePatient})
				return err
			},
			want: Error{Kind: KindTransport, Reason: "answer cut off", TraceID: "yes",
				Message: "The answer was cut off before its end. Try again; if it goes on, check the network, or a proxy in between.\nTrace id ept-"},
			retryable: true},
		{name: "stopped", s: func(*testing.T) *Service { return shared() },
			do: func(s *Service) error {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				_, err := s.Search(ctx, SearchQuery{NHSNumber: examplePatient})
				return err
			},
			want: Error{Kind: KindTransport, Reason: "stopped", TraceID: "yes", Message: "Stopped."}},
		{name: "patients of a gateway", s: func(t *testing.T) *Service {
			return setup(t, WithSettings(Settings{GatewayURL: "https://gateway.example"}))
		},
			do: func(s *Service) error { _, err := s.Patients(); return err },
			want: Error{Kind: KindConfig, Reason: "not the sandbox",
				Message: "Synthetic patients come only with the training sandbox, and Spine answers now."}},
		{name: "a gateway URL that is not one", s: func(*testing.T) *Service { return shared() },
			do: func(s *Service) error {
				_, err := s.Configure(Settings{GatewayURL: "gateway.example/mm/prescriptions"})
				return err
			},
			want: Error{Kind: KindConfig, Field: "gatewayUrl", Reason: "invalid gateway URL",
				Message: "Gateway URL is not a web address — give it whole, such as https://gateway.example/mm/prescriptions."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.do(tt.s(t))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want an *Error", err, err)
			}
			if e.Kind != tt.want.Kind || e.Field != tt.want.Field || e.SpineCode != tt.want.SpineCode || e.HTTPStatus != tt.want.HTTPStatus ||
				e.Reason != tt.want.Reason || e.Retryable != tt.retryable || (e.TraceID != "") != (tt.want.TraceID != "") {
				t.Errorf("got %+v", e)
			}
			if !strings.HasPrefix(e.Message, tt.want.Message) {
				t.Errorf("message %q, want it to start %q", e.Message, tt.want.Message)
			}
			if e.Kind == KindValidation && (len(e.Fields) == 0 || e.Fields[0].Field != e.Field) {
				t.Errorf("fields %+v", e.Fields)
			}
			wantMasked(t, e.Message, tt.masked...)
			wantNoNullLists(t, e)
		})
	}
}

// unknownID is an id of the right shape, with a right check character,
// that the sandbox does not hold.
func unknownID(t *testing.T) string {
	t.Helper()
	body := "000000-A99999-00000"
	c, _ := validate.CheckCharacter(body)
	return body + string(c)
}

// TestErrorOf: every error a lookup can end with, explained.
func TestErrorOf(t *testing.T) {
	t.Parallel()
	sb, spine := sandboxSource, Source{Backend: BackendSpine, Name: "Spine", Label: "production"}
	gw := Source{Backend: BackendGateway, Name: "Spine", Label: "https://gateway.example/mm/prescriptions"}
	tests := []struct {
		name      string
		err       error
		from      Source
		kind      ErrorKind
		message   string
		reason    string
		retryable bool
	}{
		{"Spine failed", &tracker.StatusError{Code: 5, Reason: "Unexpected exception", TraceID: "ept-1"}, spine, KindSpine,
			"Spine could not answer: Unexpected exception (code 5). Try again in a few minutes.\nTrace id ept-1 — give it to the service desk if this goes on.",
			"Spine status 5 (Unexpected exception)", true},
		{"a record Spine cannot read", &tracker.StatusError{Code: 4, Reason: "Failed to parse prescription", TraceID: "ept-1"}, spine, KindSpine,
			"Spine could not answer: Failed to parse prescription (code 4).\nTrace id ept-1 — give it to the service desk if this goes on.",
			"Spine status 4 (Failed to parse prescription)", false},
		{"an id not unique", &tracker.StatusError{Code: 2, Reason: "No unique prescription"}, spine, KindSpine,
			"Spine found more than one prescription with this id and cannot tell them apart. Report it with the trace id.",
			"Spine status 2 (No unique prescription)", false},
		{"a refusal", &tracker.StatusError{Code: 52, Reason: "Invalid or missing asid", TraceID: "ept-2"}, sb, KindSpine,
			"The sandbox refused the request: Invalid or missing asid (code 52). Check the connection settings (ASID, user and role ids).\nTrace id ept-2.",
			"sandbox status 52 (Invalid or missing asid)", false},
		{"busy, asking to wait", &client.TransportError{Err: client.ErrHTTPStatus, StatusCode: 429, Attempts: 2, RetryAfter: 90 * time.Second}, spine, KindTransport,
			"Spine is busy or unavailable (HTTP 429) after 2 attempts and asked to wait 1 minute 30 seconds, more than the time left. Try again after that.",
			"HTTP 429", true},
		{"nothing at the address", &client.TransportError{Err: client.ErrHTTPStatus, StatusCode: 404}, spine, KindTransport,
			"Nothing answers at that address (HTTP 404). Check the base URL: it ends in /mm/prescriptions.", "HTTP 404", false},
		{"refused access", &client.TransportError{Err: client.ErrHTTPStatus, StatusCode: 403}, spine, KindTransport,
			"Access was refused (HTTP 403). Check the certificate and ASID, or that you are signed in.", "HTTP 403", false},
		{"a sign-in the gateway refuses", &client.TransportError{Err: client.ErrHTTPStatus, StatusCode: 401, TraceID: "ept-4"}, gw, KindTransport,
			"Your sign-in was not accepted (HTTP 401): it may have expired. Sign in to the portal again, then try again.\nTrace id ept-4 — give it to the service desk if this goes on.",
			"HTTP 401", true},
		{"a page the gateway refuses", &client.TransportError{Err: client.ErrHTTPStatus, StatusCode: 403}, gw, KindTransport,
			"The gateway does not accept requests from this page (HTTP 403): the portal's administrators must ask for its address to be allowed.",
			"HTTP 403", false},
		{"a server failing", &client.TransportError{Err: client.ErrHTTPStatus, StatusCode: 500, Attempts: 1}, spine, KindTransport,
			"The server answered HTTP 500. Try again; if it goes on, report it.", "HTTP 500", true},
		{"no answer in time", &client.TransportError{Err: context.DeadlineExceeded, Attempts: 3, TraceID: "ept-3"}, spine, KindTransport,
			"No answer in time after 3 attempts. Check the network connection and try again; Spine may be slow.\nTrace id ept-3 — give it to the service desk if this goes on.",
			"no answer in time", true},
		{"no such host", &client.TransportError{Err: errors.New("lookup gateway.invalid: no such host")}, spine, KindTransport,
			"The address could not be found. Check the base URL and the network.", "could not connect", true},
		{"a certificate refused", &client.TransportError{Err: fmt.Errorf("dial: %w", errors.New("tls: unknown certificate authority"))}, spine, KindTransport,
			"The secure connection failed: tls: unknown certificate authority. Check the certificate, its key and the CA certificates.", "could not connect", false},
		{"refused connection", &client.TransportError{Err: fmt.Errorf("dial tcp: %w", errors.New("connect: connection refused")), Attempts: 3}, spine, KindTransport,
			"Could not connect after 3 attempts (connect: connection refused). Check the network and the base URL; is the service running?", "could not connect", true},
		{"JSON cut off", &tracker.ParseError{Problem: tracker.ProblemTruncated, Offset: 120, Detail: "the JSON stops before its end"}, spine, KindParse,
			"The answer was cut off before its end. Try again; if it goes on, check the network, or a proxy in between.", "answer cut off", true},
		{"an HTML page", &tracker.ParseError{Problem: tracker.ProblemHTML, Offset: 0, Detail: "the body is an HTML page"}, spine, KindParse,
			"The answer did not come from Spine's tracker (the body is an HTML page). Check the base URL, or a proxy in between.", "not a tracker answer", false},
		{"settings in conflict", &client.ConflictError{Environment: client.Sandbox, BaseURL: "https://example.org"}, sb, KindConfig,
			"The sandbox environment is built in and has no address", "settings in conflict", false},
		{"no ASID", client.ErrNoASID, sb, KindConfig, "An ASID is required", "no ASID", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := ErrorOf(fmt.Errorf("wrapped: %w", tt.err), tt.from)
			if e.Kind != tt.kind || e.Reason != tt.reason || e.Retryable != tt.retryable || !strings.HasPrefix(e.Message, tt.message) {
				t.Errorf("ErrorOf = %+v\nwant kind %s, reason %q, retryable %t, message %q", e, tt.kind, tt.reason, tt.retryable, tt.message)
			}
			if !errors.Is(e, tt.err) {
				t.Error("the error it was made from is lost")
			}
		})
	}
	if ErrorOf(nil, sb) != nil {
		t.Error("ErrorOf(nil) is not nil")
	}
	if e := (&Error{Kind: KindConfig}); ErrorOf(e, sb) != e {
		t.Error("an *Error is not returned as it is")
	}
}

func ExampleErrorOf() {
	err := &tracker.StatusError{Code: 1, Reason: "Not found", TraceID: "ept-0123"}
	e := ErrorOf(err, Source{Backend: BackendSpine, Name: "Spine"})
	fmt.Println(e.Kind, e.SpineCode, e.Retryable)
	fmt.Println(e.Message)
	// Output:
	// spine 1 false
	// Spine has no such prescription. Check the id against the prescription token.
	// Trace id ept-0123 — give it to the service desk if this goes on.
}

func TestWaitInWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		wait time.Duration
		want string
	}{
		{400 * time.Millisecond, "less than a second"},
		{time.Second, "1 second"},
		{90 * time.Second, "1 minute 30 seconds"},
		{2 * time.Hour, "2 hours"},
		{time.Hour + 59*time.Second + 600*time.Millisecond, "1 hour 1 minute"},
		{24 * time.Hour, "24 hours"},
		{24*time.Hour + time.Second, "more than a day"},
	}
	for _, tt := range tests {
		if got := waitInWords(tt.wait); got != tt.want {
			t.Errorf("waitInWords(%v) = %q, want %q", tt.wait, got, tt.want)
		}
	}
}

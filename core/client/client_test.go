package client

import (
	"context"
	"errors"
	"maps"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// now is 24 November 2026, 10:00 UK time, in every test.
var now = time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// fast retries keep the tests quick.
var fast = RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}

// recorded is a request as the server saw it.
type recorded struct {
	path, rawPath, query string
	header               transport.Header
}

// spy is a transport that counts and records requests, and can ask the
// sandbox for a fault on the first n of them.
type spy struct {
	next   transport.Transport
	mu     sync.Mutex
	seen   []recorded
	fault  string
	faulty int // how many requests get the fault; -1 for all
	count  atomic.Int32
}

func (s *spy) Get(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	n := int(s.count.Add(1))
	s.mu.Lock()
	s.seen = append(s.seen, recorded{req.URL.Path, req.URL.EscapedPath(), req.URL.RawQuery, maps.Clone(req.Header)})
	s.mu.Unlock()
	if s.fault != "" && (s.faulty < 0 || n <= s.faulty) {
		req = &transport.Request{URL: req.URL, Header: maps.Clone(req.Header)}
		req.Header[sandbox.FaultHeader] = s.fault
	}
	return s.next.Get(ctx, req)
}

// setup makes a client on an in-process sandbox (faults allowed) with a spy
// in between.
func setup(t testing.TB, opts ...Option) (*Client, *spy, *sandbox.Sandbox) {
	t.Helper()
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock, Faults: sandbox.FaultConfig{PerRequest: true}})
	sp := &spy{next: sb}
	c, err := New(append([]Option{
		WithBaseURL("http://sandbox.test/mm/prescriptions"), WithASID("200000001234"),
		WithTransport(sp), WithClock(clock), WithRetryPolicy(fast),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, sp, sb
}

// offline is a transport for clients that send nothing.
var offline = transport.Func(func(context.Context, *transport.Request) (*transport.Response, error) {
	return nil, errors.New("offline")
})

var traceIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,30}$`)

func TestSearch(t *testing.T) {
	t.Parallel()
	c, sp, sb := setup(t, WithUserID("555555555555"), WithRoleProfileID("123456789012"))
	p := sb.Patients()[0]
	nhs := p.NHSNumber[:3] + " " + p.NHSNumber[3:6] + " " + p.NHSNumber[6:]
	res, err := c.Search(context.Background(), SearchQuery{NHSNumber: nhs})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Prescriptions) != len(p.PrescriptionIDs) || res.Attempts != 1 {
		t.Errorf("found %d of %d prescriptions in %d attempts", len(res.Prescriptions), len(p.PrescriptionIDs), res.Attempts)
	}
	if res.EarliestDate.Compact() != "20241124" || res.LatestDate.Compact() != "20261124" {
		t.Errorf("window %s to %s, want two years back to today", res.EarliestDate, res.LatestDate)
	}
	got := sp.seen[0]
	for name, want := range map[string]string{
		"Accept": "application/json", "Spine-From-Asid": "200000001234", "Spine-Userid": "555555555555",
		"Spine-Roleprofileid": "123456789012", "Eps-Traceid": res.TraceID, "User-Agent": DefaultUserAgent,
	} {
		if v := got.header.Get(name); v != want {
			t.Errorf("header %s = %q, want %q", name, v, want)
		}
	}
	if !traceIDPattern.MatchString(res.TraceID) {
		t.Errorf("trace id %q breaks Spine's rule", res.TraceID)
	}
	wantQuery := "format=trace-summary&nhsNumber=" + p.NHSNumber + "&earliestDate=20241124&latestDate=20261124"
	if got.query != wantQuery {
		t.Errorf("query %s, want %s", got.query, wantQuery)
	}
	// Every call has a trace id of its own, unless the caller gives one.
	again, _ := c.Search(context.Background(), SearchQuery{NHSNumber: p.NHSNumber})
	mine, _ := c.Search(context.Background(), SearchQuery{NHSNumber: p.NHSNumber, TraceID: "my-trace-1"})
	if again.TraceID == res.TraceID || mine.TraceID != "my-trace-1" {
		t.Errorf("trace ids %q, %q, %q", res.TraceID, again.TraceID, mine.TraceID)
	}
}

func TestSearchWindow(t *testing.T) {
	t.Parallel()
	c, sp, sb := setup(t)
	nhs := sb.Patients()[0].NHSNumber
	tests := []struct {
		earliest, latest string
		want             string
	}{
		{"", "", "earliestDate=20241124&latestDate=20261124"},
		{"2025-01-01", "", "earliestDate=20250101&latestDate=20261124"},
		// A latest date alone leaves the earliest two years before today,
		// wherever the latest date is: later, for future-dated
		// prescriptions, or earlier.
		{"", "20271125", "earliestDate=20241124&latestDate=20271125"},
		{"", "10/06/2025", "earliestDate=20241124&latestDate=20250610"},
		{"20250101", "20250201", "earliestDate=20250101&latestDate=20250201"},
	}
	for _, tt := range tests {
		res, err := c.Search(context.Background(), SearchQuery{NHSNumber: nhs, EarliestDate: tt.earliest, LatestDate: tt.latest})
		if err != nil {
			t.Fatal(err)
		}
		q := sp.seen[len(sp.seen)-1].query
		if !strings.Contains(q, tt.want) {
			t.Errorf("%q–%q: sent %s, want %s", tt.earliest, tt.latest, q, tt.want)
		}
		if res.Err() != nil {
			t.Errorf("%v", res.Err())
		}
	}
}

// TestTraining: a client that names its tracker by URL knows it for a
// training sandbox once an answer says so, and never before; the built-in
// sandbox is one from the start.
func TestTraining(t *testing.T) {
	t.Parallel()
	c, _, sb := setup(t)
	if c.Training() {
		t.Fatal("training before any answer")
	}
	if _, err := c.Search(context.Background(), SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber}); err != nil {
		t.Fatal(err)
	}
	if !c.Training() {
		t.Errorf("not training after the sandbox answered with %s", sandbox.TrainingHeader)
	}
	if builtIn, err := New(); err != nil || !builtIn.Training() {
		t.Errorf("the built-in sandbox: training %v, %v", builtIn.Training(), err)
	}
}

// TestSearchWindowDefaults: a date given alone that the default for the
// other leaves no window is explained with that default, not as two dates
// the wrong way round, and nothing is sent.
func TestSearchWindowDefaults(t *testing.T) {
	t.Parallel()
	c, sp, _ := setup(t)
	tests := []struct {
		name, earliest, latest string
		field                  string
		says                   []string
	}{
		{"earliest after today", "20270101", "", "earliestDate",
			[]string{"Earliest date 01-Jan-2027 is after today", "with no latest date the search ends today", "give a latest date"}},
		{"latest before the default earliest", "", "20200101", "latestDate",
			[]string{"Latest date 01-Jan-2020 is more than 2 years ago", "with no earliest date the search starts 2 years before today, on 24-Nov-2024",
				"give an earliest date too, such as 01-Jan-2018"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Search(context.Background(), SearchQuery{NHSNumber: "9434765919", EarliestDate: tt.earliest, LatestDate: tt.latest})
			var ve *validate.Error
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != tt.field {
				t.Fatalf("err = %v, want one error on %s", err, tt.field)
			}
			for _, s := range tt.says {
				if !strings.Contains(ve.Fields[0].Message, s) {
					t.Errorf("message %q does not say %q", ve.Fields[0].Message, s)
				}
			}
			if strings.Contains(ve.Fields[0].Message, "swap") {
				t.Errorf("message %q says to swap dates the person did not give", ve.Fields[0].Message)
			}
		})
	}
	if n := sp.count.Load(); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

// TestInvalidQuerySendsNothing proves the offline check comes first.
func TestInvalidQuerySendsNothing(t *testing.T) {
	t.Parallel()
	c, sp, _ := setup(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"bad check digit", func() error { _, err := c.Search(ctx, SearchQuery{NHSNumber: "943 476 5918"}); return err }, "nhsNumber"},
		{"no NHS number", func() error { _, err := c.Search(ctx, SearchQuery{}); return err }, "nhsNumber"},
		{"earliest in the future", func() error {
			_, err := c.Search(ctx, SearchQuery{NHSNumber: "9434765919", EarliestDate: "20270101"})
			return err
		}, "earliestDate"},
		{"unknown status", func() error {
			_, err := c.Search(ctx, SearchQuery{NHSNumber: "9434765919", Status: "lost"})
			return err
		}, "prescriptionStatus"},
		{"bad trace id", func() error {
			_, err := c.Search(ctx, SearchQuery{NHSNumber: "9434765919", TraceID: "a b"})
			return err
		}, "traceId"},
		{"bad id", func() error { _, err := c.Retrieve(ctx, RetrieveQuery{PrescriptionID: "C0C757/A83008"}); return err }, "prescriptionId"},
		{"issue zero", func() error {
			_, err := c.Retrieve(ctx, RetrieveQuery{PrescriptionID: "C0C757-A83008-C2D93O", IssueNumber: "0"})
			return err
		}, "issueNumber"},
	}
	for _, tt := range tests {
		err := tt.call()
		var ve *validate.Error
		if !errors.As(err, &ve) || ve.Fields[0].Field != tt.field || !IsValidation(err) {
			t.Errorf("%s: err = %v, want a validation error on %s", tt.name, err, tt.field)
		}
	}
	if n := sp.count.Load(); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

func TestRetrieve(t *testing.T) {
	t.Parallel()
	c, sp, sb := setup(t)
	var plus string
	for _, p := range sb.Patients() {
		for _, id := range p.PrescriptionIDs {
			if strings.HasSuffix(id, "+") {
				plus = id
			}
		}
	}
	if plus == "" {
		t.Fatal("seed 1 has no id with a +")
	}
	res, err := c.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: strings.ToLower(strings.ReplaceAll(plus, "-", ""))})
	if err != nil {
		t.Fatal(err)
	}
	if res.Prescription.ID != plus || res.Prescription.Issue == nil {
		t.Errorf("got %+v", res.Prescription)
	}
	if got := sp.seen[0].rawPath; !strings.HasSuffix(got, strings.TrimSuffix(plus, "+")+"%2B") {
		t.Errorf("path %s does not encode + as %%2B", got)
	}
	// An issue that does not exist: the prescription and the error, both.
	res, err = c.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: plus, IssueNumber: "42"})
	if !errors.Is(err, tracker.ErrIssueNotFound) || res == nil || res.Prescription == nil || res.Prescription.Issue != nil {
		t.Errorf("issue 42: %v, %+v", err, res)
	}
	if TraceID(err) != res.TraceID || res.TraceID == "" {
		t.Errorf("the error's trace id %q is not the result's %q", TraceID(err), res.TraceID)
	}
	// Not found.
	_, err = c.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: "C0C757-A83008-C2D93O"})
	var se *tracker.StatusError
	if !errors.Is(err, tracker.ErrNotFound) || !errors.As(err, &se) || se.TraceID == "" {
		t.Errorf("unknown id: %#v", err)
	}
	if strings.Contains(err.Error(), "C0C757") {
		t.Errorf("error %q holds the id", err)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	bad := []Option{
		WithASID("123"), WithUserID("x"), WithRoleProfileID("1"), WithEnvironment("live"),
		WithBaseURL("ftp://example"), WithBaseURL("https://"), WithBaseURL("https://h/mm/prescriptions?x=1"),
		WithTimeout(0), WithAttemptTimeout(-1), WithRetryPolicy(RetryPolicy{}), WithUserAgent(""),
		WithTransport(nil), WithClock(nil), WithMaxBodySize(10),
	}
	for i, opt := range bad {
		if _, err := New(opt); err == nil {
			t.Errorf("option %d was accepted", i)
		}
	}
	if _, err := New(WithEnvironment("int")); err == nil || !strings.Contains(err.Error(), "base URL") {
		t.Errorf("int without a base URL: %v", err)
	}
	if _, err := New(WithEnvironment("production")); !errors.Is(err, ErrNoASID) {
		t.Errorf("production without an ASID: %v", err)
	}
	if _, err := New(WithBaseURL("https://gateway.example/mm/prescriptions")); !errors.Is(err, ErrNoASID) {
		t.Errorf("a base URL without an ASID: %v", err)
	}
	if _, err := New(WithBaseURL("https://gateway.example/mm/prescriptions"), WithASID("200000001234")); err == nil || !strings.Contains(err.Error(), "WithTransport") {
		t.Errorf("a base URL without a transport: %v", err)
	}
	c, err := New(WithEnvironment("production"), WithASID("200000001234"), WithTransport(offline))
	if err != nil || c.BaseURL() != ProductionURL || c.Environment() != Production {
		t.Errorf("production: %v %v", c, err)
	}
	// Nothing configured: the in-process sandbox.
	c, err = New(WithClock(clock))
	if err != nil || c.Environment() != Sandbox {
		t.Fatalf("default: %v", err)
	}
	if _, err := c.Search(context.Background(), SearchQuery{NHSNumber: "9434765919"}); err != nil {
		t.Errorf("sandbox search: %v", err)
	}
}

// TestConflictingSettings: an environment with a base URL that is not its
// address is refused, naming both, whatever order they come in; the
// environments that need a base URL take one.
func TestConflictingSettings(t *testing.T) {
	t.Parallel()
	const gateway = "https://gateway.example/mm/prescriptions"
	tests := []struct {
		name string
		opts []Option
		env  Environment // when accepted
		err  *ConflictError
	}{
		{"sandbox and a base URL", []Option{WithEnvironment("sandbox"), WithBaseURL(gateway)}, "",
			&ConflictError{Environment: Sandbox, BaseURL: gateway}},
		{"a base URL and sandbox", []Option{WithBaseURL(gateway), WithEnvironment("Sandbox")}, "",
			&ConflictError{Environment: Sandbox, BaseURL: gateway}},
		{"production and another base URL", []Option{WithEnvironment("production"), WithBaseURL(gateway), WithASID("200000001234")}, "",
			&ConflictError{Environment: Production, BaseURL: gateway}},
		{"no password in the error", []Option{WithEnvironment("sandbox"), WithBaseURL("https://me:secret@gateway.example/mm/prescriptions")}, "",
			&ConflictError{Environment: Sandbox, BaseURL: "https://me:xxxxx@gateway.example/mm/prescriptions"}},
		{"production and its own base URL", []Option{WithEnvironment("production"), WithBaseURL(ProductionURL + "/"), WithASID("200000001234"), WithTransport(offline)}, Production, nil},
		{"int and its base URL", []Option{WithEnvironment("int"), WithBaseURL(gateway), WithASID("200000001234"), WithTransport(offline)}, INT, nil},
		{"a base URL alone", []Option{WithBaseURL(gateway), WithASID("200000001234"), WithTransport(offline)}, "", nil},
		{"sandbox alone", []Option{WithEnvironment("sandbox")}, Sandbox, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.opts...)
			if tt.err == nil {
				if err != nil || c.Environment() != tt.env {
					t.Fatalf("New: %v, environment %q; want %q", err, c.Environment(), tt.env)
				}
				return
			}
			var ce *ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("New: %v (%T), want a *ConflictError", err, err)
			}
			if diff := cmp.Diff(tt.err, ce); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			msg := err.Error()
			if !strings.Contains(msg, string(tt.err.Environment)+" environment") || !strings.Contains(msg, "base URL") ||
				!strings.Contains(msg, tt.err.BaseURL) || strings.Contains(msg, "secret") {
				t.Errorf("message %q does not name both settings (or shows a password)", msg)
			}
		})
	}
}

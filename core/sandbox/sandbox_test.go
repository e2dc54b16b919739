package sandbox

import (
	"context"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// now is 24 November 2026, 10:00 UK time, in every test.
var now = time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC)

func setup(t testing.TB, cfg Config) (*Sandbox, transport.Transport) {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return now }
	}
	s := New(cfg)
	return s, s
}

// request describes one call to the sandbox.
type request struct {
	path    string
	query   string
	headers transport.Header
}

var asid = transport.Header{"Spine-From-Asid": "200000001234"}

// get sends the request and returns the answer, closing its body when the
// test ends.
func (rq request) get(t testing.TB, c transport.Transport) (*transport.Response, error) {
	t.Helper()
	u, err := url.Parse("http://sandbox" + rq.path)
	if err != nil {
		t.Fatal(err)
	}
	u.RawQuery = rq.query
	headers := rq.headers
	if headers == nil {
		headers = asid
	}
	resp, err := c.Get(context.Background(), &transport.Request{URL: u, Header: headers})
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

func (rq request) do(t testing.TB, c transport.Transport) (int, []byte) {
	t.Helper()
	resp, err := rq.get(t, c)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func search(t testing.TB, c transport.Transport, query string) *tracker.SearchResponse {
	t.Helper()
	status, body := request{path: "/mm/prescriptions", query: query}.do(t, c)
	if status != 200 {
		t.Fatalf("search %s: HTTP %d", query, status)
	}
	resp, err := tracker.ParseSearch(body)
	if err != nil {
		t.Fatalf("search %s: %v\n%s", query, err, body)
	}
	return resp
}

func retrieve(t testing.TB, c transport.Transport, escapedID, query string) *tracker.RetrieveResponse {
	t.Helper()
	status, body := request{path: "/mm/prescriptions/" + escapedID, query: query}.do(t, c)
	if status != 200 {
		t.Fatalf("retrieve %s: HTTP %d", escapedID, status)
	}
	resp, err := tracker.ParseRetrieve(body)
	if err != nil {
		t.Fatalf("retrieve %s: %v\n%s", escapedID, err, body)
	}
	return resp
}

// wide is a window that holds every synthetic prescription.
const wide = "&earliestDate=20220101&latestDate=20301231"

// TestRefusals checks every status code Spine answers before a lookup.
func TestRefusals(t *testing.T) {
	t.Parallel()
	s, c := setup(t, Config{Seed: 1})
	nhs := s.Patients()[0].NHSNumber
	id := s.Patients()[0].PrescriptionIDs[0]
	ok := "format=trace-summary&nhsNumber=" + nhs
	tests := []struct {
		name    string
		path    string
		query   string
		headers transport.Header
		code    int
	}{
		{"no parameters at all", "/mm/prescriptions", "", nil, 50},
		{"no parameters for a retrieve", "/mm/prescriptions/" + id, "", nil, 50},
		{"search without format", "/mm/prescriptions", "nhsNumber=" + nhs, nil, 50},
		{"retrieve with the search format", "/mm/prescriptions/" + id, "format=trace-summary", nil, 50},
		{"no ASID", "/mm/prescriptions", ok, transport.Header{}, 52},
		{"short ASID", "/mm/prescriptions", ok, transport.Header{"Spine-From-Asid": "12345"}, 52},
		{"ASID with letters", "/mm/prescriptions/" + id, "format=trace", transport.Header{"Spine-From-Asid": "20000000123x"}, 52},
		{"bad version", "/mm/prescriptions", ok + "&version=v1", nil, 53},
		{"bad trace id", "/mm/prescriptions", ok, transport.Header{"Spine-From-Asid": "200000001234", "Eps-TraceId": "a_b"}, 54},
		{"trace id too long", "/mm/prescriptions", ok, transport.Header{"Spine-From-Asid": "200000001234", "Eps-TraceId": strings.Repeat("a", 31)}, 54},
		{"empty trace id", "/mm/prescriptions", ok, transport.Header{"Spine-From-Asid": "200000001234", "Eps-TraceId": ""}, 54},
		{"bad user id", "/mm/prescriptions", ok, transport.Header{"Spine-From-Asid": "200000001234", "Spine-UserId": "123"}, 55},
		{"bad role profile id", "/mm/prescriptions", ok, transport.Header{"Spine-From-Asid": "200000001234", "Spine-RoleProfileId": "1234567890123"}, 56},
		{"missing NHS number", "/mm/prescriptions", "format=trace-summary", nil, 61},
		{"NHS number check digit", "/mm/prescriptions", "format=trace-summary&nhsNumber=9434765918", nil, 61},
		{"NHS number with spaces", "/mm/prescriptions", "format=trace-summary&nhsNumber=943+476+5919", nil, 61},
		{"parameter names are case sensitive", "/mm/prescriptions", "format=trace-summary&nhsnumber=" + nhs, nil, 61},
		{"date not real", "/mm/prescriptions", ok + "&earliestDate=20250231", nil, 57},
		{"date with hyphens", "/mm/prescriptions", ok + "&latestDate=2025-06-01", nil, 57},
		{"earliest after latest", "/mm/prescriptions", ok + "&earliestDate=20250610&latestDate=20250601", nil, 57},
		{"unknown status", "/mm/prescriptions", ok + "&prescriptionStatus=0010", nil, 59},
		{"status as text", "/mm/prescriptions", ok + "&prescriptionStatus=dispensed", nil, 59},
		{"status without its zeros", "/mm/prescriptions", ok + "&prescriptionStatus=1", nil, 59},
		{"bad version filter", "/mm/prescriptions", ok + "&prescriptionVersion=R3", nil, 60},
		{"version filter in lower case", "/mm/prescriptions", ok + "&prescriptionVersion=r2", nil, 60},
		{"id too short", "/mm/prescriptions/ABC", "format=trace", nil, 51},
		{"id without hyphens", "/mm/prescriptions/" + strings.ReplaceAll(id, "-", ""), "format=trace", nil, 51},
		{"id with a bad character", "/mm/prescriptions/" + id[:19] + "%2F", "format=trace", nil, 51},
		{"unknown id", "/mm/prescriptions/C0C757-A83008-C2D93O", "format=trace", nil, 1},
		{"no such issue", "/mm/prescriptions/" + id, "format=trace&issueNumber=99", nil, 3},
		{"issue number not a number", "/mm/prescriptions/" + id, "format=trace&issueNumber=two", nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body := request{path: tt.path, query: tt.query, headers: tt.headers}.do(t, c)
			if status != 200 {
				t.Fatalf("HTTP %d, want 200 with a status envelope", status)
			}
			var code int
			var reason string
			if strings.HasPrefix(tt.path+"/", "/mm/prescriptions/") && tt.path != "/mm/prescriptions" {
				resp, err := tracker.ParseRetrieve(body)
				if err != nil {
					t.Fatalf("%v: %s", err, body)
				}
				code, reason = resp.StatusCode, resp.Reason
				if code == 3 && (resp.Prescription == nil || resp.Prescription.Issue != nil) {
					t.Errorf("code 3 must return the prescription without its issue: %s", body)
				}
			} else {
				resp, err := tracker.ParseSearch(body)
				if err != nil {
					t.Fatalf("%v: %s", err, body)
				}
				code, reason = resp.StatusCode, resp.Reason
				if len(resp.Prescriptions) > 0 {
					t.Errorf("a refusal lists prescriptions: %s", body)
				}
			}
			if code != tt.code || reason != tracker.StatusReason(tt.code) {
				t.Errorf("statusCode %d %q, want %d %q", code, reason, tt.code, tracker.StatusReason(tt.code))
			}
		})
	}
}

func TestSearchWindow(t *testing.T) {
	t.Parallel()
	s, c := setup(t, Config{Seed: 2})
	today := tracker.LondonDate(now)
	for _, p := range s.Patients() {
		all := s.data().pop.byNHS[p.NHSNumber]
		// No dates: Spine's defaults, the 28 days up to now.
		got := ids(search(t, c, "format=trace-summary&nhsNumber="+p.NHSNumber))
		want := filter(all, func(r *record) bool { return !r.issued.Before(now.Add(-28*24*time.Hour)) && !r.issued.After(now) })
		if !slices.Equal(got, want) {
			t.Errorf("%s default window: got %v, want %v", p.NHSNumber, got, want)
		}
		// A wide window finds everything, future-dated prescriptions included.
		if got := ids(search(t, c, "format=trace-summary&nhsNumber="+p.NHSNumber+wide)); len(got) != len(all) {
			t.Errorf("%s wide window: got %d prescriptions, want %d", p.NHSNumber, len(got), len(all))
		}
		// A window up to today leaves out the future-dated ones.
		got = ids(search(t, c, "format=trace-summary&nhsNumber="+p.NHSNumber+"&earliestDate=20220101&latestDate="+today.Compact()))
		want = filter(all, func(r *record) bool { return r.issued.Before(tracker.StartOfDay(today.AddDays(1))) })
		if !slices.Equal(got, want) {
			t.Errorf("%s up to today: got %v, want %v", p.NHSNumber, got, want)
		}
		// latestDate is inclusive: a one-day window on an issue date finds it.
		for _, r := range all {
			d := tracker.LondonDate(r.issued).Compact()
			if got := ids(search(t, c, "format=trace-summary&nhsNumber="+p.NHSNumber+"&earliestDate="+d+"&latestDate="+d)); !slices.Contains(got, r.id) {
				t.Errorf("one-day window on %s misses %s", d, r.id)
			}
		}
	}
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	s, c := setup(t, Config{Seed: 3})
	for _, p := range s.Patients() {
		all := s.data().pop.byNHS[p.NHSNumber]
		for _, st := range tracker.PrescriptionStatuses() {
			resp := search(t, c, "format=trace-summary&nhsNumber="+p.NHSNumber+wide+"&prescriptionStatus="+st.Code)
			want := filter(all, func(r *record) bool { return r.hasStatus(st.Code) })
			if got := ids(resp); !slices.Equal(got, want) {
				t.Errorf("%s status %s: got %v, want %v", p.NHSNumber, st.Code, got, want)
			}
		}
		for _, v := range []string{"1", "R1", "2", "R2"} {
			long := v == "1" || v == "R1"
			want := filter(all, func(r *record) bool { return r.long() == long })
			if got := ids(search(t, c, "format=trace-summary&nhsNumber="+p.NHSNumber+wide+"&prescriptionVersion="+v)); !slices.Equal(got, want) {
				t.Errorf("%s version %s: got %v, want %v", p.NHSNumber, v, got, want)
			}
		}
	}
	// An NHS number with no prescriptions finds none, successfully.
	resp := search(t, c, "format=trace-summary&nhsNumber=9434765919"+wide)
	if resp.StatusCode != 0 || len(resp.Prescriptions) != 0 {
		t.Errorf("unknown patient: %+v", resp)
	}
}

func TestRetrieve(t *testing.T) {
	t.Parallel()
	s, c := setup(t, Config{Seed: 4})
	var plus, rd *record
	for _, r := range s.data().pop.byID {
		if strings.HasSuffix(r.id, "+") {
			plus = r
		}
		if len(r.issues) > 2 {
			rd = r
		}
	}
	if rd == nil {
		t.Fatal("no repeat dispensing course")
	}
	// The current issue unless another is asked for.
	resp := retrieve(t, c, escapeID(rd.id), "format=trace")
	if resp.Err() != nil || resp.Prescription.Issue.Number != rd.currentIssue {
		t.Fatalf("current issue: %+v", resp)
	}
	for _, is := range rd.issues {
		resp := retrieve(t, c, escapeID(rd.id), "format=trace&issueNumber="+itoa(is.number))
		if resp.Err() != nil || resp.Prescription.Issue.Number != is.number || resp.Prescription.Issue.Status.Code != is.status {
			t.Errorf("issue %d: %+v", is.number, resp.Prescription.Issue)
		}
	}
	// Lower case is accepted, as Spine accepts it.
	if resp := retrieve(t, c, escapeID(strings.ToLower(rd.id)), "format=trace"); resp.Err() != nil {
		t.Errorf("lower-case id: %v", resp.Err())
	}
	if plus == nil {
		t.Skip("seed 4 has no id ending in +")
	}
	// "+" works percent-encoded; unencoded it arrives as a space, as at Spine.
	if resp := retrieve(t, c, url.PathEscape(plus.id[:19])+"%2B", "format=trace"); resp.Err() != nil || resp.Prescription.ID != plus.id {
		t.Errorf("encoded +: %+v", resp)
	}
	if resp := retrieve(t, c, plus.id, "format=trace"); resp.StatusCode != 51 {
		t.Errorf("unencoded +: statusCode %d, want 51", resp.StatusCode)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// escapeID percent-encodes the + an id may end in, as clients must.
func escapeID(id string) string { return strings.ReplaceAll(id, "+", "%2B") }

func ids(resp *tracker.SearchResponse) []string {
	var out []string
	for _, p := range resp.Prescriptions {
		out = append(out, p.ID)
	}
	slices.Sort(out)
	return out
}

func filter(records []*record, keep func(*record) bool) []string {
	var out []string
	for _, r := range records {
		if keep(r) {
			out = append(out, r.id)
		}
	}
	slices.Sort(out)
	return out
}

func TestQuirks(t *testing.T) {
	t.Parallel()
	s, c := setup(t, Config{Seed: 5, Quirks: true})
	status, body := request{path: "/mm/prescriptions", query: "format=trace-summary&nhsNumber=" + s.Patients()[0].NHSNumber + wide}.do(t, c)
	if status != 200 || !strings.Contains(string(body), `" prescriptionList "`) || !strings.Contains(string(body), `" issues "`) {
		t.Errorf("no stray spaces in member names: %s", body)
	}
	if resp, err := tracker.ParseSearch(body); err != nil || len(resp.Prescriptions) == 0 {
		t.Errorf("quirky body does not parse: %v", err)
	}
	_, body = request{path: "/mm/prescriptions", query: "format=trace-summary&nhsNumber=1"}.do(t, c)
	if !strings.Contains(string(body), `"prescriptions":{}`) {
		t.Errorf("a failed search should answer with an empty prescriptions member: %s", body)
	}
}

// TestNotFound: the sandbox answers only at the tracker's paths, under its
// prefix.
func TestNotFound(t *testing.T) {
	t.Parallel()
	_, c := setup(t, Config{Seed: 1, Prefix: "/spine/"})
	tests := []struct {
		path string
		want int
	}{
		{"/mm/prescriptions", 404}, // outside the prefix
		{"/spine/mm/prescription", 404},
		{"/spine/mm/prescriptionsX", 404},
		{"/spine/mm/prescriptions/A/B", 404},
		{"/", 404},
		{"/spine/mm/prescriptions", 200},
	}
	for _, tt := range tests {
		status, body := request{path: tt.path, query: "format=trace-summary"}.do(t, c)
		if status != tt.want {
			t.Errorf("%s: HTTP %d, want %d", tt.path, status, tt.want)
		}
		if status == 404 && !strings.Contains(string(body), "/spine/mm/prescriptions") {
			t.Errorf("%s: the 404 %q does not say where the tracker answers", tt.path, body)
		}
	}
}

// TestTransportErrors: in-process, a dropped connection is an error and
// no answer, and a truncated body one whose reading fails.
func TestTransportErrors(t *testing.T) {
	t.Parallel()
	_, c := setup(t, Config{Seed: 1, Faults: FaultConfig{PerRequest: true}})
	rq := request{path: "/mm/prescriptions", query: "format=trace-summary&nhsNumber=9434765919",
		headers: transport.Header{"Spine-From-Asid": "200000001234", FaultHeader: "reset"}}
	if _, err := rq.get(t, c); !errors.Is(err, ErrConnectionReset) {
		t.Errorf("reset: err = %v", err)
	}
	rq.headers[FaultHeader] = "truncate"
	resp, err := rq.get(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncate: read err = %v", err)
	}
}

// TestCancelled: a request whose context has ended gets its error, and no
// answer.
func TestCancelled(t *testing.T) {
	t.Parallel()
	s, _ := setup(t, Config{Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	u, _ := url.Parse("http://sandbox/mm/prescriptions?format=trace-summary&nhsNumber=9434765919")
	if resp, err := s.Get(ctx, &transport.Request{URL: u, Header: asid}); !errors.Is(err, context.Canceled) {
		t.Errorf("Get = %v, %v; want context.Canceled", resp, err)
	}
}

package sandboxhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"

	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// now is 24 November 2026, 10:00 UK time, in every test.
var now = time.Date(2026, time.November, 24, 10, 0, 0, 0, time.UTC)

// setup serves a sandbox (faults allowed per request) over a real server.
func setup(t testing.TB) (*sandbox.Sandbox, *httptest.Server) {
	t.Helper()
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: func() time.Time { return now }, Faults: sandbox.FaultConfig{PerRequest: true}})
	srv := httptest.NewServer(Handler(sb))
	t.Cleanup(srv.Close)
	return sb, srv
}

// get sends a GET to srv for path?query with the given Sandbox-Fault
// header (none when fault is empty). The caller reads the body; it is
// closed at cleanup.
func get(t *testing.T, srv *httptest.Server, method, pathQuery, fault string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+pathQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Spine-From-Asid", "200000001234")
	if fault != "" {
		req.Header.Set(sandbox.FaultHeader, fault)
	}
	resp, err := srv.Client().Do(req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

func TestHTTPErrors(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodPost, "/mm/prescriptions", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/mm/prescriptions/C0C757-A83008-C2D93O", http.StatusMethodNotAllowed},
		{http.MethodGet, "/mm/prescription", http.StatusNotFound},
		{http.MethodGet, "/mm/prescriptions", http.StatusOK},
	}
	for _, tt := range tests {
		resp, err := get(t, srv, tt.method, tt.path+"?format=trace-summary", "")
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s: HTTP %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
		if tt.want == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: Allow %q, want GET, HEAD", tt.method, tt.path, resp.Header.Get("Allow"))
		}
	}
}

// TestHead: a HEAD gets a GET's status and headers, and no body.
func TestHead(t *testing.T) {
	t.Parallel()
	sb, srv := setup(t)
	path := "/mm/prescriptions?format=trace-summary&nhsNumber=" + sb.Patients()[0].NHSNumber
	full, err := get(t, srv, http.MethodGet, path, "")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(full.Body)
	head, err := get(t, srv, http.MethodHead, path, "")
	if err != nil {
		t.Fatal(err)
	}
	if head.StatusCode != http.StatusOK || head.ContentLength != int64(len(body)) || head.Header.Get("Content-Type") != "application/json" {
		t.Errorf("HEAD: HTTP %d, Content-Length %d, Content-Type %q; want 200, %d, application/json",
			head.StatusCode, head.ContentLength, head.Header.Get("Content-Type"), len(body))
	}
}

// TestSameAnswerOverHTTP: what the sandbox answers in-process, faults
// included, a client gets over HTTP: the status, the headers it reads and
// the body.
func TestSameAnswerOverHTTP(t *testing.T) {
	t.Parallel()
	sb, srv := setup(t)
	path := "/mm/prescriptions?format=trace-summary&nhsNumber=" + sb.Patients()[0].NHSNumber
	for _, fault := range []string{"", "status:503", "retry-after:429:7", "html", "html:504", "wrong-content-type",
		"oversize:4096", "slow-body:1ms", "latency:1ms", "explode", "status:503,status:500"} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			u, _ := url.Parse("http://sandbox" + path)
			want, err := sb.Get(t.Context(), &transport.Request{URL: u,
				Header: transport.Header{"Spine-From-Asid": "200000001234", sandbox.FaultHeader: fault}})
			if err != nil {
				t.Fatal(err)
			}
			defer want.Body.Close()
			wantBody, _ := io.ReadAll(want.Body)
			got, err := get(t, srv, http.MethodGet, path, fault)
			if err != nil {
				t.Fatal(err)
			}
			gotBody, err := io.ReadAll(got.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got.StatusCode != want.StatusCode || string(gotBody) != string(wantBody) || got.ContentLength != want.ContentLength {
				t.Errorf("over HTTP: %d, %d bytes %.60q; in-process: %d, %d bytes %.60q",
					got.StatusCode, got.ContentLength, gotBody, want.StatusCode, want.ContentLength, wantBody)
			}
			for _, name := range []string{"Content-Type", "Retry-After"} {
				if g, w := got.Header.Get(name), want.Header.Get(name); g != w {
					t.Errorf("%s: %q over HTTP, %q in-process", name, g, w)
				}
			}
		})
	}
}

// TestRepeatedFaultHeader: a Sandbox-Fault header sent twice names the
// faults of both.
func TestRepeatedFaultHeader(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/mm/prescriptions?format=trace-summary", nil)
	req.Header.Add(sandbox.FaultHeader, "latency:1ms")
	req.Header.Add(sandbox.FaultHeader, "status:504")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("HTTP %d, want the 504 of the second header", resp.StatusCode)
	}
}

// TestDroppedConnection: the reset and truncate faults drop a real
// connection: with no answer, or after half the body.
func TestDroppedConnection(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	const path = "/mm/prescriptions?format=trace-summary&nhsNumber=9434765919"
	resp, err := get(t, srv, http.MethodGet, path, "reset")
	if err == nil {
		t.Fatalf("reset: got HTTP %d, want a client error and no response", resp.StatusCode)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("reset: error = %v, want a connection error", err)
	}
	whole, err := get(t, srv, http.MethodGet, path, "")
	if err != nil {
		t.Fatal(err)
	}
	wholeBody, _ := io.ReadAll(whole.Body)
	resp, err = get(t, srv, http.MethodGet, path, "truncate")
	if err != nil {
		t.Fatalf("truncate: want the response's headers, got %v", err)
	}
	if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len(wholeBody)) {
		t.Errorf("truncate: HTTP %d, Content-Length %d, want 200 and the full %d", resp.StatusCode, resp.ContentLength, len(wholeBody))
	}
	body, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncate: read error %v, want io.ErrUnexpectedEOF: the half sent arrives, then the end", err)
	}
	if len(body) != len(wholeBody)/2 || !strings.HasPrefix(string(wholeBody), string(body)) {
		t.Errorf("truncate: read %d bytes, want the first %d of the answer", len(body), len(wholeBody)/2)
	}
}

func TestDropWithoutHijackerPanics(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: func() time.Time { return now }, Faults: sandbox.FaultConfig{PerRequest: true}})
	h := Handler(sb)
	ok := httptest.NewRecorder()
	h.ServeHTTP(ok, httptest.NewRequest(http.MethodGet, "/mm/prescriptions?format=trace-summary&nhsNumber=9434765919", nil))
	whole := ok.Body.String()
	for _, spec := range []string{"reset", "truncate"} {
		req := httptest.NewRequest(http.MethodGet, "/mm/prescriptions?format=trace-summary&nhsNumber=9434765919", nil)
		req.Header.Set(sandbox.FaultHeader, spec)
		rec := httptest.NewRecorder()
		func() {
			defer func() {
				if v := recover(); v != http.ErrAbortHandler {
					t.Errorf("%s into a recorder: recovered %v, want http.ErrAbortHandler", spec, v)
				}
			}()
			h.ServeHTTP(rec, req)
		}()
		if spec == "truncate" && rec.Body.String() != whole[:len(whole)/2] {
			t.Errorf("truncate wrote %q before aborting, want the first half of the body", rec.Body)
		}
	}
}

// BenchmarkSearchLoopback is the sandbox's throughput for searches over
// loopback HTTP, client and server on this machine, as a client or gateway
// benchmark would use it (target: at least 10,000 searches/s on 2 cores).
func BenchmarkSearchLoopback(b *testing.B) {
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: func() time.Time { return now }})
	srv := httptest.NewServer(Handler(sb))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	var urls []string
	for _, p := range sb.Patients() {
		urls = append(urls, srv.URL+"/mm/prescriptions?format=trace-summary&nhsNumber="+p.NHSNumber+"&earliestDate=20241124&latestDate=20261124")
	}
	var next atomic.Uint64
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, urls[next.Add(1)%uint64(len(urls))], nil)
			req.Header.Set("Spine-From-Asid", "200000001234")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "searches/s")
}

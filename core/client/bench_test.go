package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// The three benchmarks below send the same search to the same in-process
// sandbox. BareGET is net/http alone; BareGETParse adds parsing the answer;
// ClientSearch is the client: offline validation, the date window, headers,
// trace id, the retry loop, content checks and parsing. The client's
// overhead is ClientSearch against BareGETParse (target: within 10%).

// benchSetup makes a client of an in-process sandbox.
func benchSetup(b *testing.B) (*http.Client, *Client, string, string) {
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock})
	return benchClient(b, sb, "http://sandbox.test", &http.Client{Transport: sandbox.Transport{Handler: sb}})
}

// benchClient makes a client of the sandbox sb at base, and the URL of the
// search it sends for the first patient.
func benchClient(b *testing.B, sb *sandbox.Sandbox, base string, hc *http.Client) (*http.Client, *Client, string, string) {
	c, err := New(WithBaseURL(base+"/mm/prescriptions"), WithASID("200000001234"), WithHTTPClient(hc), WithClock(clock))
	if err != nil {
		b.Fatal(err)
	}
	nhs := sb.Patients()[0].NHSNumber
	u := base + "/mm/prescriptions?" + url.Values{"format": {"trace-summary"}, "nhsNumber": {nhs},
		"earliestDate": {"20241124"}, "latestDate": {"20261124"}}.Encode()
	c.Search(context.Background(), SearchQuery{NHSNumber: nhs}) // the validator's one-time set-up is measured elsewhere
	return hc, c, u, nhs
}

func bareGET(b *testing.B, hc *http.Client, u string) []byte {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "application/json") // the headers the client sends
	req.Header.Set("Spine-From-Asid", "200000001234")
	req.Header.Set("Eps-TraceId", "ept-0123456789abcdef01234567")
	req.Header.Set("User-Agent", DefaultUserAgent)
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func BenchmarkBareGET(b *testing.B) {
	hc, _, u, _ := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		bareGET(b, hc, u)
	}
}

func BenchmarkBareGETParse(b *testing.B) {
	hc, _, u, _ := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tracker.ParseSearch(bareGET(b, hc, u)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClientSearch(b *testing.B) {
	_, c, _, nhs := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Search(ctx, SearchQuery{NHSNumber: nhs}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientOverhead runs BareGETParse and ClientSearch alternately in
// one loop, so that both see the same machine at the same moments, and
// reports each one's time and the client's overhead.
func BenchmarkClientOverhead(b *testing.B) {
	hc, c, u, nhs := benchSetup(b)
	alternate(b, hc, c, u, nhs)
}

// BenchmarkClientOverheadLoopback is BenchmarkClientOverhead over loopback
// HTTP, as when the sandbox or a gateway runs as a server on this machine.
func BenchmarkClientOverheadLoopback(b *testing.B) {
	if runtime.GOOS == "js" {
		b.Skip("no loopback network in wasm")
	}
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	hc, c, u, nhs := benchClient(b, sb, srv.URL, &http.Client{Transport: &http.Transport{}})
	defer hc.CloseIdleConnections()
	alternate(b, hc, c, u, nhs)
}

// alternate times a bare GET and parse of u and the client's search for
// nhs in turn, each going first every other time, and reports each one's
// time and the client's overhead.
func alternate(b *testing.B, hc *http.Client, c *Client, u, nhs string) {
	bare := func() {
		if _, err := tracker.ParseSearch(bareGET(b, hc, u)); err != nil {
			b.Fatal(err)
		}
	}
	client := func() {
		if _, err := c.Search(context.Background(), SearchQuery{NHSNumber: nhs}); err != nil {
			b.Fatal(err)
		}
	}
	var tb, tc time.Duration
	timed := func(f func()) time.Duration {
		t := time.Now()
		f()
		return time.Since(t)
	}
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			tb += timed(bare)
			tc += timed(client)
		} else {
			tc += timed(client)
			tb += timed(bare)
		}
		i++
	}
	n := float64(b.N)
	b.ReportMetric(float64(tb.Nanoseconds())/n, "bare-ns/search")
	b.ReportMetric(float64(tc.Nanoseconds())/n, "client-ns/search")
	b.ReportMetric(100*(float64(tc)/float64(tb)-1), "overhead-%")
}

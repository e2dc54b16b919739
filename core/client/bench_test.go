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
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

// The three benchmarks below send the same search to the same in-process
// sandbox. BareGET is the transport alone; BareGETParse adds parsing the
// answer; ClientSearch is the client: offline validation, the date window,
// headers, trace id, the retry loop, content checks and parsing. The
// client's overhead is ClientSearch against BareGETParse (target: within
// 10%).

// benchSetup makes a client of an in-process sandbox.
func benchSetup(b *testing.B) (transport.Transport, *Client, *url.URL, string) {
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock})
	return benchClient(b, sb, "http://sandbox.test", sb)
}

// benchClient makes a client of the sandbox sb at base, sending with t, and
// the URL of the search it sends for the first patient.
func benchClient(b *testing.B, sb *sandbox.Sandbox, base string, t transport.Transport) (transport.Transport, *Client, *url.URL, string) {
	c, err := New(WithBaseURL(base+"/mm/prescriptions"), WithASID("200000001234"), WithTransport(t), WithClock(clock))
	if err != nil {
		b.Fatal(err)
	}
	nhs := sb.Patients()[0].NHSNumber
	u, err := url.Parse(base + "/mm/prescriptions?" + url.Values{"format": {"trace-summary"}, "nhsNumber": {nhs},
		"earliestDate": {"20241124"}, "latestDate": {"20261124"}}.Encode())
	if err != nil {
		b.Fatal(err)
	}
	c.Search(context.Background(), SearchQuery{NHSNumber: nhs}) // the validator's one-time set-up is measured elsewhere
	return t, c, u, nhs
}

func bareGET(b *testing.B, t transport.Transport, u *url.URL) []byte {
	resp, err := t.Get(context.Background(), &transport.Request{URL: u, Header: transport.Header{
		"Accept":          "application/json", // the headers the client sends
		"Spine-From-Asid": "200000001234",
		"Eps-Traceid":     "ept-0123456789abcdef01234567",
		"User-Agent":      DefaultUserAgent,
	}})
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
	t, _, u, _ := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		bareGET(b, t, u)
	}
}

func BenchmarkBareGETParse(b *testing.B) {
	t, _, u, _ := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tracker.ParseSearch(bareGET(b, t, u)); err != nil {
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
	t, c, u, nhs := benchSetup(b)
	alternate(b, t, c, u, nhs)
}

// BenchmarkClientOverheadLoopback is BenchmarkClientOverhead over loopback
// HTTP, as when the sandbox or a gateway runs as a server on this machine:
// the bare GET is the native host's adapter of net/http alone.
func BenchmarkClientOverheadLoopback(b *testing.B) {
	if runtime.GOOS == "js" {
		b.Skip("no loopback network in wasm")
	}
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock})
	srv := httptest.NewServer(sandboxhttp.Handler(sb))
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	t, c, u, nhs := benchClient(b, sb, srv.URL, nethttp.New(hc))
	alternate(b, t, c, u, nhs)
}

// alternate times a bare GET and parse of u and the client's search for
// nhs in turn, each going first every other time, and reports each one's
// time and the client's overhead.
func alternate(b *testing.B, t transport.Transport, c *Client, u *url.URL, nhs string) {
	bare := func() {
		if _, err := tracker.ParseSearch(bareGET(b, t, u)); err != nil {
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

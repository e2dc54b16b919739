//go:build !js

package auditstore_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

// The load of BenchmarkGatewayLoad: a round is loadRequests searches from
// loadClients clients at once, each a user of a portal with a token of its
// own, on a connection kept alive.
const (
	loadClients  = 32
	loadRequests = 2000
)

// BenchmarkGatewayLoad is the gateway's throughput beside a bare
// httputil.ReverseProxy's, both in front of the same sandbox served over
// loopback HTTP, as a site runs it: checking each caller's EdDSA token
// (the cheapest signature it accepts) and writing each request's record to
// an audit store on disk (synchronous=FULL) before it answers, reaching
// the sandbox through nethttp. Beside them, in the same rounds: the same
// gateway writing its records to a sink that keeps nothing, whose latency
// against the gateway's is what the audit write adds; and the gateway sent
// a token never seen before with every request, whose signature it must
// check each time (a portal sends the same token until it expires, which
// the gateway remembers).
//
// Each iteration is a round of each, in turn, each going first in turn, so
// that they share whatever else the machine is doing; run it a fixed
// number of times (-benchtime 10x) for a fixed load. It reports each one's
// requests a second and p50 and p99 latency, the gateway's throughput over
// the proxy's (target: at least 0.7), and what the audit write adds to the
// p50 and p99; and the CPU time the process spends on a request of each
// (the load generator's and the sandbox's included), which other work on
// the machine moves less than it moves the throughput.
func BenchmarkGatewayLoad(b *testing.B) {
	sb := sandbox.New(sandbox.Config{Seed: 1})
	upstream := httptest.NewServer(sandboxhttp.Handler(sb))
	b.Cleanup(upstream.Close)
	root, err := url.Parse(upstream.URL)
	if err != nil {
		b.Fatal(err)
	}
	issuer, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		b.Fatal(err)
	}
	store, _ := setup(b)
	sessions := make([]string, loadClients) // a token each, sent with every request
	for i := range sessions {
		sessions[i] = issuer.Token(gatewaytest.Claims{Subject: fmt.Sprintf("load-user-%d", i)})
	}
	session := func(client, _ int) string { return sessions[client] }
	var fresh []string // a token for each request of a round, each naming another user id: never sent before
	var made int
	freshToken := func(_, request int) string { return fresh[request] }
	nothingKept := audit.SinkFunc(func(context.Context, audit.Record) error { return nil })

	proxied := &loadTarget{name: "proxy", token: session,
		handler: &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(root) }, Transport: upstreamTransport(b)}}
	unaudited := &loadTarget{name: "gateway, no audit", token: session, handler: newLoadGateway(b, issuer, root, nothingKept)}
	var writes timedSink // the audited gateway's writes, timed
	writes.sink = store
	audited := &loadTarget{name: "gateway", token: session, handler: newLoadGateway(b, issuer, root, &writes)}
	newTokens := &loadTarget{name: "gateway, new tokens", token: freshToken, handler: newLoadGateway(b, issuer, root, store),
		before: func() {
			fresh = fresh[:0]
			for i := range loadRequests {
				made++
				fresh = append(fresh, issuer.Token(gatewaytest.Claims{Subject: fmt.Sprintf("load-user-%d", i%loadClients),
					UserID: fmt.Sprintf("5559%08d", made)}))
			}
		}}
	targets := []*loadTarget{proxied, unaudited, audited, newTokens}
	var searches []string
	for _, p := range sb.Patients() {
		searches = append(searches, "/mm/prescriptions?format=trace-summary&nhsNumber="+p.NHSNumber)
	}
	for _, t := range targets {
		t.start(b)
		t.round(b, searches) // the connections opened, the sandbox's population made
		t.reset()
	}
	writes.reset()

	rounds := 0
	for b.Loop() {
		for i := range targets {
			targets[(rounds+i)%len(targets)].round(b, searches)
		}
		rounds++
	}
	b.StopTimer()

	for _, t := range targets {
		slug := strings.ReplaceAll(strings.ReplaceAll(t.name, ",", ""), " ", "-")
		b.ReportMetric(t.throughput(), slug+"-req/s")
		b.ReportMetric(ms(t.percentile(50)), slug+"-p50-ms")
		b.ReportMetric(ms(t.percentile(99)), slug+"-p99-ms")
		if t.cpu > 0 { // read on this system
			b.ReportMetric(float64(t.cpu.Microseconds())/float64(t.requests), slug+"-cpu-us/req")
		}
	}
	b.ReportMetric(audited.throughput()/proxied.throughput(), "gateway/proxy")
	b.ReportMetric(newTokens.throughput()/proxied.throughput(), "new-tokens/proxy")
	b.ReportMetric(ms(audited.percentile(50)-unaudited.percentile(50)), "audit-p50-added-ms")
	b.ReportMetric(ms(audited.percentile(99)-unaudited.percentile(99)), "audit-p99-added-ms")
	b.ReportMetric(ms(writes.percentile(50)), "audit-write-p50-ms")
	b.ReportMetric(ms(writes.percentile(99)), "audit-write-p99-ms")
	b.ReportMetric(0, "ns/op") // a round is several servers' work: see the figures above

	want := int64(2 * (rounds + 1) * loadRequests) // the gateway's rounds and the new tokens', each a record a request
	if r, err := store.Verify(context.Background()); err != nil || !r.Intact() || r.Records != want {
		b.Fatalf("the audit store after the load: Verify = %+v, %v; want %d records, intact", r, err, want)
	}
}

// newLoadGateway serves a gateway in front of the sandbox at root, trusting
// issuer's tokens, with no rate limit to speak of, keeping its records in
// sink.
func newLoadGateway(b *testing.B, issuer *gatewaytest.Issuer, root *url.URL, sink audit.Sink) http.Handler {
	b.Helper()
	keys, err := gateway.ParseJWKS(issuer.JWKS())
	if err != nil {
		b.Fatal(err)
	}
	h, err := gateway.New(gateway.Config{
		Upstream:  root.JoinPath("/mm/prescriptions").String(),
		Transport: nethttp.New(&http.Client{Transport: upstreamTransport(b)}),
		ASID:      "200000001234",
		Auth:      &gateway.Auth{Keys: keys, Issuer: issuer.Name, Audience: issuer.Audience},
		Rate:      1e9,
		Audit:     sink,
		AuditKey:  testKey,
	})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// upstreamTransport is how the proxy and the gateways reach the sandbox:
// the default transport, keeping a connection for each client.
func upstreamTransport(b *testing.B) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = loadClients
	b.Cleanup(t.CloseIdleConnections)
	return t
}

// loadTarget is a server under load, and what the load found.
type loadTarget struct {
	name    string
	handler http.Handler
	// token is the token a client sends with a round's request.
	token func(client, request int) string
	// before, when set, is called before each round, untimed.
	before func()

	url       string
	client    *http.Client
	requests  int
	elapsed   time.Duration
	latencies []time.Duration
	cpu       time.Duration // the process's, during the rounds
}

// start serves the target on loopback, and makes the clients' transport.
func (t *loadTarget) start(b *testing.B) {
	srv := httptest.NewServer(t.handler)
	b.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = loadClients
	tr.MaxConnsPerHost = loadClients
	b.Cleanup(tr.CloseIdleConnections)
	t.url, t.client = srv.URL, &http.Client{Transport: tr}
}

// round sends loadRequests searches, from loadClients clients at once, and
// fails the benchmark unless each is answered 200.
func (t *loadTarget) round(b *testing.B, searches []string) {
	if t.before != nil {
		t.before()
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := time.Now()
	cpu := processCPU()
	for c := range loadClients {
		wg.Go(func() {
			mine := make([]time.Duration, 0, 2*loadRequests/loadClients)
			defer func() {
				mu.Lock()
				t.latencies = append(t.latencies, mine...)
				mu.Unlock()
			}()
			for i := int(next.Add(1) - 1); i < loadRequests; i = int(next.Add(1) - 1) {
				req, err := http.NewRequest(http.MethodGet, t.url+searches[i%len(searches)], nil)
				if err != nil {
					b.Error(err)
					return
				}
				req.Header.Set("Authorization", "Bearer "+t.token(c, i))
				req.Header.Set("Spine-From-Asid", "200000001234") // for the proxy; the gateway sends its own
				t0 := time.Now()
				resp, err := t.client.Do(req)
				if err != nil {
					b.Errorf("%s: %v", t.name, err)
					return
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Errorf("%s: HTTP %d, %v", t.name, resp.StatusCode, err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.elapsed += time.Since(start)
	t.requests += loadRequests
	t.cpu += processCPU() - cpu
}

// reset forgets what the rounds so far found.
func (t *loadTarget) reset() { t.requests, t.elapsed, t.latencies, t.cpu = 0, 0, nil, 0 }

// throughput is the requests answered a second.
func (t *loadTarget) throughput() float64 { return float64(t.requests) / t.elapsed.Seconds() }

// percentile is the p-th percentile of the requests' latency.
func (t *loadTarget) percentile(p int) time.Duration {
	slices.Sort(t.latencies)
	return t.latencies[(len(t.latencies)-1)*p/100]
}

// timedSink times each record's write to sink, as the gateway waits for it.
type timedSink struct {
	sink      audit.Sink
	mu        sync.Mutex
	latencies []time.Duration
}

func (s *timedSink) Write(ctx context.Context, r audit.Record) error {
	t0 := time.Now()
	err := s.sink.Write(ctx, r)
	d := time.Since(t0)
	s.mu.Lock()
	s.latencies = append(s.latencies, d)
	s.mu.Unlock()
	return err
}

func (s *timedSink) reset() { s.latencies = nil }

// percentile is the p-th percentile of the writes' latency.
func (s *timedSink) percentile(p int) time.Duration {
	slices.Sort(s.latencies)
	return s.latencies[(len(s.latencies)-1)*p/100]
}

// ms is d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

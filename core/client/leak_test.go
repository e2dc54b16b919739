package client

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
)

func quiet() *log.Logger { return log.New(io.Discard, "", 0) }

// TestNoLeaks makes many calls over a real loopback server, through every
// kind of failure, and checks that no goroutine or connection outlives them.
func TestNoLeaks(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("no loopback network in wasm")
	}
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock, Faults: sandbox.FaultConfig{PerRequest: true}})
	srv := httptest.NewUnstartedServer(sb)
	srv.Config.ErrorLog = quiet()
	srv.Start()
	transport := &http.Transport{}
	sp := &spy{next: transport}
	c, err := New(WithBaseURL(srv.URL+"/mm/prescriptions"), WithASID("200000001234"), WithHTTPClient(&http.Client{Transport: sp}),
		WithClock(clock), WithRetryPolicy(fast), WithAttemptTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	nhs := sb.Patients()[0].NHSNumber
	for _, fault := range []string{"", "status:503", "reset", "truncate", "latency:1s", "slow-body:1ms", "html", "wrong-content-type", "status:404"} {
		sp.fault, sp.faulty = fault, -1
		for range 2 {
			c.Search(context.Background(), SearchQuery{NHSNumber: nhs})
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Search(ctx, SearchQuery{NHSNumber: nhs})
	transport.CloseIdleConnections()
	srv.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

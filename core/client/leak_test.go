package client

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

func quiet() *log.Logger { return log.New(io.Discard, "", 0) }

// TestNoLeaks makes many calls to a real HTTP server, through every kind of
// failure, and checks that no goroutine or connection outlives them. It
// runs in a synctest bubble, over an in-memory network: once every
// goroutine waits, no connection may be left open but idle ones, and the
// bubble ends only when every goroutine started in it has ended, failing,
// naming them, if any is left waiting for ever. Nothing is polled.
func TestNoLeaks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock, Faults: sandbox.FaultConfig{PerRequest: true}})
		network := newPipeListener()
		srv := &http.Server{Handler: sandboxhttp.Handler(sb), ErrorLog: quiet()}
		served := make(chan error)
		go func() { served <- srv.Serve(network) }()
		transport := &http.Transport{DialContext: network.dial}
		sp := &spy{next: nethttp.New(&http.Client{Transport: transport})}
		c, err := New(WithBaseURL("http://sandbox.test/mm/prescriptions"), WithASID("200000001234"), WithTransport(sp),
			WithClock(ticking()), WithRetryPolicy(fast), WithAttemptTimeout(200*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
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
		synctest.Wait()
		if n := network.open.Load(); n != 0 {
			t.Errorf("%d connections are still open", n)
		}
		srv.Close()
		if err := <-served; err != http.ErrServerClosed {
			t.Errorf("the server ended with %v", err)
		}
	})
}

// pipeListener is an in-memory network for one server: each dial makes a
// net.Pipe and hands its other end to Accept. It counts the connections
// dialled and not yet closed.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
	open   atomic.Int32
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		l.open.Add(1)
		return &countedConn{Conn: client, open: &l.open}, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// countedConn is a connection that counts itself closed once.
type countedConn struct {
	net.Conn
	open *atomic.Int32
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.open.Add(-1) })
	return c.Conn.Close()
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

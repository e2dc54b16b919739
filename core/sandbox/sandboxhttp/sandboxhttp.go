// Package sandboxhttp serves the sandbox over HTTP, for native hosts: the
// `eps-tracker sandbox` command, servers that offer a Spine-shaped sandbox,
// and tests that need a real server. A browser build uses the sandbox
// in-process, as a transport.Transport, and never imports this package, so
// it links no net/http.
package sandboxhttp

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// Handler serves t, a sandbox or any transport (one behind
// sandbox.WithFaults, say), over HTTP: a GET or HEAD gets t's answer,
// another method 405.
//
// Where t gives no answer (the reset fault) the connection is dropped with
// a TCP reset, and where the body it answers fails part-way (the truncate
// fault) what came of it is sent and the connection then closed in order.
// Where the connection cannot be hijacked (HTTP/2, or a ResponseWriter that
// is no server's, such as a recorder) the handler panics with
// [http.ErrAbortHandler], net/http's documented way to abort a response: a
// server recovers that panic without logging it and resets the stream.
//
// A body is sent as it is read, each part flushed, so that a slow body
// arrives slowly. The handler is safe for concurrent use.
func Handler(t transport.Transport) http.Handler { return handler{t} }

type handler struct{ t transport.Transport }

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: the tracker answers GET only", http.StatusMethodNotAllowed)
		return
	}
	resp, err := h.t.Get(r.Context(), request(r))
	if err != nil {
		if r.Context().Err() == nil {
			dropConnection(w, true)
		}
		return // the client has gone
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header().Set(k, v)
	}
	if resp.ContentLength >= 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	w.WriteHeader(resp.StatusCode)
	if r.Method == http.MethodHead {
		return
	}
	if err := send(w, resp.Body); err != nil && r.Context().Err() == nil {
		dropConnection(w, false)
	}
}

// request is r as a transport request: its absolute URL, and its headers,
// a field sent more than once as one value, the values joined by ", ".
func request(r *http.Request) *transport.Request {
	u := &url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	h := make(transport.Header, len(r.Header))
	for k, v := range r.Header {
		h[k] = strings.Join(v, ", ")
	}
	return &transport.Request{URL: u, Header: h}
}

// send copies body to w, each part flushed as it comes. It returns the
// body's error, not w's: a client that has gone is no failure.
func send(w http.ResponseWriter, body io.Reader) error {
	fw := &flushWriter{w: w, rc: http.NewResponseController(w)}
	_, err := io.Copy(fw, body)
	if fw.err != nil {
		return nil
	}
	return err
}

// flushWriter writes to a ResponseWriter and flushes each write; it keeps
// the first error of a write.
type flushWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	err error
}

func (f *flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err != nil {
		f.err = err
		return n, err
	}
	_ = f.rc.Flush() // where flushing is not supported the parts arrive together
	return n, nil
}

// dropConnection ends the exchange without an answer, or without the rest of
// one: it sends what was written, hijacks the connection and closes it, with
// a TCP reset where the connection is TCP and reset is asked for. (A reset
// discards what the other side has not read yet.) Where it cannot hijack it
// panics with http.ErrAbortHandler.
func dropConnection(w http.ResponseWriter, reset bool) {
	rc := http.NewResponseController(w)
	if !reset {
		_ = rc.Flush()
	}
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0) // without it Close sends FIN, an orderly end
	}
	_ = conn.Close()
}

package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// ErrConnectionReset is what an in-process Transport returns when the
// handler drops the connection (the reset fault).
var ErrConnectionReset = errors.New("sandbox: connection reset")

// Transport is an http.RoundTripper that serves every request in-process
// from Handler, with no network at all. It is how hosts embed the sandbox:
// the same client code talks to it as to Spine, in a browser too.
type Transport struct {
	Handler http.Handler
}

// RoundTrip serves req from the handler. A handler that drops the
// connection before answering gives ErrConnectionReset; one that drops it
// part-way through the body gives a body that ends in io.ErrUnexpectedEOF.
func (t Transport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := newRecorder()
	defer func() {
		v := recover()
		switch {
		case v == nil:
		case v != http.ErrAbortHandler:
			err = fmt.Errorf("sandbox: the handler failed: %v", v)
		case !rec.wroteHeader:
			err = ErrConnectionReset
		default:
			resp = rec.response(req, io.MultiReader(bytes.NewReader(rec.body.Bytes()), failingReader{io.ErrUnexpectedEOF}))
		}
	}()
	t.Handler.ServeHTTP(rec, req)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	return rec.response(req, bytes.NewReader(rec.body.Bytes())), nil
}

// recorder keeps what a handler writes in memory.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: make(http.Header)} }

func (r *recorder) Header() http.Header { return r.header }

// WriteHeader keeps the first final status; informational ones are not the
// answer.
func (r *recorder) WriteHeader(status int) {
	if r.wroteHeader || status < 200 {
		return
	}
	r.status, r.wroteHeader = status, true
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// Flush does nothing: in-process, and when a fault replays an answer, the
// body is sent whole later.
func (r *recorder) Flush() {}

func (r *recorder) response(req *http.Request, body io.Reader) *http.Response {
	status := r.status
	if !r.wroteHeader {
		status = http.StatusOK
	}
	length := int64(-1)
	if n, err := strconv.ParseInt(r.header.Get("Content-Length"), 10, 64); err == nil {
		length = n
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        r.header.Clone(),
		Body:          io.NopCloser(body),
		ContentLength: length,
		Request:       req,
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
)

// errUnreadable is a request the Worker cannot read: not an HTTP method,
// or not a URL. (workerd would not hand over such a request.)
var errUnreadable = errors.New("The Worker was given a request it cannot read.")

// request is the http.Request the gateway sees for one of the Worker's
// requests: its method, its absolute URL and its header fields as fetch
// gives them ([name, value] pairs, the names in lower case). It has no body:
// the gateway answers GET and OPTIONS only. Its RemoteAddr is the caller's
// address as Cloudflare gives it (CF-Connecting-IP), when it does.
func request(ctx context.Context, method, url string, fields [][2]string) (*http.Request, error) {
	r, err := http.NewRequestWithContext(ctx, method, url, http.NoBody)
	if err != nil {
		return nil, errUnreadable // err may hold the URL, and the URL patient identifiers
	}
	for _, f := range fields {
		r.Header.Add(f[0], f[1])
	}
	r.RemoteAddr = r.Header.Get("Cf-Connecting-Ip")
	return r, nil
}

// answer is an http.ResponseWriter that keeps the whole answer, for the
// Worker to make one Response of: the gateway's answers are small.
type answer struct {
	header http.Header
	status int // 0 until the header is written
	body   bytes.Buffer
}

func newAnswer() *answer { return &answer{header: http.Header{}} }

func (a *answer) Header() http.Header { return a.header }

func (a *answer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *answer) Write(p []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(p)
}

// Status is the status the answer was given, 200 when none was.
func (a *answer) Status() int {
	if a.status == 0 {
		return http.StatusOK
	}
	return a.status
}

// serve runs h for one request, given as request takes it, and returns its
// answer. A request the Worker cannot read is answered 400, and a handler
// that panics 500: the program serves the isolate's other requests on.
func serve(ctx context.Context, h http.HandlerFunc, method, url string, fields [][2]string) *answer {
	r, err := request(ctx, method, url, fields)
	if err != nil {
		return plain(http.StatusBadRequest, err.Error())
	}
	return run(h, r)
}

// run is h's answer to r, or a 500 when h panics.
func run(h http.HandlerFunc, r *http.Request) (a *answer) {
	defer func() {
		if p := recover(); p != nil {
			// The panic's value is not logged: it may hold what the caller sent.
			fmt.Fprintf(os.Stderr, "gateway: the handler failed on a %s request (a bug: please report it)\n", r.Method)
			a = plain(http.StatusInternalServerError, "The gateway failed while answering. Try again; if it goes on, tell the gateway's operator.")
		}
	}()
	a = newAnswer()
	h(a, r)
	return a
}

// plain is an answer of a plain-text message.
func plain(status int, message string) *answer {
	a := newAnswer()
	plainText(a.header)
	a.WriteHeader(status)
	a.body.WriteString(message + "\n")
	return a
}

// plainText sets the header fields of a plain-text message that no cache
// keeps.
func plainText(h http.Header) {
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
}

// misconfigured is the handler of a Worker whose settings are wrong: every
// request is answered 500 with err's message, which names the setting, and
// the message is logged each time, so that the Worker's logs show it beside
// every request it refused.
func misconfigured(err error) http.HandlerFunc {
	message := "The gateway is not configured: " + err.Error()
	return func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(os.Stderr, "gateway: "+message)
		plainText(w.Header())
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, message)
	}
}

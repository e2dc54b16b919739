package sandbox

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind names one kind of failure.
type FaultKind string

// The kinds of failure the sandbox can inject. Each names the fields of
// [Fault] it uses.
const (
	// FaultLatency waits Delay before answering.
	FaultLatency FaultKind = "latency"
	// FaultSlowBody sends the real answer's body in about 10 chunks, Delay
	// between them.
	FaultSlowBody FaultKind = "slow-body"
	// FaultStatus answers HTTP Status (e.g. 500, 502, 503, 504) with a short
	// text/plain body.
	FaultStatus FaultKind = "status"
	// FaultRetryAfter answers Status (429 or 503) with a Retry-After header of
	// RetryAfter seconds.
	FaultRetryAfter FaultKind = "retry-after"
	// FaultReset drops the connection without an answer (a TCP reset).
	FaultReset FaultKind = "reset"
	// FaultTruncate sends the real answer's headers, with the full
	// Content-Length, and half its body, then closes the connection (in
	// order, so that the half arrives).
	FaultTruncate FaultKind = "truncate"
	// FaultHTML answers an HTML error page with HTTP Status (default 502) and
	// Content-Type text/html, as a proxy in front of Spine might.
	FaultHTML FaultKind = "html"
	// FaultContentType sends the real answer with Content-Type text/plain.
	FaultContentType FaultKind = "wrong-content-type"
	// FaultOversize answers HTTP 200 application/json with a body of Size
	// bytes (default 11 MiB), streamed without holding it in memory.
	FaultOversize FaultKind = "oversize"
)

// Fault is one failure to inject: its kind and the parameters that kind uses.
// A kind ignores the fields it does not use; a zero Status or Size means the
// kind's default.
type Fault struct {
	Kind FaultKind
	// Status is the HTTP status of FaultStatus (default 500), FaultRetryAfter
	// (default 503) and FaultHTML (default 502).
	Status int
	// Delay is the wait of FaultLatency and the pause between the chunks of
	// FaultSlowBody.
	Delay time.Duration
	// RetryAfter is the Retry-After of FaultRetryAfter, in seconds.
	RetryAfter int
	// Size is the body length of FaultOversize in bytes (default 11 MiB). A
	// size too small for the JSON object around the padding is raised to fit
	// it; ParseFaults refuses one.
	Size int64
}

// String returns f in the form ParseFaults reads, e.g. "status:503" or
// "retry-after:429:30".
func (f Fault) String() string {
	switch f.Kind {
	case FaultLatency, FaultSlowBody:
		return string(f.Kind) + ":" + f.Delay.String()
	case FaultStatus:
		return string(f.Kind) + ":" + strconv.Itoa(f.Status)
	case FaultRetryAfter:
		return fmt.Sprintf("%s:%d:%d", f.Kind, f.Status, f.RetryAfter)
	case FaultHTML:
		if f.Status != 0 {
			return string(f.Kind) + ":" + strconv.Itoa(f.Status)
		}
	case FaultOversize:
		if f.Size != 0 {
			return string(f.Kind) + ":" + strconv.FormatInt(f.Size, 10)
		}
	}
	return string(f.Kind)
}

// faultForms lists the forms ParseFaults reads, for its error messages.
const faultForms = "latency:DURATION, slow-body:DURATION, status:CODE (400-599), " +
	"retry-after:CODE:SECONDS (CODE 429 or 503), reset, truncate, html[:CODE], " +
	"wrong-content-type, oversize[:BYTES]"

// ParseFaults reads a comma-separated list such as "latency:200ms,status:503".
// The forms are latency:DURATION, slow-body:DURATION, status:CODE (400-599),
// retry-after:CODE:SECONDS (CODE 429 or 503), reset, truncate, html[:CODE],
// wrong-content-type and oversize[:BYTES]; DURATION is written as for
// time.ParseDuration. Spaces around items are ignored, and an empty spec is no
// faults. Errors say which item is wrong and list the forms.
func ParseFaults(spec string) ([]Fault, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	var faults []Fault
	for i, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		f, err := parseFault(item)
		if err != nil {
			return nil, fmt.Errorf("sandbox: fault %d %q: %v; the forms are %s", i+1, item, err, faultForms)
		}
		faults = append(faults, f)
	}
	return faults, nil
}

// parseFault reads one item of a fault list.
func parseFault(item string) (Fault, error) {
	name, arg, hasArg := strings.Cut(item, ":")
	f := Fault{Kind: FaultKind(name)}
	switch f.Kind {
	case FaultLatency, FaultSlowBody:
		d, err := time.ParseDuration(arg)
		if !hasArg || err != nil || d < 0 {
			return Fault{}, fmt.Errorf("%s needs a duration such as 200ms", name)
		}
		f.Delay = d
	case FaultStatus:
		code, err := strconv.Atoi(arg)
		if !hasArg || err != nil || code < 400 || code > 599 {
			return Fault{}, errors.New("status needs an HTTP status from 400 to 599")
		}
		f.Status = code
	case FaultRetryAfter:
		codeArg, secondsArg, _ := strings.Cut(arg, ":")
		code, err := strconv.Atoi(codeArg)
		if err != nil || (code != http.StatusTooManyRequests && code != http.StatusServiceUnavailable) {
			return Fault{}, errors.New("retry-after needs the status 429 or 503")
		}
		seconds, err := strconv.Atoi(secondsArg)
		if err != nil || seconds < 0 {
			return Fault{}, errors.New("retry-after needs a whole number of seconds after the status")
		}
		f.Status, f.RetryAfter = code, seconds
	case FaultReset, FaultTruncate, FaultContentType:
		if hasArg {
			return Fault{}, fmt.Errorf("%s takes no argument", name)
		}
	case FaultHTML:
		if hasArg {
			code, err := strconv.Atoi(arg)
			if err != nil || code < 400 || code > 599 {
				return Fault{}, errors.New("html takes an HTTP status from 400 to 599")
			}
			f.Status = code
		}
	case FaultOversize:
		if hasArg {
			size, err := strconv.ParseInt(arg, 10, 64)
			if err != nil || size < minOversize {
				return Fault{}, fmt.Errorf("oversize takes a whole number of bytes, at least %d", minOversize)
			}
			f.Size = size
		}
	default:
		return Fault{}, errors.New("no such fault")
	}
	return f, nil
}

// FaultRate is a fault injected into a share of requests: Rate, from 0 (never)
// to 1 (always).
type FaultRate struct {
	Fault Fault
	Rate  float64
}

// ParseFaultRates reads a comma-separated list of FAULT=RATE items such as
// "status:503=0.1,latency:50ms=0.5": each FAULT in a form ParseFaults reads,
// each RATE from 0 to 1. An empty spec is no rates. Errors say which item is
// wrong and list the forms.
func ParseFaultRates(spec string) ([]FaultRate, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	var rates []FaultRate
	for i, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		fr, err := parseFaultRate(item)
		if err != nil {
			return nil, fmt.Errorf("sandbox: fault rate %d %q: %v; the form is FAULT=RATE, RATE from 0 to 1 and FAULT one of %s", i+1, item, err, faultForms)
		}
		rates = append(rates, fr)
	}
	return rates, nil
}

// parseFaultRate reads one item of a fault rate list.
func parseFaultRate(item string) (FaultRate, error) {
	faultArg, rateArg, ok := strings.Cut(item, "=")
	if !ok {
		return FaultRate{}, errors.New("no =RATE")
	}
	f, err := parseFault(faultArg)
	if err != nil {
		return FaultRate{}, err
	}
	rate, err := strconv.ParseFloat(rateArg, 64)
	if err != nil || !(rate >= 0 && rate <= 1) {
		return FaultRate{}, errors.New("the rate must be a number from 0 to 1")
	}
	return FaultRate{Fault: f, Rate: rate}, nil
}

// FaultConfig says which faults a sandbox injects. The zero FaultConfig
// injects none.
type FaultConfig struct {
	// PerRequest honours the Sandbox-Fault request header ([FaultHeader]),
	// which names faults in the syntax of ParseFaults.
	PerRequest bool
	// Rates are drawn independently for each request.
	Rates []FaultRate
	// Seed seeds the draws, so that a run can be repeated.
	Seed uint64
}

// Enabled reports whether c injects any fault: whether it honours the
// request header or has rates.
func (c FaultConfig) Enabled() bool { return c.PerRequest || len(c.Rates) > 0 }

// FaultHeader is the request header that selects faults per request, in the
// syntax of ParseFaults, e.g. "Sandbox-Fault: latency:100ms,status:503".
const FaultHeader = "Sandbox-Fault"

// WithFaults wraps next so that its answers fail as c says. With faults not
// enabled (see [FaultConfig.Enabled]) it returns next itself, untouched.
//
// Each request first draws every one of c.Rates, in order, from a generator
// seeded with c.Seed, so that the same requests in the same order fail in the
// same way. With c.PerRequest, a request that carries a [FaultHeader] header
// gets the faults it names instead of the drawn ones (an empty header asks for
// none), and one whose header does not parse gets HTTP 400 explaining the
// syntax. Without c.PerRequest the header is ignored.
//
// All latency faults are served first; then the first of the other faults
// decides the answer, and a request with none gets next's answer. Waits end
// as soon as the request's context is done.
//
// FaultReset and FaultTruncate drop the connection: they hijack it and close
// it, FaultReset with a TCP reset. Where the connection cannot be hijacked (HTTP/2, or a
// ResponseWriter that is no server's, such as an in-process recorder) they
// panic with [http.ErrAbortHandler], net/http's documented way to abort a
// response: a server recovers that panic without logging it and resets the
// stream, and an in-process caller must recover it to tell a dropped
// connection from an answer. No other fault panics.
//
// The handler is safe for concurrent use.
func WithFaults(next http.Handler, c FaultConfig) http.Handler {
	if !c.Enabled() {
		return next
	}
	return &faultHandler{
		next:       next,
		perRequest: c.PerRequest,
		rates:      append([]FaultRate(nil), c.Rates...),
		rng:        rand.New(rand.NewPCG(c.Seed, 0)),
	}
}

// faultHandler is the handler WithFaults returns.
type faultHandler struct {
	next       http.Handler
	perRequest bool
	rates      []FaultRate

	mu  sync.Mutex // guards rng
	rng *rand.Rand
}

func (h *faultHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	faults := h.draw()
	if h.perRequest {
		if values := r.Header.Values(FaultHeader); len(values) > 0 {
			named, err := ParseFaults(strings.Join(values, ","))
			if err != nil {
				http.Error(w, fmt.Sprintf("bad %s header: %v", FaultHeader, err), http.StatusBadRequest)
				return
			}
			faults = named
		}
	}
	serveFaults(w, r, h.next, faults)
}

// draw draws every rate once, in order, and returns the faults that fire.
func (h *faultHandler) draw() []Fault {
	if len(h.rates) == 0 {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var faults []Fault
	for _, fr := range h.rates {
		if h.rng.Float64() < fr.Rate {
			faults = append(faults, fr.Fault)
		}
	}
	return faults
}

// serveFaults serves r with faults: the latencies first, then the first other
// fault, or next's answer if there is none.
func serveFaults(w http.ResponseWriter, r *http.Request, next http.Handler, faults []Fault) {
	var decisive *Fault
	for i, f := range faults {
		switch {
		case f.Kind == FaultLatency:
			if !sleepCtx(r.Context(), f.Delay) {
				return
			}
		case decisive == nil:
			decisive = &faults[i]
		}
	}
	if decisive == nil {
		next.ServeHTTP(w, r)
		return
	}
	f := *decisive
	switch f.Kind {
	case FaultSlowBody:
		serveSlowBody(w, r, next, f.Delay)
	case FaultStatus:
		status := cmp.Or(f.Status, http.StatusInternalServerError)
		http.Error(w, injectedText(status, f), status)
	case FaultRetryAfter:
		status := cmp.Or(f.Status, http.StatusServiceUnavailable)
		w.Header().Set("Retry-After", strconv.Itoa(max(f.RetryAfter, 0)))
		http.Error(w, injectedText(status, f), status)
	case FaultReset:
		dropConnection(w, true)
	case FaultTruncate:
		serveTruncated(w, r, next)
	case FaultHTML:
		serveHTML(w, cmp.Or(f.Status, http.StatusBadGateway))
	case FaultContentType:
		serveWrongContentType(w, r, next)
	case FaultOversize:
		serveOversize(w, cmp.Or(f.Size, defaultOversize))
	default:
		http.Error(w, fmt.Sprintf("sandbox: no such fault %q", f.Kind), http.StatusInternalServerError)
	}
}

// injectedText is the body of an injected error status.
func injectedText(status int, f Fault) string {
	return fmt.Sprintf("%d %s (injected by the sandbox: %s)", status, http.StatusText(status), f)
}

// sleepCtx waits for d, or until ctx is done; it reports whether it waited
// the whole of d.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection ends the exchange without an answer, or without the rest of
// one: it hijacks the connection and closes it, with a TCP reset where the
// connection is TCP and reset is asked for. (A reset discards what the
// other side has not read yet.) Where it cannot hijack it panics with
// http.ErrAbortHandler (see WithFaults).
func dropConnection(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0) // without it Close sends FIN, an orderly end
	}
	_ = conn.Close()
}

// serveTruncated sends next's headers, with the full Content-Length, and half
// its body, then closes the connection in order. A body too short to cut is
// dropped whole.
func serveTruncated(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := recordAnswer(next, r)
	body := rec.body.Bytes()
	if len(body) < 2 {
		dropConnection(w, true)
		return
	}
	rec.replayHeader(w, len(body))
	w.WriteHeader(rec.status)
	_, _ = w.Write(body[:len(body)/2])
	_ = http.NewResponseController(w).Flush()
	dropConnection(w, false)
}

// slowChunks is how many parts FaultSlowBody cuts a body into.
const slowChunks = 10

// serveSlowBody sends next's answer with its body in slowChunks parts and a
// pause of delay between them.
func serveSlowBody(w http.ResponseWriter, r *http.Request, next http.Handler, delay time.Duration) {
	rec := recordAnswer(next, r)
	body := rec.body.Bytes()
	rec.replayHeader(w, len(body))
	w.WriteHeader(rec.status)
	rc := http.NewResponseController(w)
	n := len(body)
	parts := min(slowChunks, n)
	for i := range parts {
		if i > 0 && !sleepCtx(r.Context(), delay) {
			return
		}
		if _, err := w.Write(body[i*n/parts : (i+1)*n/parts]); err != nil {
			return
		}
		_ = rc.Flush() // where flushing is not supported the parts arrive together
	}
}

// serveWrongContentType sends next's answer labelled text/plain.
func serveWrongContentType(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := recordAnswer(next, r)
	rec.replayHeader(w, rec.body.Len())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

// serveHTML answers the kind of HTML error page a proxy or load balancer in
// front of Spine sends.
func serveHTML(w http.ResponseWriter, status int) {
	text := strings.TrimSpace(fmt.Sprintf("%d %s", status, http.StatusText(status)))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head><title>%s</title></head>\n"+
		"<body>\n<h1>%s</h1>\n<p>The server could not answer your request. (Injected by the sandbox.)</p>\n</body>\n</html>\n",
		text, text)
}

// The JSON object FaultOversize sends: a tracker envelope whose padding
// member holds as many x as the size needs.
const (
	oversizeHead = `{"statusCode":"0","reason":"","version":"1","prescriptionList":{},"padding":"`
	oversizeTail = `"}`

	// minOversize is the size of the object with no padding.
	minOversize = int64(len(oversizeHead) + len(oversizeTail))
	// defaultOversize is just over the 10 MiB a client should accept.
	defaultOversize = 11 << 20
	// oversizeChunk is how much padding is written at a time.
	oversizeChunk = 32 << 10
)

// serveOversize streams a JSON object of exactly size bytes (at least
// minOversize).
func serveOversize(w http.ResponseWriter, size int64) {
	size = max(size, minOversize)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, oversizeHead); err != nil {
		return
	}
	padding := bytes.Repeat([]byte{'x'}, oversizeChunk)
	for left := size - minOversize; left > 0; {
		n := min(left, int64(len(padding)))
		if _, err := w.Write(padding[:n]); err != nil {
			return // the client has gone
		}
		left -= n
	}
	_, _ = io.WriteString(w, oversizeTail)
}

// recordAnswer runs next into a recorder, so that a fault can send its
// answer in its own way.
func recordAnswer(next http.Handler, r *http.Request) *recorder {
	rec := newRecorder()
	next.ServeHTTP(rec, r)
	if !rec.wroteHeader {
		rec.WriteHeader(http.StatusOK)
	}
	return rec
}

// replayHeader copies the recorded headers to w, with Content-Length set to
// length.
func (rec *recorder) replayHeader(w http.ResponseWriter, length int) {
	maps.Copy(w.Header(), rec.header)
	w.Header().Set("Content-Length", strconv.Itoa(length))
}

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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/transport"
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
	// FaultReset drops the connection without an answer (a TCP reset):
	// in-process, the error ErrConnectionReset.
	FaultReset FaultKind = "reset"
	// FaultTruncate sends the real answer's headers, with the full
	// Content-Length, and half its body, then closes the connection (in
	// order, so that the half arrives): in-process, a body that ends in
	// io.ErrUnexpectedEOF.
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
		if err != nil || (code != 429 && code != 503) {
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

// FaultsPerRequest reports whether s honours each request's [FaultHeader]
// (Config.Faults.PerRequest): a server in front of s passes the header on
// only then.
func (s *Sandbox) FaultsPerRequest() bool { return s.cfg.Faults.PerRequest }

// ErrConnectionReset is the error of a request the sandbox drops without an
// answer ([FaultReset]); sandboxhttp resets the connection for it.
var ErrConnectionReset = errors.New("sandbox: connection reset")

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
// as soon as the request's context is done, with its error.
//
// FaultReset answers no response but [ErrConnectionReset], and FaultTruncate
// a body whose reading fails with io.ErrUnexpectedEOF half-way, as a dropped
// connection shows to a client; served over HTTP (sandboxhttp), they drop
// the connection. No other fault fails without an answer.
//
// The transport is safe for concurrent use.
func WithFaults(next transport.Transport, c FaultConfig) transport.Transport {
	if !c.Enabled() {
		return next
	}
	return &faultTransport{
		next:       next,
		perRequest: c.PerRequest,
		rates:      append([]FaultRate(nil), c.Rates...),
		rng:        rand.New(rand.NewPCG(c.Seed, 0)),
	}
}

// faultTransport is the transport WithFaults returns.
type faultTransport struct {
	next       transport.Transport
	perRequest bool
	rates      []FaultRate

	mu  sync.Mutex // guards rng
	rng *rand.Rand
}

func (f *faultTransport) Get(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	faults := f.draw()
	if f.perRequest {
		if spec, ok := req.Header.Lookup(FaultHeader); ok {
			named, err := ParseFaults(spec)
			if err != nil {
				return textAnswer(400, fmt.Sprintf("bad %s header: %v", FaultHeader, err)), nil
			}
			faults = named
		}
	}
	return getWithFaults(ctx, req, f.next, faults)
}

// draw draws every rate once, in order, and returns the faults that fire.
func (f *faultTransport) draw() []Fault {
	if len(f.rates) == 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var faults []Fault
	for _, fr := range f.rates {
		if f.rng.Float64() < fr.Rate {
			faults = append(faults, fr.Fault)
		}
	}
	return faults
}

// getWithFaults answers req with faults: the latencies first, then the first
// other fault, or next's answer if there is none.
func getWithFaults(ctx context.Context, req *transport.Request, next transport.Transport, faults []Fault) (*transport.Response, error) {
	var decisive *Fault
	for i, f := range faults {
		switch {
		case f.Kind == FaultLatency:
			if err := sleep(ctx, f.Delay); err != nil {
				return nil, err
			}
		case decisive == nil:
			decisive = &faults[i]
		}
	}
	if decisive == nil {
		return next.Get(ctx, req)
	}
	f := *decisive
	switch f.Kind {
	case FaultSlowBody:
		return slowAnswer(ctx, req, next, f.Delay)
	case FaultStatus:
		status := cmp.Or(f.Status, 500)
		return textAnswer(status, injectedText(status, f)), nil
	case FaultRetryAfter:
		status := cmp.Or(f.Status, 503)
		resp := textAnswer(status, injectedText(status, f))
		resp.Header["Retry-After"] = strconv.Itoa(max(f.RetryAfter, 0))
		return resp, nil
	case FaultReset:
		return nil, ErrConnectionReset
	case FaultTruncate:
		return truncatedAnswer(ctx, req, next)
	case FaultHTML:
		return htmlAnswer(cmp.Or(f.Status, 502)), nil
	case FaultContentType:
		return wrongContentType(ctx, req, next)
	case FaultOversize:
		return oversizeAnswer(cmp.Or(f.Size, defaultOversize)), nil
	}
	return textAnswer(500, fmt.Sprintf("sandbox: no such fault %q", f.Kind)), nil
}

// injectedText is the body of an injected error status.
func injectedText(status int, f Fault) string {
	return fmt.Sprintf("%d %s (injected by the sandbox: %s)", status, transport.StatusText(status), f)
}

// sleep waits for d, or until ctx is done, and then returns its error.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wholeAnswer gets next's answer and reads its body whole, so that a fault
// can send it in its own way.
func wholeAnswer(ctx context.Context, req *transport.Request, next transport.Transport) (*transport.Response, []byte, error) {
	resp, err := next.Get(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// withBody is resp with body, of its length, in place of its own.
func withBody(resp *transport.Response, body io.Reader, length int) *transport.Response {
	return &transport.Response{StatusCode: resp.StatusCode, Header: resp.Header,
		ContentLength: int64(length), Body: io.NopCloser(body)}
}

// truncatedAnswer is next's answer with the full Content-Length and half its
// body, whose reading then fails as a connection closed too soon does. A
// body too short to cut is dropped whole.
func truncatedAnswer(ctx context.Context, req *transport.Request, next transport.Transport) (*transport.Response, error) {
	resp, body, err := wholeAnswer(ctx, req, next)
	if err != nil {
		return nil, err
	}
	if len(body) < 2 {
		return nil, ErrConnectionReset
	}
	cut := io.MultiReader(bytes.NewReader(body[:len(body)/2]), failingReader{io.ErrUnexpectedEOF})
	return withBody(resp, cut, len(body)), nil
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

// slowChunks is how many parts FaultSlowBody cuts a body into.
const slowChunks = 10

// slowAnswer is next's answer with its body in slowChunks parts and a pause
// of delay between them.
func slowAnswer(ctx context.Context, req *transport.Request, next transport.Transport, delay time.Duration) (*transport.Response, error) {
	resp, body, err := wholeAnswer(ctx, req, next)
	if err != nil {
		return nil, err
	}
	return withBody(resp, &slowBody{ctx: ctx, body: body, delay: delay}, len(body)), nil
}

// slowBody reads as its body in slowChunks parts, pausing for delay before
// each part after the first. A pause ends with ctx, and the read with its
// error.
type slowBody struct {
	ctx   context.Context
	body  []byte
	delay time.Duration
	part  int    // how many parts have begun
	rest  []byte // what is left of the current part
}

func (b *slowBody) Read(p []byte) (int, error) {
	if len(b.rest) == 0 {
		n := len(b.body)
		parts := min(slowChunks, n)
		if b.part == parts {
			return 0, io.EOF
		}
		if b.part > 0 {
			if err := sleep(b.ctx, b.delay); err != nil {
				return 0, err
			}
		}
		b.rest = b.body[b.part*n/parts : (b.part+1)*n/parts]
		b.part++
	}
	k := copy(p, b.rest)
	b.rest = b.rest[k:]
	return k, nil
}

// wrongContentType is next's answer labelled text/plain.
func wrongContentType(ctx context.Context, req *transport.Request, next transport.Transport) (*transport.Response, error) {
	resp, err := next.Get(ctx, req)
	if err != nil {
		return nil, err
	}
	labelled := *resp
	labelled.Header = maps.Clone(resp.Header)
	if labelled.Header == nil {
		labelled.Header = transport.Header{}
	}
	labelled.Header["Content-Type"] = "text/plain; charset=utf-8"
	return &labelled, nil
}

// htmlAnswer is the kind of HTML error page a proxy or load balancer in
// front of Spine sends.
func htmlAnswer(status int) *transport.Response {
	text := strings.TrimSpace(fmt.Sprintf("%d %s", status, transport.StatusText(status)))
	page := fmt.Sprintf("<!DOCTYPE html>\n<html>\n<head><title>%s</title></head>\n"+
		"<body>\n<h1>%s</h1>\n<p>The server could not answer your request. (Injected by the sandbox.)</p>\n</body>\n</html>\n",
		text, text)
	return &transport.Response{StatusCode: status, Header: transport.Header{"Content-Type": "text/html; charset=utf-8"},
		ContentLength: int64(len(page)), Body: io.NopCloser(strings.NewReader(page))}
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
)

// oversizeAnswer is a JSON object of exactly size bytes (at least
// minOversize), made as it is read, never held in memory.
func oversizeAnswer(size int64) *transport.Response {
	size = max(size, minOversize)
	body := io.MultiReader(strings.NewReader(oversizeHead), io.LimitReader(padding{}, size-minOversize), strings.NewReader(oversizeTail))
	return &transport.Response{StatusCode: 200, Header: transport.Header{"Content-Type": "application/json"},
		ContentLength: size, Body: io.NopCloser(body)}
}

// padding reads as x without end.
type padding struct{}

func (padding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

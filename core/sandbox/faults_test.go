package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// faultOKBody is what faultOK answers: small JSON, longer than slowChunks
// bytes.
const faultOKBody = `{"statusCode":"0","reason":"","version":"1","prescriptionList":{}}`

// faultOK is the real answer the faults act on. It is a comparable type, so
// that a test can tell whether WithFaults returned it.
type faultOK struct{}

func (faultOK) Get(context.Context, *transport.Request) (*transport.Response, error) {
	return &transport.Response{StatusCode: 200, Header: transport.Header{"Content-Type": "application/json"},
		ContentLength: int64(len(faultOKBody)), Body: io.NopCloser(strings.NewReader(faultOKBody))}, nil
}

// faultServer is faultOK behind WithFaults(c).
func faultServer(c FaultConfig) transport.Transport {
	return WithFaults(faultOK{}, c)
}

// faultGet sends a GET to srv with spec as its Sandbox-Fault header (none
// when spec is empty). The caller reads the body; it is closed at cleanup.
func faultGet(t *testing.T, srv transport.Transport, spec string) (*transport.Response, error) {
	t.Helper()
	return faultGetContext(t.Context(), t, srv, spec)
}

func faultGetContext(ctx context.Context, t *testing.T, srv transport.Transport, spec string) (*transport.Response, error) {
	t.Helper()
	req := &transport.Request{URL: &url.URL{Scheme: "http", Host: "sandbox.test", Path: "/"}, Header: transport.Header{}}
	if spec != "" {
		req.Header[FaultHeader] = spec
	}
	resp, err := srv.Get(ctx, req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

// faultAnswer sends spec to a per-request fault transport and returns the
// response and its whole body, failing the test on any error.
func faultAnswer(t *testing.T, spec string) (*transport.Response, string) {
	t.Helper()
	resp, err := faultGet(t, faultServer(FaultConfig{PerRequest: true}), spec)
	if err != nil {
		t.Fatalf("GET with %s %q: %v", FaultHeader, spec, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET with %s %q: reading the body: %v", FaultHeader, spec, err)
	}
	return resp, string(body)
}

// timedAnswer sends a GET with spec as its Sandbox-Fault header to a
// per-request fault transport, and returns the answer, its body and the
// time both took. In a synctest bubble, where time passes only when every
// goroutine waits, that is exactly the time the faults waited.
func timedAnswer(ctx context.Context, t *testing.T, spec string) (*transport.Response, string, time.Duration, error) {
	t.Helper()
	start := time.Now()
	resp, err := faultGetContext(ctx, t, faultServer(FaultConfig{PerRequest: true}), spec)
	if err != nil {
		return nil, "", time.Since(start), err
	}
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), time.Since(start), err
}

func wantStatus(t *testing.T, resp *transport.Response, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status = %d, want %d", resp.StatusCode, status)
	}
}

func wantContentType(t *testing.T, resp *transport.Response, prefix string) {
	t.Helper()
	if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, prefix) {
		t.Errorf("Content-Type = %q, want %s", got, prefix)
	}
}

func TestParseFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec string
		want []Fault
	}{
		{"empty", "", nil},
		{"blank", "  ", nil},
		{"latency", "latency:200ms", []Fault{{Kind: FaultLatency, Delay: 200 * time.Millisecond}}},
		{"slow body", "slow-body:1s", []Fault{{Kind: FaultSlowBody, Delay: time.Second}}},
		{"status", "status:503", []Fault{{Kind: FaultStatus, Status: 503}}},
		{"retry after 429", "retry-after:429:30", []Fault{{Kind: FaultRetryAfter, Status: 429, RetryAfter: 30}}},
		{"retry after 503", "retry-after:503:0", []Fault{{Kind: FaultRetryAfter, Status: 503}}},
		{"reset", "reset", []Fault{{Kind: FaultReset}}},
		{"truncate", "truncate", []Fault{{Kind: FaultTruncate}}},
		{"html", "html", []Fault{{Kind: FaultHTML}}},
		{"html with status", "html:504", []Fault{{Kind: FaultHTML, Status: 504}}},
		{"wrong content type", "wrong-content-type", []Fault{{Kind: FaultContentType}}},
		{"oversize", "oversize", []Fault{{Kind: FaultOversize}}},
		{"oversize with size", "oversize:2048", []Fault{{Kind: FaultOversize, Size: 2048}}},
		{"several", "latency:100ms,status:503", []Fault{
			{Kind: FaultLatency, Delay: 100 * time.Millisecond},
			{Kind: FaultStatus, Status: 503},
		}},
		{"spaces", " status:502 , reset ", []Fault{{Kind: FaultStatus, Status: 502}, {Kind: FaultReset}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFaults(tt.spec)
			if err != nil {
				t.Fatalf("ParseFaults(%q): %v", tt.spec, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ParseFaults(%q) = %v, want %v", tt.spec, got, tt.want)
			}
		})
	}
}

func TestParseFaultsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec string
		bad  string // the item the error must name
	}{
		{"latency without duration", "latency", "latency"},
		{"latency not a duration", "latency:fast", "latency:fast"},
		{"negative latency", "latency:-1s", "latency:-1s"},
		{"slow body without unit", "slow-body:20", "slow-body:20"},
		{"status without code", "status", "status"},
		{"status not a code", "status:abc", "status:abc"},
		{"status success", "status:200", "status:200"},
		{"status too high", "status:600", "status:600"},
		{"retry after wrong code", "retry-after:500:10", "retry-after:500:10"},
		{"retry after without seconds", "retry-after:429", "retry-after:429"},
		{"retry after negative", "retry-after:429:-1", "retry-after:429:-1"},
		{"retry after not seconds", "retry-after:503:soon", "retry-after:503:soon"},
		{"reset with argument", "reset:now", "reset:now"},
		{"truncate with argument", "truncate:half", "truncate:half"},
		{"html redirect", "html:302", "html:302"},
		{"oversize too small", "oversize:10", "oversize:10"},
		{"oversize not bytes", "oversize:lots", "oversize:lots"},
		{"unknown", "explode", "explode"},
		{"unknown second", "status:503,bogus", "bogus"},
		{"empty item", "latency:10ms,,status:503", ""},
		{"trailing comma", "reset,", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFaults(tt.spec)
			if err == nil {
				t.Fatalf("ParseFaults(%q) = %v, want an error", tt.spec, got)
			}
			wantNamed(t, err, tt.bad)
		})
	}
}

// wantNamed checks that err quotes the bad item and lists the forms.
func wantNamed(t *testing.T, err error, bad string) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, strconv.Quote(bad)) {
		t.Errorf("error %q does not name the item %q", msg, bad)
	}
	if !strings.Contains(msg, "retry-after:CODE:SECONDS") {
		t.Errorf("error %q does not list the forms", msg)
	}
}

func TestParseFaultRates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec string
		want []FaultRate
	}{
		{"empty", "", nil},
		{"two", "status:503=0.1,latency:50ms=0.5", []FaultRate{
			{Fault{Kind: FaultStatus, Status: 503}, 0.1},
			{Fault{Kind: FaultLatency, Delay: 50 * time.Millisecond}, 0.5},
		}},
		{"bounds", "reset=0, truncate=1", []FaultRate{{Fault{Kind: FaultReset}, 0}, {Fault{Kind: FaultTruncate}, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFaultRates(tt.spec)
			if err != nil {
				t.Fatalf("ParseFaultRates(%q): %v", tt.spec, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ParseFaultRates(%q) = %v, want %v", tt.spec, got, tt.want)
			}
		})
	}
}

func TestParseFaultRatesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec string
		bad  string
	}{
		{"no rate", "status:503", "status:503"},
		{"rate above 1", "status:503=1.5", "status:503=1.5"},
		{"negative rate", "latency:10ms=0.5,status:503=-0.1", "status:503=-0.1"},
		{"NaN", "reset=NaN", "reset=NaN"},
		{"rate not a number", "reset=often", "reset=often"},
		{"bad fault", "status:200=0.5", "status:200=0.5"},
		{"no fault", "=0.5", "=0.5"},
		{"empty item", "reset=0.5,", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFaultRates(tt.spec)
			if err == nil {
				t.Fatalf("ParseFaultRates(%q) = %v, want an error", tt.spec, got)
			}
			wantNamed(t, err, tt.bad)
		})
	}
}

func TestFaultString(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{
		"latency:200ms", "slow-body:1.5s", "status:503", "retry-after:429:30", "reset",
		"truncate", "html", "html:504", "wrong-content-type", "oversize", "oversize:4096",
	} {
		faults, err := ParseFaults(spec)
		if err != nil {
			t.Fatalf("ParseFaults(%q): %v", spec, err)
		}
		if got := faults[0].String(); got != spec {
			t.Errorf("ParseFaults(%q)[0].String() = %q", spec, got)
		}
	}
}

func TestFaultConfigEnabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    FaultConfig
		want bool
	}{
		{"zero", FaultConfig{}, false},
		{"seed only", FaultConfig{Seed: 7}, false},
		{"per request", FaultConfig{PerRequest: true}, true},
		{"rates", FaultConfig{Rates: []FaultRate{{Fault{Kind: FaultReset}, 0}}}, true},
	}
	for _, tt := range tests {
		if got := tt.c.Enabled(); got != tt.want {
			t.Errorf("%s: Enabled() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWithFaultsDisabledReturnsNext(t *testing.T) {
	t.Parallel()
	var next transport.Transport = faultOK{}
	if got := WithFaults(next, FaultConfig{Seed: 1}); got != next {
		t.Errorf("WithFaults with faults not enabled = %T, want next itself", got)
	}
}

func TestFaultNoneServesRealAnswer(t *testing.T) {
	t.Parallel()
	resp, body := faultAnswer(t, "")
	wantStatus(t, resp, 200)
	wantContentType(t, resp, "application/json")
	if body != faultOKBody {
		t.Errorf("body = %q, want %q", body, faultOKBody)
	}
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		resp, body, took, err := timedAnswer(t.Context(), t, "latency:20ms")
		if err != nil {
			t.Fatal(err)
		}
		if took != 20*time.Millisecond {
			t.Errorf("answered after %v, want 20ms", took)
		}
		wantStatus(t, resp, 200)
		if body != faultOKBody {
			t.Errorf("body = %q, want %q", body, faultOKBody)
		}
	})
}

// TestFaultLatencyCancel: a latency ends with the request's context, not
// after the time it names.
func TestFaultLatencyCancel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
		defer cancel()
		resp, _, took, err := timedAnswer(ctx, t, "latency:1m")
		if err == nil {
			t.Fatalf("got HTTP %d, want the deadline to end the request", resp.StatusCode)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want context.DeadlineExceeded", err)
		}
		if took != 30*time.Millisecond {
			t.Errorf("the handler ended %v after the request started, want 30ms, as the request did", took)
		}
	})
}

func TestFaultStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 500, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			resp, body := faultAnswer(t, "status:"+strconv.Itoa(status))
			wantStatus(t, resp, status)
			wantContentType(t, resp, "text/plain")
			if !strings.Contains(body, strconv.Itoa(status)) {
				t.Errorf("body %q does not give the status", body)
			}
		})
	}
}

func TestFaultRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec       string
		status     int
		retryAfter string
	}{
		{"retry-after:429:7", 429, "7"},
		{"retry-after:503:120", 503, "120"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			resp, _ := faultAnswer(t, tt.spec)
			wantStatus(t, resp, tt.status)
			if got := resp.Header.Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
			}
		})
	}
}

func TestFaultReset(t *testing.T) {
	t.Parallel()
	resp, err := faultGet(t, faultServer(FaultConfig{PerRequest: true}), "reset")
	if !errors.Is(err, ErrConnectionReset) {
		t.Fatalf("got %v, %v; want ErrConnectionReset and no response", resp, err)
	}
}

func TestFaultTruncate(t *testing.T) {
	t.Parallel()
	resp, err := faultGet(t, faultServer(FaultConfig{PerRequest: true}), "truncate")
	if err != nil {
		t.Fatalf("want the response's headers, got %v", err)
	}
	wantStatus(t, resp, 200)
	if resp.ContentLength != int64(len(faultOKBody)) {
		t.Errorf("Content-Length = %d, want the full %d", resp.ContentLength, len(faultOKBody))
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("read %d bytes and no error, want a read error", len(body))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error %v, want io.ErrUnexpectedEOF: the half sent arrives, then the end", err)
	}
	if len(body) >= len(faultOKBody) || !strings.HasPrefix(faultOKBody, string(body)) {
		t.Errorf("read %q, want the first part of %q", body, faultOKBody)
	}
}

func TestFaultSlowBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const delay = 20 * time.Millisecond
		resp, body, took, err := timedAnswer(t.Context(), t, "slow-body:"+delay.String())
		if err != nil {
			t.Fatal(err)
		}
		if took != (slowChunks-1)*delay {
			t.Errorf("the body took %v, want %v: a pause between each of %d chunks", took, (slowChunks-1)*delay, slowChunks)
		}
		wantStatus(t, resp, 200)
		wantContentType(t, resp, "application/json")
		if body != faultOKBody {
			t.Errorf("body = %q, want %q", body, faultOKBody)
		}
	})
}

func TestFaultHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec   string
		status int
	}{
		{"html", 502},
		{"html:504", 504},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			resp, body := faultAnswer(t, tt.spec)
			wantStatus(t, resp, tt.status)
			wantContentType(t, resp, "text/html")
			if !strings.HasPrefix(body, "<!DOCTYPE html>") || !strings.Contains(body, strconv.Itoa(tt.status)) {
				t.Errorf("body = %q, want an HTML page giving the status", body)
			}
		})
	}
}

func TestFaultWrongContentType(t *testing.T) {
	t.Parallel()
	resp, body := faultAnswer(t, "wrong-content-type")
	wantStatus(t, resp, 200)
	if got := resp.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/plain", got)
	}
	if body != faultOKBody {
		t.Errorf("body = %q, want the real %q", body, faultOKBody)
	}
}

func TestFaultOversize(t *testing.T) {
	t.Parallel()
	const size = 1<<20 + 7
	resp, body := faultAnswer(t, "oversize:"+strconv.Itoa(size))
	wantStatus(t, resp, 200)
	wantContentType(t, resp, "application/json")
	if len(body) != size {
		t.Fatalf("read %d bytes, want %d", len(body), size)
	}
	if !strings.HasPrefix(body, oversizeHead+"xxxx") || !strings.HasSuffix(body, `x"}`) {
		t.Errorf("body starts %q and ends %q, want the padded tracker object", body[:100], body[len(body)-10:])
	}
	if !json.Valid([]byte(body)) {
		t.Error("body is not valid JSON")
	}
}

func TestFaultOversizeDefault(t *testing.T) {
	t.Parallel()
	resp, err := faultGet(t, faultServer(FaultConfig{PerRequest: true}), "oversize")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, resp, 200)
	head := make([]byte, len(oversizeHead)+4)
	if _, err := io.ReadFull(resp.Body, head); err != nil {
		t.Fatal(err)
	}
	if want := oversizeHead + "xxxx"; string(head) != want {
		t.Errorf("body starts %q, want %q", head, want)
	}
	rest, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if n := int64(len(head)) + rest; n != 11<<20 {
		t.Errorf("read %d bytes, want 11 MiB (%d)", n, 11<<20)
	}
}

func TestFaultCombined(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		spec   string
		status int
		wait   time.Duration
	}{
		{"latency then status", "latency:20ms,status:503", 503, 20 * time.Millisecond},
		{"latency after status", "status:502,latency:20ms", 502, 20 * time.Millisecond},
		{"two latencies", "latency:10ms,latency:15ms", 200, 25 * time.Millisecond},
		{"first decides", "status:504,html,reset", 504, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				resp, _, took, err := timedAnswer(t.Context(), t, tt.spec)
				if err != nil {
					t.Fatal(err)
				}
				if took != tt.wait {
					t.Errorf("answered after %v, want %v", took, tt.wait)
				}
				wantStatus(t, resp, tt.status)
			})
		})
	}
}

func TestFaultDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fault  Fault
		status int
	}{
		{"status", Fault{Kind: FaultStatus}, 500},
		{"retry after", Fault{Kind: FaultRetryAfter}, 503},
		{"html", Fault{Kind: FaultHTML}, 502},
		{"unknown kind", Fault{Kind: "explode"}, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := faultServer(FaultConfig{Rates: []FaultRate{{tt.fault, 1}}})
			resp, err := faultGet(t, srv, "")
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, resp, tt.status)
		})
	}
}

func TestFaultHeaderIgnoredWithoutPerRequest(t *testing.T) {
	t.Parallel()
	srv := faultServer(FaultConfig{Rates: []FaultRate{{Fault{Kind: FaultReset}, 0}}})
	for _, spec := range []string{"status:503", "reset", "not a fault"} {
		resp, err := faultGet(t, srv, spec)
		if err != nil {
			t.Fatalf("%s %q: %v", FaultHeader, spec, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, resp, 200)
		if string(body) != faultOKBody {
			t.Errorf("%s %q: body = %q, want the real answer", FaultHeader, spec, body)
		}
	}
}

func TestFaultBadHeader(t *testing.T) {
	t.Parallel()
	resp, body := faultAnswer(t, "status:503,explode")
	wantStatus(t, resp, 400)
	wantContentType(t, resp, "text/plain")
	for _, want := range []string{FaultHeader, `"explode"`, "latency:DURATION"} {
		if !strings.Contains(body, want) {
			t.Errorf("body %q does not mention %s", body, want)
		}
	}
}

// faultStatuses sends n requests to srv in turn and returns their statuses.
func faultStatuses(t *testing.T, srv transport.Transport, n int) []int {
	t.Helper()
	statuses := make([]int, n)
	for i := range statuses {
		resp, err := faultGet(t, srv, "")
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		statuses[i] = resp.StatusCode
	}
	return statuses
}

func TestFaultRatesDeterministic(t *testing.T) {
	t.Parallel()
	rates := []FaultRate{
		{Fault{Kind: FaultStatus, Status: 503}, 0.3},
		{Fault{Kind: FaultHTML, Status: 502}, 0.2},
	}
	a := faultStatuses(t, faultServer(FaultConfig{Rates: rates, Seed: 42}), 200)
	b := faultStatuses(t, faultServer(FaultConfig{Rates: rates, Seed: 42}), 200)
	if !slices.Equal(a, b) {
		t.Errorf("two handlers with seed 42 answered differently:\n%v\n%v", a, b)
	}
	counts := map[int]int{}
	for _, s := range a {
		counts[s]++
	}
	if counts[200] == 0 || counts[502] == 0 || counts[503] == 0 || len(counts) != 3 {
		t.Errorf("statuses = %v, want a mix of 200, 502 and 503", counts)
	}
	if c := faultStatuses(t, faultServer(FaultConfig{Rates: rates, Seed: 43}), 200); slices.Equal(a, c) {
		t.Error("seeds 42 and 43 answered the same 200 requests in the same way")
	}
}

func TestFaultRatesBounds(t *testing.T) {
	t.Parallel()
	srv := faultServer(FaultConfig{Rates: []FaultRate{
		{Fault{Kind: FaultReset}, 0},
		{Fault{Kind: FaultStatus, Status: 503}, 1},
	}})
	for i, s := range faultStatuses(t, srv, 50) {
		if s != 503 {
			t.Fatalf("request %d: status %d, want 503 every time (rate 1) and never a reset (rate 0)", i, s)
		}
	}
}

func TestFaultRatesConcurrent(t *testing.T) {
	t.Parallel()
	srv := faultServer(FaultConfig{Rates: []FaultRate{{Fault{Kind: FaultStatus, Status: 503}, 0.5}}, Seed: 1})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 5 {
				resp, err := faultGet(t, srv, "")
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				if resp.StatusCode != 200 && resp.StatusCode != 503 {
					t.Errorf("status %d, want 200 or 503", resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
}

func FuzzParseFaults(f *testing.F) {
	for _, spec := range []string{
		"", "latency:200ms,status:503", "slow-body:1s", "retry-after:429:30", "reset,truncate",
		"html", "html:504", "wrong-content-type", "oversize", "oversize:4096", "status:200", "latency:-1s",
	} {
		f.Add(spec)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		faults, err := ParseFaults(spec)
		if err != nil {
			return
		}
		forms := make([]string, len(faults))
		for i, fault := range faults {
			forms[i] = fault.String()
		}
		again, err := ParseFaults(strings.Join(forms, ","))
		if err != nil {
			t.Fatalf("ParseFaults(%q) gave %v, whose forms do not parse: %v", spec, faults, err)
		}
		if !slices.Equal(again, faults) {
			t.Errorf("ParseFaults(%q) = %v, but its forms parse to %v", spec, faults, again)
		}
	})
}

func FuzzParseFaultRates(f *testing.F) {
	for _, spec := range []string{"", "status:503=0.1,latency:50ms=0.5", "reset=0", "truncate=1", "reset=NaN", "=1"} {
		f.Add(spec)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		rates, err := ParseFaultRates(spec)
		if err != nil {
			return
		}
		for _, fr := range rates {
			if !(fr.Rate >= 0 && fr.Rate <= 1) {
				t.Errorf("ParseFaultRates(%q) gave the rate %v", spec, fr.Rate)
			}
		}
	})
}

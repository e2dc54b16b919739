package fetch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/wasm/internal/nodeserver"
)

// The fetch tests run under Node (the wasm lane), against a real HTTP
// server that Node runs for them.

const nhsNumber = "9992574356"

// answer is a transport that answers every request with status, header
// and body, and passes the request on to got while it has room.
func answer(status int, header transport.Header, body []byte, got chan<- *transport.Request) transport.Transport {
	return transport.Func(func(_ context.Context, req *transport.Request) (*transport.Response, error) {
		select {
		case got <- req:
		default:
		}
		return &transport.Response{StatusCode: status, Header: header, ContentLength: int64(len(body)),
			Body: io.NopCloser(bytes.NewReader(body))}, nil
	})
}

// get fetches path of base with the headers the client sends.
func get(ctx context.Context, base *url.URL, path string) (*transport.Response, error) {
	u := base.JoinPath(path)
	u.RawQuery = "nhsNumber=" + nhsNumber
	return New().Get(ctx, &transport.Request{URL: u, Header: transport.Header{
		"Accept": "application/json", "Spine-From-Asid": "000000000000", "Eps-Traceid": "ept-1"}})
}

// everyByte is a body of every byte, to show that the body is read as
// bytes, never as text.
func everyByte() []byte {
	b := make([]byte, 256*300)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func TestGet(t *testing.T) {
	got := make(chan *transport.Request, 1)
	body := everyByte()
	base := nodeserver.Start(t, answer(200, transport.Header{"Content-Type": "application/json", "Eps-Traceid": "ept-1"}, body, got))

	resp, err := get(context.Background(), base, "/mm/prescriptions")
	if err != nil {
		t.Fatal(err)
	}
	read, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(read, body) {
		t.Errorf("the body changed on its way: %d bytes, want %d", len(read), len(body))
	}
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(body)) {
		t.Errorf("status %d, length %d; want 200, %d", resp.StatusCode, resp.ContentLength, len(body))
	}
	for name, want := range map[string]string{"Content-Type": "application/json", "Eps-Traceid": "ept-1"} {
		if resp.Header[name] != want {
			t.Errorf("answer's %s = %q, want %q (under its canonical name)", name, resp.Header[name], want)
		}
	}

	req := <-got
	if q := req.URL.Query().Get("nhsNumber"); req.URL.Path != "/mm/prescriptions" || q != nhsNumber {
		t.Errorf("the server was asked for %s ?nhsNumber=%s", req.URL.Path, q)
	}
	for name, want := range map[string]string{"Accept": "application/json", "Spine-From-Asid": "000000000000", "Eps-Traceid": "ept-1"} {
		if v := req.Header.Get(name); v != want {
			t.Errorf("request's %s = %q, want %q", name, v, want)
		}
	}
	for _, name := range []string{"Cookie", "Referer", "Authorization"} {
		if v, ok := req.Header.Lookup(name); ok {
			t.Errorf("the request carried %s: %q", name, v)
		}
	}
}

// TestGetToken: a request made under the caller's token carries it to the
// server as "Authorization: Bearer".
func TestGetToken(t *testing.T) {
	got := make(chan *transport.Request, 1)
	base := nodeserver.Start(t, answer(200, transport.Header{"Content-Type": "application/json"}, []byte("{}"), got))
	resp, err := get(WithToken(context.Background(), "header.claims.signature"), base, "/mm/prescriptions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if v := (<-got).Header.Get("Authorization"); v != "Bearer header.claims.signature" {
		t.Errorf("Authorization: %q", v)
	}
}

// TestGetHTTPError: an HTTP error is an answer, not a failure.
func TestGetHTTPError(t *testing.T) {
	base := nodeserver.Start(t, transport.Func(func(context.Context, *transport.Request) (*transport.Response, error) {
		return &transport.Response{StatusCode: 503, Header: transport.Header{"Retry-After": "2"},
			ContentLength: 0, Body: io.NopCloser(strings.NewReader(""))}, nil
	}))
	resp, err := get(context.Background(), base, "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff("2", resp.Header.Get("Retry-After")); diff != "" || resp.StatusCode != 503 {
		t.Errorf("status %d, Retry-After (-want +got): %s", resp.StatusCode, diff)
	}
}

// TestGetNoRedirect: a redirect is an answer, never followed (under Node
// the answer itself; a browser shows nothing of it, and Get fails with
// ErrRedirect).
func TestGetNoRedirect(t *testing.T) {
	got := make(chan *transport.Request, 2)
	base := nodeserver.Start(t, answer(302, transport.Header{"Location": "/elsewhere"}, nil, got))
	resp, err := get(context.Background(), base, "/mm/prescriptions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 302 {
		t.Errorf("status %d, want the redirect itself, 302", resp.StatusCode)
	}
	if first := <-got; first.URL.Path != "/mm/prescriptions" {
		t.Errorf("first request for %s", first.URL.Path)
	}
	select {
	case req := <-got:
		t.Errorf("the redirect was followed, to %s", req.URL.Path)
	default:
	}
}

// stalled is a server that sends the headers of its answer and first of
// its body, then nothing more until the test ends; asked tells when a
// request arrived.
func stalled(t *testing.T, headersOnly bool) (base *url.URL, asked <-chan struct{}) {
	arrived := make(chan struct{}, 1)
	base = nodeserver.Start(t, transport.Func(func(ctx context.Context, _ *transport.Request) (*transport.Response, error) {
		arrived <- struct{}{}
		if headersOnly {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return &transport.Response{StatusCode: 200, Header: transport.Header{"Content-Type": "application/json"}, ContentLength: -1,
			Body: io.NopCloser(io.MultiReader(strings.NewReader(`{"statusCode": "0",`), blocked{ctx}))}, nil
	}))
	return base, arrived
}

// blocked is a body that reads nothing until ctx ends.
type blocked struct{ ctx context.Context }

func (b blocked) Read([]byte) (int, error) {
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

// TestGetAborted: when the context ends before the answer, the fetch is
// aborted, and the error is the context's, without the URL.
func TestGetAborted(t *testing.T) {
	base, asked := stalled(t, true)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-asked
		cancel()
	}()
	_, err := get(ctx, base, "/mm/prescriptions")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestGetBodyAborted: when the context ends while the body comes, its
// reading stops with the context's error.
func TestGetBodyAborted(t *testing.T) {
	base, _ := stalled(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	resp, err := get(ctx, base, "/mm/prescriptions")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 64)
	n, err := resp.Body.Read(first)
	if err != nil || string(first[:n]) != `{"statusCode": "0",` {
		t.Fatalf("first read %q, %v", first[:n], err)
	}
	cancel()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.Canceled) {
		t.Errorf("reading on: %v, want context.Canceled", err)
	}
}

// TestGetClosedEarly: closing a body not read to its end stops it.
func TestGetClosedEarly(t *testing.T) {
	base, _ := stalled(t, false)
	resp, err := get(context.Background(), base, "/mm/prescriptions")
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := resp.Body.Read(make([]byte, 8)); n != 0 || err == nil {
		t.Errorf("a read after Close gave %d bytes, %v", n, err)
	}
}

// TestGetNoServer: nothing listening is ErrNoAnswer, which a retry may
// mend, and which holds neither the URL nor the patient's NHS number.
func TestGetNoServer(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1")
	_, err := get(context.Background(), u, "/mm/prescriptions")
	if !errors.Is(err, ErrNoAnswer) || transport.IsPermanent(err) {
		t.Fatalf("error %v, want ErrNoAnswer, not permanent", err)
	}
	if msg := err.Error(); strings.Contains(msg, nhsNumber) || strings.Contains(msg, "127.0.0.1") {
		t.Errorf("the error holds the URL: %s", msg)
	}
}

// TestGetBadURL: the browser's message for a URL it refuses names the URL;
// the error does not.
func TestGetBadURL(t *testing.T) {
	u := &url.URL{Scheme: "http", Host: "gate way.example", Path: "/mm/prescriptions"}
	_, err := get(context.Background(), u, "")
	if !errors.Is(err, ErrNoAnswer) || strings.Contains(err.Error(), nhsNumber) {
		t.Errorf("error %v, want ErrNoAnswer without the URL", err)
	}
}

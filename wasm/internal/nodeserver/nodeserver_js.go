// Package nodeserver serves a transport.Transport over HTTP from Node.js,
// for the wasm lane's tests (they run under Node): a Go test compiled to
// WebAssembly cannot listen, but Node's http module can, on its behalf. It
// is the wasm lane's httptest.
package nodeserver

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"syscall/js"
	"testing"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// Start serves t on a free port of the loopback interface until the test
// ends, and returns its base URL, such as "http://127.0.0.1:41234". Each
// request is answered with t's answer, its body sent as it is read; where
// t gives no answer the connection is dropped. The context t is given ends
// with the test.
func Start(tb testing.TB, t transport.Transport) *url.URL {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		go serve(ctx, t, args[0], args[1])
		return nil
	})
	server := js.Global().Call("require", "node:http").Call("createServer", handler)
	call(server, "listen", 0, "127.0.0.1")
	tb.Cleanup(func() {
		cancel()
		server.Call("closeAllConnections")
		call(server, "close")
		handler.Release()
	})
	return &url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(server.Call("address").Get("port").Int())}
}

// call calls method of v with args and a callback, and waits for the
// callback.
func call(v js.Value, method string, args ...any) {
	done := make(chan struct{})
	callback := js.FuncOf(func(js.Value, []js.Value) any {
		close(done)
		return nil
	})
	defer callback.Release()
	v.Call(method, append(args, callback)...)
	<-done
}

// serve answers one request, req and res being Node's.
func serve(ctx context.Context, t transport.Transport, req, res js.Value) {
	u, err := url.Parse("http://" + req.Get("headers").Get("host").String() + req.Get("url").String())
	if err != nil {
		res.Call("destroy")
		return
	}
	h := transport.Header{}
	raw := req.Get("rawHeaders") // name, value, name, value, …
	for i := 0; i+1 < raw.Length(); i += 2 {
		name, value := raw.Index(i).String(), raw.Index(i+1).String()
		if v, ok := h[name]; ok {
			value = v + ", " + value
		}
		h[name] = value
	}
	resp, err := t.Get(ctx, &transport.Request{URL: u, Header: h})
	if err != nil {
		res.Call("destroy")
		return
	}
	defer resp.Body.Close()
	headers := map[string]any{}
	for k, v := range resp.Header {
		headers[k] = v
	}
	if resp.ContentLength >= 0 {
		headers["Content-Length"] = strconv.FormatInt(resp.ContentLength, 10)
	}
	res.Call("writeHead", resp.StatusCode, headers)
	res.Call("flushHeaders")
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			chunk := js.Global().Get("Uint8Array").New(n)
			js.CopyBytesToJS(chunk, buf[:n])
			res.Call("write", chunk)
		}
		switch {
		case err == io.EOF:
			res.Call("end")
			return
		case err != nil:
			res.Call("destroy")
			return
		}
	}
}

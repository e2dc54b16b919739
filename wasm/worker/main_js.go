package main

import (
	"context"
	"net/http"
	"runtime/debug"
	"syscall/js"
)

// The Go heap may grow to five times what it holds before it is collected
// (the default is twice), up to a soft limit well inside the isolate's
// 128 MB, which the JavaScript heap shares: fewer collections take a
// request's p90 in workerd from about 7 ms to about 3.5 ms.
const (
	gcPercent   = 400
	memoryLimit = 64 << 20
)

func main() {
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
	h := handler()
	js.Global().Get("epsTrackerGatewayReady").Invoke(serveFunc(h))
	select {} // serve answers for as long as the isolate lives
}

// serveFunc is h as the serve function worker.mjs calls for each request:
// serve(method, url, headers, done). The request is read at once, and
// answered from a goroutine of its own through done(status, headers, body).
// It lives as long as the program: it is never released.
func serveFunc(h http.HandlerFunc) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		method, url, done := args[0].String(), args[1].String(), args[3]
		fields := pairs(args[2])
		go func() {
			a := serve(context.Background(), h, method, url, fields)
			done.Invoke(a.Status(), headerPairs(a.header), bodyBytes(a))
		}()
		return nil
	})
}

// pairs reads an array of [name, value] pairs.
func pairs(v js.Value) [][2]string {
	n := v.Length()
	out := make([][2]string, n)
	for i := range n {
		p := v.Index(i)
		out[i] = [2]string{p.Index(0).String(), p.Index(1).String()}
	}
	return out
}

// headerPairs is h as an array of [name, value] pairs, a field with more
// than one value once for each.
func headerPairs(h http.Header) js.Value {
	out := make([]any, 0, len(h))
	for name, values := range h {
		for _, value := range values {
			out = append(out, []any{name, value})
		}
	}
	return js.ValueOf(out)
}

// bodyBytes is a's body as a Uint8Array, or null when it has none (as a
// 204 must not).
func bodyBytes(a *answer) js.Value {
	if a.body.Len() == 0 {
		return js.Null()
	}
	b := js.Global().Get("Uint8Array").New(a.body.Len())
	js.CopyBytesToJS(b, a.body.Bytes())
	return b
}

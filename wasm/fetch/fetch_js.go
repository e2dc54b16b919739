package fetch

import (
	"context"
	"io"
	"syscall/js"

	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/wasm/internal/promise"
)

// Transport sends the tracker's GETs with the browser's fetch. It is safe
// for concurrent use.
type Transport struct{}

// New returns the fetch Transport.
func New() *Transport { return &Transport{} }

// Get fetches req. The answer's body is read as it is needed, and must be
// closed; ctx bounds its reading too.
func (*Transport) Get(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if js.Global().Get("fetch").Type() != js.TypeFunction {
		return nil, ErrNoFetch
	}
	controller := js.Global().Get("AbortController").New()
	init := js.ValueOf(options(req, tokenOf(ctx)))
	init.Set("signal", controller.Get("signal"))
	stop := context.AfterFunc(ctx, func() { controller.Call("abort") })

	resp, ok := promise.Await(js.Global().Call("fetch", req.URL.String(), init))
	if !ok {
		stop()
		return nil, failure(ctx, false)
	}
	if resp.Get("type").String() == "opaqueredirect" {
		stop()
		return nil, transport.Permanent(ErrRedirect)
	}
	header := transport.Header{}
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		header[canonical(args[1].String())] = args[0].String()
		return nil
	})
	resp.Get("headers").Call("forEach", each)
	each.Release()
	b := &body{ctx: ctx, stop: stop}
	if stream := resp.Get("body"); stream.Truthy() {
		b.reader = stream.Call("getReader")
	}
	return &transport.Response{StatusCode: resp.Get("status").Int(), Header: header,
		ContentLength: ContentLength(header), Body: b}, nil
}

// body reads an answer's body from its stream, a chunk at a time.
type body struct {
	ctx    context.Context
	stop   func() bool // stops aborting the fetch when ctx ends
	reader js.Value    // the stream's reader; undefined for no body
	chunk  []byte      // what is left of the last chunk read
	err    error       // the end of the stream, or why it failed
}

func (b *body) Read(p []byte) (int, error) {
	for len(b.chunk) == 0 && b.err == nil {
		b.next()
	}
	if len(b.chunk) == 0 {
		return 0, b.err
	}
	n := copy(p, b.chunk)
	b.chunk = b.chunk[n:]
	return n, nil
}

// next reads the next chunk of the stream, or its end.
func (b *body) next() {
	if b.reader.IsUndefined() {
		b.err = io.EOF
		return
	}
	result, ok := promise.Await(b.reader.Call("read"))
	switch {
	case !ok:
		b.err = failure(b.ctx, true)
	case result.Get("done").Bool():
		b.err = io.EOF
	default:
		value := result.Get("value")
		b.chunk = make([]byte, value.Get("length").Int())
		js.CopyBytesToGo(b.chunk, value)
	}
}

// Close stops the body, if it was not read to its end.
func (b *body) Close() error {
	if b.err == nil && !b.reader.IsUndefined() {
		b.reader.Call("cancel") // a promise, whose end no one needs
	}
	if b.err == nil {
		b.err = io.ErrClosedPipe
	}
	b.stop()
	return nil
}

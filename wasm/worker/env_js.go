package main

import (
	"net/http"
	"syscall/js"

	"github.com/syumai/workers/cloudflare"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// handler is the gateway the Worker's settings configure (the identity
// provider reached with the Worker's own fetch, js.Undefined's), or, when a
// setting is missing or wrong, a handler that answers every request with a
// 500 naming it.
//
// It is a function, never held by an http.Handler: the validator calls
// methods by name, so the build keeps every method of the types an
// interface's methods reach, and http.Handler's reach an http.Request's
// certificates (1.6 MB more of WebAssembly, 0.4 MB of gzip).
func handler() http.HandlerFunc {
	var spine transport.Transport
	if b := cloudflare.GetBinding(bindingSpine); b.Type() == js.TypeObject && b.Get("fetch").Type() == js.TypeFunction {
		spine = newUpstream(b)
	}
	cfg, err := configure(lookupEnv, spine, newUpstream(js.Undefined()), consoleSink{})
	if err != nil {
		return misconfigured(err)
	}
	h, err := newGateway(cfg)
	if err != nil {
		return misconfigured(err)
	}
	return h.ServeHTTP
}

// lookupEnv reads one of the Worker's vars or secrets. A var wrangler.toml
// gives as JSON (a JWKS document, say) is read as its JSON text.
func lookupEnv(name string) (string, bool) {
	v := cloudflare.GetBinding(name)
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return "", false
	case js.TypeString:
		return v.String(), true
	}
	return js.Global().Get("JSON").Call("stringify", v).String(), true
}

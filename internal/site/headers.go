package site

import "net/http"

// Policy is the Content Security Policy of every answer: the one a
// clinical portal that embeds the widget sets. Scripts come only from this
// origin, and may compile WebAssembly (the core) but never evaluate text;
// styles only from this origin (the widget's own live in its shadow root,
// as constructed style sheets); nothing inline. The page may connect only
// to its origin (the core's WebAssembly, the tracker, the demo's tokens);
// a portal whose widget names a gateway elsewhere adds the gateway's
// origin. No plugins, frames, fonts or media; no <base>; no form is ever
// submitted (a search never puts an NHS number in a URL); and no other
// site may frame these pages.
const Policy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// secure sets the security headers of every answer, then lets next
// answer.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", Policy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		next.ServeHTTP(w, r)
	})
}

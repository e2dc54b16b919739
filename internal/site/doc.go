// Package site is what eps-tracker serve offers a browser, as one
// http.Handler ([New]):
//
//   - / the full-page app, and /eps-tracker.js the <eps-tracker> widget for
//     a portal to embed, with everything they load under /assets/;
//   - /demo a demo clinical portal that embeds the widget with a synthetic
//     patient in context; with a sign-in ([Config.DemoSignIn]) it gets a
//     token for the widget from /demo/token, and its widget asks the
//     server's tracker;
//   - /mm/prescriptions the tracker, Spine-shaped: eps-tracker serve's
//     gateway, in front of the sandbox or Spine.
//
// # Files
//
// The frontend's build is served from memory (it is embedded in the
// program): each file with the content type a browser needs (the core's
// WebAssembly as application/wasm), in the form its Accept-Encoding takes
// (brotli, gzip or none, compressed when the program was built, never
// while serving), with an ETag. Files under /assets/ have content-hashed
// names and are cached for a year, immutable; the pages and the widget's
// entry script, whose names never change, are revalidated on every use
// (no-cache).
//
// # Headers
//
// Every answer carries a strict Content Security Policy ([Policy]) and
// the usual protections: no MIME sniffing, no Referer, no framing, a
// browsing context of its own, and no camera, microphone or location.
// The tracker's answers and the demo's tokens are never stored.
package site

// Command widget is the core of the <eps-tracker> widget: core/service
// compiled to WebAssembly (GOOS=js GOARCH=wasm), for the frontend's wasm
// backend to load.
//
// It registers globalThis.epsTrackerCore, one function per method of the
// service (check, search, retrieve, patients, settings, configure), then
// calls globalThis.epsTrackerCoreReady, if the page set one, and keeps
// running. Each function takes the JSON text of the method's argument and
// returns a Promise that resolves with the JSON text of its result, or
// rejects with the JSON text of the service's error (service.Error),
// never a bare message. Each call runs in its own goroutine.
//
// The training sandbox answers, in-process, until configure names a
// gateway, which is then reached with the browser's fetch (wasm/fetch). A
// lookup's second argument, when the page gives one, is the caller's token
// from the portal's sign-in: each request to the gateway carries it as
// "Authorization: Bearer" (a token no header can carry is refused with a
// config error on the field "token").
//
// Built for another platform it only says where it runs.
package main

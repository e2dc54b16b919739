// Command worker is the gateway (core/gateway) as a Cloudflare Worker:
// compiled to WebAssembly (GOOS=js GOARCH=wasm) and started by worker.mjs,
// the Worker's entry module, once per isolate, on its first request. Every
// request after that is handed to the running program, which answers it
// with the same handler `eps-tracker serve` runs natively.
//
// The program takes its settings from the Worker's environment (vars and
// secrets, see config.go and wrangler.toml) and reaches Spine through the
// Worker's mTLS certificate binding, SPINE. When a setting is missing or
// wrong it starts all the same, answers every request with a 500 that names
// the setting, and logs it: it never serves half-configured.
//
// Each request's audit record is one JSON object logged with console.log,
// which Workers Logs keeps with its fields indexed (and Logpush sends on).
//
// The protocol between worker.mjs and the program: worker.mjs sets
// globalThis.context to {env} (how github.com/syumai/workers reaches the
// environment) and globalThis.epsTrackerGatewayReady to a function, then
// runs the program, which calls that function with its serve function:
//
//	serve(method, url, headers, done)
//
// where headers are the request's [name, value] pairs. serve answers through
// done(status, headers, body): the status, the answer's [name, value] pairs
// and its body as a Uint8Array (null when it has none). The request's body is
// never read: the gateway answers GET and OPTIONS only.
//
// Built for another platform it only says where it runs.
package main

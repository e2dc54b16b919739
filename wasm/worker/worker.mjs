// The EPS Tracker gateway as a Cloudflare Worker: the entry module.
//
// The gateway is a Go program (gateway.wasm, see doc.go). It is started once
// per isolate, on the isolate's first request (the Go runtime draws random
// numbers as it starts, which a Worker may do only while handling an event),
// and every request is then handed to the running program: starting a Go
// program costs milliseconds, handing it a request does not.
//
// A promise belongs to the request that made it: once that request has
// ended, it can never settle. So nothing here outlives a request but the
// program itself: each request waits on a promise of its own, which the
// program settles, and makes its Response itself.
import "./wasm_exec.js";
import gatewayWasm from "./gateway.wasm";

// program is the running program: its Go instance, its serve function, and
// the rejecters of the requests it has not answered yet.
let program;

// start runs the program with the Worker's environment. The program reads
// its settings and hands over its serve function before it first waits, so
// it is ready when go.run returns.
function start(env) {
  // github.com/syumai/workers reads the environment from globalThis.context.
  globalThis.context = { env };
  const started = { go: new Go(), serve: undefined, pending: new Set() };
  globalThis.epsTrackerGatewayReady = (serve) => (started.serve = serve);
  // Should the program ever stop, the requests it has not answered fail,
  // and the next request starts it again.
  started.go.exit = (code) => {
    for (const fail of started.pending) fail(new Error(`the gateway's program stopped (exit code ${code})`));
  };
  started.go.run(new WebAssembly.Instance(gatewayWasm, started.go.importObject));
  if (started.serve === undefined) throw new Error("the gateway's program did not start");
  return started;
}

export default {
  async fetch(request, env) {
    if (program === undefined || program.go.exited) program = start(env);
    const { serve, pending } = program;
    const answer = await new Promise((resolve, reject) => {
      pending.add(reject);
      serve(request.method, request.url, [...request.headers], (status, headers, body) => {
        pending.delete(reject);
        resolve({ status, headers, body });
      });
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  },
};

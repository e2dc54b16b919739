// Loads the baseline (wasm/baseline) as the widget loads its core
// (src/backend/wasm.ts): Go's support script by a dynamic import, then the
// WebAssembly streamed, compiled and run, then one check; it keeps when the
// check was answered, since navigation started, in window.answered.
await import('/wasm_exec.js');
const go = new globalThis.Go();
const registered = new Promise((resolve) => (globalThis.epsTrackerBaselineReady = resolve));
const { instance } = await WebAssembly.instantiateStreaming(fetch('/baseline.wasm'), go.importObject);
void go.run(instance);
await registered;
const typed = JSON.stringify('999 257 4356');
const answer = await globalThis.epsTrackerBaseline.check(typed);
window.answered = { at: performance.now(), ok: answer === typed };

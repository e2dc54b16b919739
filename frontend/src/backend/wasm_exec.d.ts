// Go's wasm_exec.js, from the Go installation that builds the core (an alias
// in vite.config.ts): run for its effect, it defines globalThis.Go.
declare module '@go/wasm_exec' {}

import type { Backend } from './backend.js';
import { WasmBackend } from './wasm.js';

let chosen: Backend | undefined;

/**
 * backend is the one Backend of this page, chosen on first use: the Go
 * core in WebAssembly. (The desktop app's Wails bindings will be chosen
 * here too, by the same interface.)
 */
export function backend(): Backend {
  chosen ??= new WasmBackend();
  return chosen;
}

// The Backend over the Go core compiled to WebAssembly: the service's
// exports on globalThis.epsTrackerCore, each taking and giving JSON text
// (see the wasm ABI the Go main implements).

import type { Backend } from './backend.js';
import type {
  CheckResult,
  PatientsView,
  PrescriptionView,
  RetrieveQuery,
  SearchQuery,
  SearchView,
  ServiceError,
  Settings,
  SettingsView,
} from './types.js';

/** Core is what the Go main registers: one function per service method. */
interface Core {
  check(inputJSON: string): Promise<string>;
  search(queryJSON: string, token?: string): Promise<string>;
  retrieve(queryJSON: string, token?: string): Promise<string>;
  patients(): Promise<string>;
  settings(): Promise<string>;
  configure(settingsJSON: string): Promise<string>;
}

/** GoRuntime is the part of wasm_exec.js's Go class the loader uses. */
interface GoRuntime {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
}

declare global {
  var Go: { new (): GoRuntime } | undefined;
  var epsTrackerCore: Core | undefined;
  var epsTrackerCoreReady: (() => void) | undefined;
}

/** coreURL is the core's WebAssembly, built beside the frontend and hashed into assets/. */
const coreURL = new URL('../../build/eps-tracker.wasm', import.meta.url);

let loading: Promise<Core> | undefined;

/**
 * loadCore starts the Go core once per page, however many widgets the page
 * has, and resolves when the core has registered its exports.
 */
function loadCore(url: URL): Promise<Core> {
  loading ??= (async () => {
    // The core compiles as it downloads, while Go's support script loads:
    // compiling needs nothing from it.
    const compiled = WebAssembly.compileStreaming(fetch(url));
    compiled.catch(() => undefined); // seen below, unless the support script failed first
    await import('@go/wasm_exec');
    if (!globalThis.Go) throw new Error('the Go runtime did not load');
    const go = new globalThis.Go();
    const registered = new Promise<void>((resolve) => {
      globalThis.epsTrackerCoreReady = resolve;
    });
    const instance = await WebAssembly.instantiate(await compiled, go.importObject);
    const exited = go.run(instance).then(() => {
      throw new Error('the core stopped before it was ready');
    });
    await Promise.race([registered, exited]);
    if (!globalThis.epsTrackerCore) throw new Error('the core registered no exports');
    return globalThis.epsTrackerCore;
  })();
  return loading;
}

/**
 * startFailure is the service's error shape for a core that could not
 * start, so that components show it like any other failure.
 */
function startFailure(cause: unknown): ServiceError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return {
    kind: 'transport',
    field: '',
    fields: [],
    spineCode: 0,
    httpStatus: 0,
    message: `EPS Tracker could not start in this browser (${why}). Reload the page to try again.`,
    reason: 'not started',
    traceId: '',
    retryable: false,
  };
}

/**
 * WasmBackend is the Backend the widget and the full-page app use. It
 * renders nothing and needs nothing before the core has loaded: each call
 * waits for it, so that what a person types before then is checked once
 * it has.
 */
export class WasmBackend implements Backend {
  /** ready resolves when the core has loaded, or rejects with a ServiceError. */
  readonly ready: Promise<void>;
  readonly #core: Promise<Core>;

  constructor(url: URL = coreURL) {
    this.#core = loadCore(url).catch((cause: unknown) => Promise.reject(startFailure(cause)));
    this.ready = this.#core.then(() => undefined);
    // A page that never awaits ready still sees the failure in every call.
    this.ready.catch(() => undefined);
  }

  async #call<T>(method: (core: Core) => Promise<string>): Promise<T> {
    const core = await this.#core;
    let text: string;
    try {
      text = await method(core);
    } catch (rejection) {
      throw typeof rejection === 'string' ? JSON.parse(rejection) : rejection;
    }
    return JSON.parse(text) as T;
  }

  check(input: string): Promise<CheckResult> {
    return this.#call((core) => core.check(JSON.stringify(input)));
  }

  search(query: SearchQuery, token?: string): Promise<SearchView> {
    return this.#call((core) => core.search(JSON.stringify(query), token));
  }

  retrieve(query: RetrieveQuery, token?: string): Promise<PrescriptionView> {
    return this.#call((core) => core.retrieve(JSON.stringify(query), token));
  }

  patients(): Promise<PatientsView> {
    return this.#call((core) => core.patients());
  }

  settings(): Promise<SettingsView> {
    return this.#call((core) => core.settings());
  }

  configure(settings: Settings): Promise<SettingsView> {
    return this.#call((core) => core.configure(JSON.stringify(settings)));
  }
}

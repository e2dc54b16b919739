// The one interface through which the frontend reaches the Go core. It has
// two implementations, chosen once at start-up: the WebAssembly exports (the
// widget and the full-page app) and the Wails bindings (the desktop app).
// Components are given a Backend and never know which one it is.
//
// Every method is the core/service method of the same name; the types are
// generated from the Go types (types.ts). A promise resolves with the view,
// or rejects with a ServiceError: the JSON of the service's one error shape,
// as a plain object (test for it with isServiceError).

import type {
  CheckResult,
  ErrorKind,
  PatientsView,
  PrescriptionView,
  RetrieveQuery,
  SearchQuery,
  SearchView,
  ServiceError,
  Settings,
  SettingsView,
} from './types.js';

export type { ServiceError } from './types.js';

export interface Backend {
  /**
   * Says what was typed in the search box (an NHS number, a prescription
   * id, or neither) and whether it can be looked up. Offline and fast: call
   * it on every keystroke. It never rejects.
   */
  check(input: string): Promise<CheckResult>;
  /**
   * A patient's prescriptions, one row per issue, grouped and explained.
   * token is the caller's token from the portal's sign-in, which a gateway
   * is sent as "Authorization: Bearer"; left out, none is sent.
   */
  search(query: SearchQuery, token?: string): Promise<SearchView>;
  /**
   * One prescription, with the issue asked for (the current one when
   * query.issueNumber is left out), its issue picker and, for repeat
   * dispensing, its course. An issue that does not exist is a view whose
   * issue.found is false, not a rejection. token is as search's.
   */
  retrieve(query: RetrieveQuery, token?: string): Promise<PrescriptionView>;
  /**
   * The training sandbox's synthetic patients. Rejects with a config
   * error when the sandbox is not the tracker that answers.
   */
  patients(): Promise<PatientsView>;
  /** The settings in force, and who answers (source.training: show the banner). */
  settings(): Promise<SettingsView>;
  /**
   * Chooses the tracker that answers: a gateway by its base URL, or the
   * built-in training sandbox with gatewayUrl "". Rejects with a config
   * error on the field "gatewayUrl", and then nothing has changed.
   */
  configure(settings: Settings): Promise<SettingsView>;
}

const errorKinds: readonly ErrorKind[] = ['validation', 'spine', 'transport', 'parse', 'config'];

/** Reports whether a promise's rejection is the service's error shape. */
export function isServiceError(x: unknown): x is ServiceError {
  if (typeof x !== 'object' || x === null) {
    return false;
  }
  const e = x as Partial<ServiceError>;
  return (
    typeof e.kind === 'string' &&
    (errorKinds as readonly string[]).includes(e.kind) &&
    typeof e.message === 'string' &&
    typeof e.retryable === 'boolean'
  );
}

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { Backend } from '../../backend/backend.js';
import { isServiceError } from '../../backend/backend.js';
import { backend } from '../../backend/start.js';
import type {
  CheckResult,
  PrescriptionView,
  RetrieveQuery,
  SearchQuery,
  SearchView,
  ServiceError,
  Source,
} from '../../backend/types.js';
import { csv } from '../../export/csv.js';
import { download } from '../../export/download.js';
import { prescriptionRows, searchRows } from '../../export/views.js';
import { nhsuk } from '../../styles/nhsuk.js';
import { define } from '../define.js';
import '../prescription/prescription.js';
import type { Prescription } from '../prescription/prescription.js';
import type { OpenEvent, Results, SearchEvent } from '../results/results.js';
import '../results/results.js';
import type { SearchBox, SearchInputEvent, SearchSubmitEvent } from '../search-box/search-box.js';
import '../search-box/search-box.js';
import type { ServiceErrorMessage } from '../service-error/service-error.js';
import '../service-error/service-error.js';
import '../training-banner/training-banner.js';

type Screen = 'start' | 'results' | 'prescription';

/** editable reports whether a key pressed there is typing. */
function editable(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * TokenSource gives the caller's token from the portal's sign-in, as the
 * host page holds it: a JSON Web Token, or nothing when no one is signed in.
 */
export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

/**
 * signInFailure is the service's error shape for a token the host page
 * could not give, so that it shows as any other failure.
 */
function signInFailure(cause: unknown): ServiceError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return {
    kind: 'config',
    field: 'token',
    fields: [],
    spineCode: 0,
    httpStatus: 0,
    message: `The portal could not give EPS Tracker your sign-in (${why}). Sign in to the portal again, then try again.`,
    reason: 'no sign-in',
    traceId: '',
    retryable: true,
  };
}

/**
 * absolute is a gateway's URL as the core takes it: resolved against the
 * page, as a link's would be, so that a portal may give its own path.
 */
function absolute(gateway: string): string {
  try {
    return new URL(gateway, document.baseURI).href;
  } catch {
    return gateway; // the core says what is wrong with it
  }
}

/** today is the date for a file name, yyyy-mm-dd. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * EpsTracker is the <eps-tracker> element: the whole interface in one shadow
 * root, for a clinical portal to embed or the full-page app to fill.
 *
 * Attributes: gateway (a gateway's base URL, absolute or relative to the
 * page; absent, the training sandbox answers), nhs-number or
 * prescription-id (launch in context: it searches, or opens the
 * prescription, as soon as the core has loaded).
 *
 * Properties: getToken, a function the element calls before each lookup
 * for the caller's token from the portal's sign-in (it may return a
 * promise), or token, the token itself; the gateway is sent it as
 * "Authorization: Bearer". Set either before the element is added to the
 * page, or before its first lookup.
 *
 * Methods: check(input), search(query) and retrieve(query) return the
 * service's JSON; search and retrieve also show what they found.
 *
 * Events: ready when the core has loaded, eps-tracker-open when a person
 * opens a prescription (detail: prescriptionId, issueNumber).
 *
 * It renders, and takes typing, before the core has loaded, and checks what
 * was typed once it has.
 */
export class EpsTracker extends LitElement {
  static override properties = {
    gateway: { type: String },
    nhsNumber: { type: String, attribute: 'nhs-number' },
    prescriptionId: { type: String, attribute: 'prescription-id' },
    token: { attribute: false },
    getToken: { attribute: false },
    backend: { attribute: false },
    screen: { state: true },
    value: { state: true },
    checked: { state: true },
    busy: { state: true },
    results: { state: true },
    opened: { state: true },
    backTo: { state: true },
    failure: { state: true },
    source: { state: true },
  };

  static override styles = [
    nhsuk,
    css`
      :host {
        display: block;
      }
      .eps-tracker {
        all: initial;
        display: block;
        color: #212b32;
        font-family: arial, sans-serif;
        font-weight: 400;
        line-height: 1.5;
        -webkit-font-smoothing: antialiased;
        -moz-osx-font-smoothing: grayscale;
      }
      .eps-tools {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        margin: 32px 0 0;
        padding-top: 16px;
        border-top: 1px solid #d8dde0;
      }
      .eps-tools .nhsuk-button {
        margin: 0;
      }
      .eps-busy {
        min-height: 1.5em;
      }
      @media print {
        .eps-tools,
        .eps-busy {
          display: none;
        }
      }
    `,
  ];

  /** gateway is a gateway's base URL; absent, the training sandbox answers. */
  declare gateway: string | null;
  /** nhsNumber launches a search for the patient at once. */
  declare nhsNumber: string | null;
  /** prescriptionId launches the prescription at once. */
  declare prescriptionId: string | null;
  /** token is the caller's token for the gateway, when getToken is not set. */
  declare token: string | null;
  /** getToken gives the caller's token for the gateway, asked before each lookup. */
  declare getToken: TokenSource | null;
  /** backend is who answers: the page's own unless a host gave another before connecting it. */
  declare backend: Backend | null;
  declare screen: Screen;
  declare value: string;
  declare checked: CheckResult | null;
  declare busy: boolean;
  declare results: SearchView | null;
  declare opened: PrescriptionView | null;
  declare backTo: Screen;
  declare failure: ServiceError | null;
  declare source: Source | null;

  /** ready resolves when the core has loaded and the launch lookup, if any, has started. */
  readonly ready: Promise<void>;
  #readyResolve!: () => void;
  #checks = 0;
  #last: (() => Promise<unknown>) | null = null;
  #started = false;

  constructor() {
    super();
    this.gateway = null;
    this.nhsNumber = null;
    this.prescriptionId = null;
    this.token = null;
    this.getToken = null;
    this.backend = null;
    this.screen = 'start';
    this.value = '';
    this.checked = null;
    this.busy = false;
    this.results = null;
    this.opened = null;
    this.backTo = 'start';
    this.failure = null;
    this.source = null;
    this.ready = new Promise((resolve) => (this.#readyResolve = resolve));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.#onKey);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('keydown', this.#onKey);
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    void this.#start();
  }

  /** #answerer is the backend, the page's own unless one was given. */
  #answerer(): Backend {
    this.backend ??= backend();
    return this.backend;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.#started && (changed.has('nhsNumber') || changed.has('prescriptionId'))) void this.#launch();
  }

  /** #start connects to the core, says who answers, and launches in context. */
  async #start(): Promise<void> {
    try {
      const settings = this.gateway
        ? await this.#answerer().configure({ gatewayUrl: absolute(this.gateway) })
        : await this.#answerer().settings();
      this.source = settings.source;
    } catch (e) {
      this.#fail(e);
      return;
    }
    this.#started = true;
    this.dispatchEvent(new Event('ready', { bubbles: true, composed: true }));
    this.#readyResolve();
    await this.#launch();
  }

  /**
   * #launch looks up the patient or the prescription the host gave, and
   * shows it in the search box as people read it ("999 257 4356").
   */
  async #launch(): Promise<void> {
    const given = this.nhsNumber || this.prescriptionId;
    if (!given) return;
    this.value = given;
    const turn = ++this.#checks;
    const result = await this.#answerer().check(given).catch(() => null);
    if (turn === this.#checks && result) {
      this.checked = result;
      if (result.valid) this.value = result.display;
    }
    const lookup = this.nhsNumber
      ? this.search({ nhsNumber: this.nhsNumber })
      : this.retrieve({ prescriptionId: given });
    await lookup.catch(() => undefined);
  }

  /** check says what input is, as the service's check does. */
  check(input: string): Promise<CheckResult> {
    return this.#answerer().check(input);
  }

  /** search looks a patient's prescriptions up, shows them, and returns the service's view. */
  search(query: SearchQuery): Promise<SearchView> {
    return this.#lookup(
      async () => this.#answerer().search(query, await this.#token()),
      (view) => {
        this.results = view;
        this.#show('results', 'start');
      },
      () => this.search(query),
    );
  }

  /** retrieve opens one prescription, shows it, and returns the service's view. */
  retrieve(query: RetrieveQuery): Promise<PrescriptionView> {
    const from = this.screen === 'prescription' ? this.backTo : this.screen;
    return this.#lookup(
      async () => this.#answerer().retrieve(query, await this.#token()),
      (view) => {
        this.opened = view;
        this.#show('prescription', from);
      },
      () => this.retrieve(query),
    );
  }

  /**
   * #token is the caller's token for the gateway, asked of getToken when
   * the host set it, else token; undefined when there is none.
   */
  async #token(): Promise<string | undefined> {
    if (!this.getToken) return this.token || undefined;
    try {
      return (await this.getToken()) || undefined;
    } catch (e) {
      throw signInFailure(e);
    }
  }

  async #lookup<T extends { source: Source }>(
    ask: () => Promise<T>,
    show: (view: T) => void,
    again: () => Promise<unknown>,
  ): Promise<T> {
    this.#last = again;
    this.busy = true;
    try {
      const view = await ask();
      this.failure = null;
      this.source = view.source;
      show(view);
      return view;
    } catch (e) {
      this.#fail(e);
      throw this.failure;
    } finally {
      this.busy = false;
    }
  }

  #fail(e: unknown): void {
    this.failure = isServiceError(e)
      ? e
      : {
          kind: 'transport',
          field: '',
          fields: [],
          spineCode: 0,
          httpStatus: 0,
          message: `Something went wrong in this page (${String(e)}). Reload it to try again.`,
          reason: 'page error',
          traceId: '',
          retryable: false,
        };
    void this.updateComplete.then(() => this.#find<ServiceErrorMessage>('eps-tracker-service-error')?.focus());
  }

  #show(screen: Screen, backTo: Screen): void {
    this.screen = screen;
    this.backTo = backTo;
    void this.updateComplete.then(() => this.#focusScreen());
  }

  #focusScreen(): void {
    if (this.screen === 'results') this.#find<Results>('eps-tracker-results')?.focus();
    else if (this.screen === 'prescription') this.#find<Prescription>('eps-tracker-prescription')?.focus();
    else this.#find<SearchBox>('eps-tracker-search-box')?.focus();
  }

  #find<T extends HTMLElement>(tag: string): T | null {
    return this.renderRoot.querySelector<T>(tag);
  }

  /** back goes one screen back: a prescription to the results it came from, results to the start. */
  back(): void {
    if (this.screen === 'start') return;
    this.failure = null;
    this.#show(this.screen === 'prescription' ? this.backTo : 'start', 'start');
  }

  async #onInput(e: SearchInputEvent): Promise<void> {
    const value = e.detail.value;
    this.value = value;
    const turn = ++this.#checks;
    const result = await this.#answerer().check(value).catch(() => null);
    if (turn === this.#checks) this.checked = result;
  }

  async #onSubmit(e: SearchSubmitEvent): Promise<void> {
    const value = e.detail.value;
    const turn = ++this.#checks;
    let result: CheckResult;
    try {
      result = await this.#answerer().check(value);
    } catch (err) {
      this.#fail(err);
      return;
    }
    if (turn === this.#checks) this.checked = result;
    if (!result.valid) return;
    const lookup =
      result.kind === 'nhsNumber'
        ? this.search({ nhsNumber: result.normalized })
        : this.retrieve({ prescriptionId: result.normalized });
    await lookup.catch(() => undefined);
  }

  async #onOpen(e: OpenEvent): Promise<void> {
    const { prescriptionId, issueNumber } = e.detail;
    try {
      await this.retrieve({ prescriptionId, issueNumber: String(issueNumber) });
    } catch {
      return;
    }
    this.dispatchEvent(
      new CustomEvent('eps-tracker-open', { detail: { prescriptionId, issueNumber }, bubbles: true, composed: true }),
    );
  }

  #onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const path = e.composedPath();
    const inside = path.includes(this);
    const target = path[0];
    if (!inside && target !== document.body && target !== document.documentElement) return;
    if (e.key === '/' && !editable(target)) {
      e.preventDefault();
      this.#find<SearchBox>('eps-tracker-search-box')?.focus();
    } else if (e.key === 'Escape' && this.screen !== 'start') {
      e.preventDefault();
      this.back();
    }
  };

  #export(kind: 'csv' | 'json'): void {
    const view = this.screen === 'results' ? this.results : this.opened;
    if (!view) return;
    const name = `eps-tracker-${this.screen === 'results' ? 'prescriptions' : 'prescription'}-${today()}`;
    if (kind === 'json') {
      download(`${name}.json`, 'application/json', JSON.stringify(view, null, 2));
      return;
    }
    const rows =
      this.screen === 'results' ? searchRows(view as SearchView) : prescriptionRows(view as PrescriptionView);
    download(`${name}.csv`, 'text/csv;charset=utf-8', csv(rows));
  }

  override render() {
    const showing = this.screen !== 'start';
    return html`<div class="eps-tracker">
      <eps-tracker-training-banner .source=${this.source}></eps-tracker-training-banner>
      <eps-tracker-search-box
        .value=${this.value}
        .result=${this.checked}
        .busy=${this.busy}
        @eps-tracker-input=${this.#onInput}
        @eps-tracker-submit=${this.#onSubmit}
      ></eps-tracker-search-box>
      <p class="nhsuk-body-s eps-busy" role="status">${this.busy ? 'Looking it up…' : ''}</p>
      ${this.failure
        ? html`<eps-tracker-service-error
            .error=${this.failure}
            @eps-tracker-retry=${() => void this.#last?.().catch(() => undefined)}
          ></eps-tracker-service-error>`
        : nothing}
      <div aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.screen === 'results'
          ? html`<eps-tracker-results
              .view=${this.results}
              @eps-tracker-open=${this.#onOpen}
              @eps-tracker-search=${(e: SearchEvent) => void this.search(e.detail.query).catch(() => undefined)}
            ></eps-tracker-results>`
          : nothing}
        ${this.screen === 'prescription'
          ? html`<eps-tracker-prescription
              .view=${this.opened}
              back=${this.backTo === 'results' ? 'Back to results' : ''}
              @eps-tracker-open=${this.#onOpen}
              @eps-tracker-back=${() => this.back()}
            ></eps-tracker-prescription>`
          : nothing}
      </div>
      ${showing
        ? html`<div class="eps-tools">
            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" @click=${() => this.#export('csv')}>
              Download CSV
            </button>
            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" @click=${() => this.#export('json')}>
              Download JSON
            </button>
            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" @click=${() => window.print()}>
              Print
            </button>
          </div>`
        : nothing}
    </div>`;
  }
}

define('eps-tracker', EpsTracker);

declare global {
  interface HTMLElementTagNameMap {
    'eps-tracker': EpsTracker;
  }
}

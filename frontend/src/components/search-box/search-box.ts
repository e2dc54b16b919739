import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { CheckResult, FieldError, InputKind } from '../../backend/types.js';
import { nhsuk } from '../../styles/nhsuk.js';
import { define } from '../define.js';

/** SearchInputEvent is sent on every change to what is typed. */
export type SearchInputEvent = CustomEvent<{ value: string }>;

/** SearchSubmitEvent asks to look up what is typed: Enter, the button, a suggestion. */
export type SearchSubmitEvent = CustomEvent<{ value: string }>;

/** nouns name what the check recognised, beside its display form. */
const nouns: Partial<Record<InputKind, string>> = {
  nhsNumber: 'NHS number',
  prescriptionId: 'Prescription id',
};

/**
 * SearchBox is the one search box: an NHS number or a prescription id,
 * typed, pasted or scanned (a scanner types fast and ends with Enter).
 *
 * It sends eps-tracker-input on every change and eps-tracker-submit when
 * the person asks to look it up; its host checks what was typed and gives
 * the verdict back as result. It shows the field's error as the person
 * types, except while the input is merely unfinished, which it says only
 * once they have asked to look it up, with an error summary on top.
 * "Did you mean …?" corrections are buttons that look the correction up.
 */
export class SearchBox extends LitElement {
  static override properties = {
    value: { type: String },
    result: { attribute: false },
    busy: { type: Boolean },
    attempted: { state: true },
  };

  static override styles = [
    nhsuk,
    css`
      :host {
        display: block;
      }
      .eps-search {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: flex-start;
      }
      .eps-search .nhsuk-input {
        flex: 1 1 20em;
        max-width: 32em;
      }
      .eps-search .nhsuk-button {
        margin-bottom: 0;
      }
      .eps-recognised {
        margin: 8px 0 0;
      }
      .eps-suggestions {
        margin-top: 16px;
        padding: 16px;
        border-left: 8px solid #ffeb3b;
        background: #fff9c4;
      }
      .eps-suggestions p {
        margin-bottom: 8px;
      }
      .eps-suggestions ul {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .eps-suggestions .nhsuk-button {
        margin: 0;
        font-family: menlo, consolas, 'Liberation Mono', monospace;
      }
      @media print {
        :host {
          display: none;
        }
      }
    `,
  ];

  /** value is what is in the box. */
  declare value: string;
  /** result is the check of value, null until it has been checked. */
  declare result: CheckResult | null;
  /** busy is true while a lookup is under way. */
  declare busy: boolean;
  /** attempted is true once the person asked to look value up. */
  declare attempted: boolean;

  constructor() {
    super();
    this.value = '';
    this.result = null;
    this.busy = false;
    this.attempted = false;
  }

  /** focus puts the cursor in the box, its text selected to type over. */
  override focus(): void {
    const input = this.input();
    input?.focus();
    input?.select();
  }

  private input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  /** shownError is the field's error to show now, if any. */
  private shownError(): FieldError | undefined {
    const r = this.result;
    if (!r || r.valid || (r.incomplete && !this.attempted)) return undefined;
    return r.errors[0];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value') && changed.get('value') !== undefined) this.attempted = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('attempted') || changed.has('result')) {
      const summary = this.renderRoot.querySelector<HTMLElement>('.nhsuk-error-summary');
      if (summary && this.attempted && !summary.dataset.focused) {
        summary.dataset.focused = 'yes';
        summary.focus();
      }
    }
  }

  private onInput(e: Event): void {
    this.value = (e.target as HTMLInputElement).value;
    this.emit('eps-tracker-input', this.value);
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    if (this.busy) return;
    this.attempted = true;
    this.emit('eps-tracker-submit', this.value);
  }

  private onSuggestion(id: string): void {
    this.value = id;
    this.emit('eps-tracker-input', id);
    this.emit('eps-tracker-submit', id);
    this.focus();
  }

  private onSummaryLink(e: Event): void {
    e.preventDefault();
    this.focus();
  }

  private emit(type: string, value: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true }));
  }

  override render() {
    const r = this.result;
    const error = this.shownError();
    const suggested = r?.warnings.filter((w) => w.suggestions.length > 0) ?? [];
    const warnings = r?.warnings.filter((w) => w.suggestions.length === 0) ?? [];
    const recognised = r?.valid ? nouns[r.kind] : undefined;
    const described = [
      'eps-search-hint',
      error ? 'eps-search-error' : '',
      recognised ? 'eps-search-recognised' : '',
      suggested.length || warnings.length ? 'eps-search-warning' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return html`<form novalidate @submit=${this.onSubmit}>
      ${error && this.attempted
        ? html`<div class="nhsuk-error-summary" tabindex="-1">
            <div role="alert">
              <h2 class="nhsuk-error-summary__heading">There is a problem</h2>
              <div class="nhsuk-error-summary__body">
                <ul class="nhsuk-list nhsuk-error-summary__list">
                  <li><a href="#eps-search-input" @click=${this.onSummaryLink}>${error.message}</a></li>
                </ul>
              </div>
            </div>
          </div>`
        : nothing}
      <div class="nhsuk-form-group ${error ? 'nhsuk-form-group--error' : ''}">
        <label class="nhsuk-label nhsuk-label--m" for="eps-search-input">NHS number or prescription id</label>
        <div class="nhsuk-hint" id="eps-search-hint">Type, paste or scan it, then press Enter.</div>
        ${error
          ? html`<span class="nhsuk-error-message" id="eps-search-error"
              ><span class="nhsuk-u-visually-hidden">Error: </span>${error.message}</span
            >`
          : nothing}
        <div class="eps-search">
          <input
            class="nhsuk-input nhsuk-input--code ${error ? 'nhsuk-input--error' : ''}"
            id="eps-search-input"
            name="q"
            type="text"
            autocomplete="off"
            spellcheck="false"
            autocapitalize="characters"
            aria-describedby=${described}
            .value=${live(this.value)}
            @input=${this.onInput}
          />
          <button class="nhsuk-button" type="submit">${this.busy ? 'Searching…' : 'Search'}</button>
        </div>
        ${recognised
          ? html`<p class="nhsuk-body-s eps-recognised" id="eps-search-recognised">
              ${recognised} <strong>${r!.display}</strong>
            </p>`
          : nothing}
        ${suggested.length || warnings.length
          ? html`<div class="eps-suggestions" id="eps-search-warning">
              ${warnings.map((w) => html`<p class="nhsuk-body-s">${w.message}</p>`)}
              ${suggested.map(
                (w) => html`<p class="nhsuk-body-s">${w.message}</p>
                  <p class="nhsuk-body-s"><strong>Did you mean:</strong></p>
                  <ul>
                    ${w.suggestions.map(
                      (id) => html`<li>
                        <button
                          class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                          type="button"
                          @click=${() => this.onSuggestion(id)}
                        >
                          <span class="nhsuk-u-visually-hidden">Did you mean </span>${id}
                        </button>
                      </li>`,
                    )}
                  </ul>`,
              )}
            </div>`
          : nothing}
      </div>
    </form>`;
  }
}

define('eps-tracker-search-box', SearchBox);

declare global {
  interface HTMLElementTagNameMap {
    'eps-tracker-search-box': SearchBox;
  }
}

import { LitElement, css, html, nothing } from 'lit';
import type { ServiceError } from '../../backend/types.js';
import { nhsuk } from '../../styles/nhsuk.js';
import { define } from '../define.js';

/**
 * ServiceErrorMessage shows a lookup that failed, in the service's words,
 * line by line, with every field it refused, and offers to try again when
 * the service says that may help (it sends eps-tracker-retry).
 */
export class ServiceErrorMessage extends LitElement {
  static override properties = {
    error: { attribute: false },
  };

  static override styles = [
    nhsuk,
    css`
      :host {
        display: block;
      }
      .nhsuk-error-summary:focus {
        outline: 4px solid #ffeb3b;
      }
      @media print {
        .nhsuk-button {
          display: none;
        }
      }
    `,
  ];

  /** error is the failure to show, null for none. */
  declare error: ServiceError | null;

  constructor() {
    super();
    this.error = null;
  }

  /** focus moves to the message, so that it is read next. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('.nhsuk-error-summary')?.focus();
  }

  override render() {
    const e = this.error;
    if (!e) return nothing;
    const lines = e.message.split('\n').filter((l) => l.trim() !== '');
    const fields = e.fields.filter((f) => f.message !== e.message);
    return html`<div class="nhsuk-error-summary" tabindex="-1">
      <div role="alert">
        <h2 class="nhsuk-error-summary__heading">${e.retryable ? 'No answer yet' : 'There is a problem'}</h2>
        <div class="nhsuk-error-summary__body">
          ${lines.map((l) => html`<p>${l}</p>`)}
          ${fields.length
            ? html`<ul class="nhsuk-list nhsuk-error-summary__list">
                ${fields.map((f) => html`<li>${f.message}</li>`)}
              </ul>`
            : nothing}
          ${e.retryable
            ? html`<button
                class="nhsuk-button nhsuk-button--secondary"
                type="button"
                @click=${() => this.dispatchEvent(new CustomEvent('eps-tracker-retry', { bubbles: true }))}
              >
                Try again
              </button>`
            : nothing}
        </div>
      </div>
    </div>`;
  }
}

define('eps-tracker-service-error', ServiceErrorMessage);

declare global {
  interface HTMLElementTagNameMap {
    'eps-tracker-service-error': ServiceErrorMessage;
  }
}

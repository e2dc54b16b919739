import { LitElement, css, html, nothing } from 'lit';
import type { Source } from '../../backend/types.js';
import { nhsuk } from '../../styles/nhsuk.js';
import { define } from '../define.js';

/**
 * TrainingBanner says, whenever the training sandbox answers, that the
 * patients are synthetic: the notice comes from the view's source. It
 * prints too, so that a printed page says so.
 */
export class TrainingBanner extends LitElement {
  static override properties = {
    source: { attribute: false },
  };

  static override styles = [
    nhsuk,
    css`
      :host {
        display: block;
      }
      .nhsuk-notification-banner {
        margin-bottom: 24px;
      }
    `,
  ];

  /** source is who answers; null until it is known. */
  declare source: Source | null;

  constructor() {
    super();
    this.source = null;
  }

  override render() {
    const s = this.source;
    if (!s?.training) return nothing;
    return html`<div class="nhsuk-notification-banner" role="region" aria-labelledby="eps-training-title">
      <div class="nhsuk-notification-banner__header">
        <h2 class="nhsuk-notification-banner__title" id="eps-training-title">Training</h2>
      </div>
      <div class="nhsuk-notification-banner__content">
        <p class="nhsuk-notification-banner__heading">${s.notice}</p>
        <p class="nhsuk-body-s">Answers come from ${from(s)}, not from Spine.</p>
      </div>
    </div>`;
  }
}

/** from names who answers in a sentence: "the built-in sandbox", or "the sandbox at" a server's address. */
const from = (s: Source) => (s.backend === 'sandbox' ? `the ${s.label}` : `${s.name} at ${s.label}`);

define('eps-tracker-training-banner', TrainingBanner);

declare global {
  interface HTMLElementTagNameMap {
    'eps-tracker-training-banner': TrainingBanner;
  }
}

import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { DateText, IssueEntry, Organisation, PrescriptionType, PrescriptionView } from '../../backend/types.js';
import { nhsuk } from '../../styles/nhsuk.js';
import { viewStyles } from '../../styles/view.js';
import { define } from '../define.js';
import { statusTag, statusTagStyles } from '../status-tag/status-tag.js';

/**
 * Prescription shows one prescription: the banner (its id with a copy
 * button, status, type and dates), the issue shown with its items, the
 * organisations, every issue (for repeat dispensing, the course as a
 * timeline) to choose another, and Spine's inconsistencies as a warning.
 * An issue Spine does not have (its status 3) is said so, with the issues
 * it does have.
 *
 * It sends eps-tracker-open to show another issue, and eps-tracker-back.
 */
export class Prescription extends LitElement {
  static override properties = {
    view: { attribute: false },
    back: { type: String },
    copied: { state: true },
  };

  static override styles = [
    nhsuk,
    statusTagStyles,
    viewStyles,
    css`
      .eps-id {
        overflow-wrap: anywhere;
      }
      .eps-banner {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        margin-bottom: 16px;
      }
      .eps-banner h2 {
        margin: 0;
      }
      .eps-banner .nhsuk-button {
        margin: 0;
      }
      .eps-copied {
        color: #007f3b;
        font-weight: 600;
      }
      .eps-items {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(16em, 1fr));
        gap: 16px;
        margin-bottom: 32px;
      }
      .eps-items .nhsuk-card {
        margin: 0;
      }
      .eps-small {
        color: #4c6272;
        font-size: 0.875rem;
      }
      .eps-timeline {
        margin: 0 0 32px;
        padding: 0;
        list-style: none;
      }
      .eps-timeline li {
        position: relative;
        padding: 0 0 16px 32px;
        border-left: 4px solid #aeb7bd;
        margin-left: 8px;
      }
      .eps-timeline li:last-child {
        border-left-color: transparent;
      }
      .eps-timeline li::before {
        content: '';
        position: absolute;
        top: 2px;
        left: -12px;
        width: 12px;
        height: 12px;
        border: 4px solid #005eb8;
        border-radius: 50%;
        background: #ffffff;
      }
      .eps-timeline li[aria-current]::before {
        background: #005eb8;
      }
      .eps-timeline .nhsuk-button {
        margin: 8px 0 0;
      }
      @media print {
        .eps-no-print,
        .nhsuk-back-link,
        .nhsuk-button {
          display: none !important;
        }
        .nhsuk-card,
        .nhsuk-summary-list__row {
          break-inside: avoid;
        }
      }
    `,
  ];

  /** view is the prescription to show. */
  declare view: PrescriptionView | null;
  /** back names where the back link goes, "" for no back link. */
  declare back: string;
  /** copied is true once the id has been copied. */
  declare copied: boolean;

  constructor() {
    super();
    this.view = null;
    this.back = '';
    this.copied = false;
  }

  /** focus moves to the heading, so that a screen reader reads the prescription next. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('.eps-heading')?.focus();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('view')) this.copied = false;
  }

  private emit(type: string, detail: unknown = {}): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  private async copy(id: string): Promise<void> {
    await navigator.clipboard.writeText(id);
    this.copied = true;
  }

  override render() {
    const v = this.view;
    if (!v) return nothing;
    const b = v.banner;
    const shown = v.issue;
    // Spine gives an issue's date in a search, not always in a retrieve:
    // a date it did not give is left out rather than shown as a dash.
    const issued = shown.issueDate ?? b.issueDate;
    return html`
      ${this.back
        ? html`<div class="nhsuk-back-link">
            <button class="nhsuk-back-link__link nhsuk-link" type="button" @click=${() => this.emit('eps-tracker-back')}>
              ${this.back}
            </button>
          </div>`
        : nothing}
      <div class="eps-banner">
        <h2 class="nhsuk-heading-l eps-heading" tabindex="-1">
          <span class="nhsuk-caption-m">Prescription${b.issueLabel ? html`, ${b.issueLabel}` : nothing}</span>
          <span class="eps-id">${b.prescriptionId}</span>
        </h2>
        <button
          class="nhsuk-button nhsuk-button--secondary nhsuk-button--small eps-no-print"
          type="button"
          @click=${() => this.copy(b.prescriptionId)}
        >
          Copy id
        </button>
        <span class="eps-copied" role="status">${this.copied ? 'Copied' : ''}</span>
      </div>
      ${shown.found
        ? nothing
        : html`<div class="nhsuk-card nhsuk-card--warning">
            <div class="nhsuk-card__content">
              <h3 class="nhsuk-card__heading">Issue ${shown.number} not found</h3>
              <p class="nhsuk-card__description">${shown.message}</p>
            </div>
          </div>`}
      ${v.notices.length || b.pendingCancellation
        ? html`<div class="nhsuk-card nhsuk-card--warning">
            <div class="nhsuk-card__content">
              <h3 class="nhsuk-card__heading">Important</h3>
              ${v.notices.map((n) => html`<p class="nhsuk-card__description">${n}</p>`)}
            </div>
          </div>`
        : nothing}
      ${v.inconsistencies.length
        ? html`<div class="nhsuk-card nhsuk-card--warning">
            <div class="nhsuk-card__content">
              <h3 class="nhsuk-card__heading">Spine's answer does not add up</h3>
              <ul class="nhsuk-list nhsuk-list--bullet">
                ${v.inconsistencies.map((i) => html`<li>${i}</li>`)}
              </ul>
            </div>
          </div>`
        : nothing}
      ${v.warnings.map((w) => html`<div class="nhsuk-inset-text"><p>${w.message}</p></div>`)}
      <dl class="nhsuk-summary-list">
        ${row('Status', b.status ? html`${statusTag(b.status)}<p class="eps-small">${b.status.meaning}</p>` : '—')}
        ${row('Patient', html`NHS number <span class="nhsuk-u-nowrap">${v.patient.display}</span>`)}
        ${row('Treatment', b.treatment.label)}
        ${row('Type', html`${b.type.label}${country(b.type) ? html`<br />${b.type.country}` : nothing}`)}
        ${b.daysSupply ? row('Days supply', String(b.daysSupply)) : nothing}
        ${row('Signed', date(b.signingDate))}
        ${issued ? row('Issued', date(issued)) : nothing}
        ${row('Last event', date(b.lastEventDate))}
        ${shown.found ? row('Last dispensed', shown.lastDispenseDate?.display ?? 'None recorded') : nothing}
        ${shown.appliedCancellations ? row('Cancellations', 'A cancellation has been applied to this issue') : nothing}
        ${row('Id', b.idFormLabel)}
      </dl>
      ${shown.found ? this.renderItems(v) : nothing}
      <h3 class="nhsuk-heading-m">Organisations</h3>
      <dl class="nhsuk-summary-list">
        ${row('Prescriber', organisation(v.prescriber))}
        ${row('Nominated dispenser', organisation(v.nominatedDispenser))}
        ${shown.found ? row('Dispensing organisation', organisation(shown.dispenser)) : nothing}
      </dl>
      ${this.renderIssues(v)}
    `;
  }

  private renderItems(v: PrescriptionView): TemplateResult {
    return html`<h3 class="nhsuk-heading-m">Items</h3>
      <div class="eps-items">
        ${v.issue.items.map(
          (item) => html`<div class="nhsuk-card">
            <div class="nhsuk-card__content">
              <h4 class="nhsuk-card__heading nhsuk-heading-s">Item ${item.number}</h4>
              <p class="nhsuk-card__description">${statusTag(item.status)}</p>
              <p class="nhsuk-card__description eps-small">${item.status.meaning}</p>
              ${item.id ? html`<p class="nhsuk-card__description eps-small eps-id">${item.id}</p>` : nothing}
            </div>
          </div>`,
        )}
      </div>`;
  }

  private renderIssues(v: PrescriptionView): TemplateResult | typeof nothing {
    const { entries, complete, note } = v.issues;
    if (entries.length <= 1 && complete) return nothing;
    return html`<h3 class="nhsuk-heading-m">${v.course ? 'Repeat dispensing course' : 'Issues'}</h3>
      ${v.course ? html`<p class="nhsuk-body">${v.course.summary}</p>` : nothing}
      ${complete ? nothing : html`<div class="nhsuk-inset-text"><p>${note}</p></div>`}
      <ol class="eps-timeline">
        ${entries.map((e) => this.renderEntry(v.banner.prescriptionId, e))}
      </ol>`;
  }

  private renderEntry(id: string, e: IssueEntry): TemplateResult {
    return html`<li aria-current=${e.shown ? 'step' : nothing}>
      <strong>${e.label}</strong>${e.current ? ' (current)' : nothing} · ${e.issueDate?.display ?? 'not yet issued'}
      <div>${statusTag(e.status)}</div>
      ${e.shown
        ? html`<p class="eps-small">Shown above</p>`
        : html`<button
            class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            type="button"
            @click=${() => this.emit('eps-tracker-open', { prescriptionId: id, issueNumber: e.number })}
          >
            Show <span class="nhsuk-u-visually-hidden">${e.label}</span><span aria-hidden="true">this issue</span>
          </button>`}
    </li>`;
  }
}

function row(key: string, value: unknown): TemplateResult {
  return html`<div class="nhsuk-summary-list__row">
    <dt class="nhsuk-summary-list__key">${key}</dt>
    <dd class="nhsuk-summary-list__value">${value}</dd>
  </div>`;
}

/** country is the prescriber's country to say beside the type, "" when its label says it already. */
function country(t: PrescriptionType): string {
  return t.label.toLowerCase().includes(t.country.toLowerCase()) ? '' : t.country;
}

function date(d: DateText | null): string {
  return d?.display ?? '—';
}

function organisation(o: Organisation | null): TemplateResult | string {
  if (!o) return 'None';
  return html`${o.name || 'Name not given'}<br /><span class="eps-small">ODS code ${o.ods}</span>${o.contact
      ? html`<br /><span class="eps-small">Telephone ${o.contact}</span>`
      : nothing}`;
}

define('eps-tracker-prescription', Prescription);

declare global {
  interface HTMLElementTagNameMap {
    'eps-tracker-prescription': Prescription;
  }
}

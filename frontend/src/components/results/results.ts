import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Group, Guidance, ResultGroup, SearchQuery, SearchRow, SearchView } from '../../backend/types.js';
import { nhsuk } from '../../styles/nhsuk.js';
import { viewStyles } from '../../styles/view.js';
import { define } from '../define.js';
import { statusTag, statusTagStyles } from '../status-tag/status-tag.js';

/** OpenEvent asks to open one issue of a prescription. */
export type OpenEvent = CustomEvent<{ prescriptionId: string; issueNumber: number }>;

/** SearchEvent asks for another search, one the service suggested. */
export type SearchEvent = CustomEvent<{ query: SearchQuery }>;

type Direction = 'ascending' | 'descending';

/** Column is a column of the results table, and how it sorts. */
interface Column {
  key: string;
  title: string;
  numeric?: boolean;
  compare: (a: SearchRow, b: SearchRow) => number;
}

/** byText orders strings, an empty one (an absent date) last. */
function byText(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  return a < b ? -1 : 1;
}

const columns: Column[] = [
  {
    key: 'prescription',
    title: 'Prescription',
    compare: (a, b) => byText(a.prescriptionId, b.prescriptionId) || a.issueNumber - b.issueNumber,
  },
  { key: 'issued', title: 'Issued', compare: (a, b) => byText(a.issueDate?.iso ?? '', b.issueDate?.iso ?? '') },
  { key: 'status', title: 'Status', compare: (a, b) => byText(a.status.label, b.status.label) },
  { key: 'treatment', title: 'Treatment', compare: (a, b) => byText(a.treatment.label, b.treatment.label) },
  { key: 'items', title: 'Items', numeric: true, compare: (a, b) => a.items - b.items },
  {
    key: 'last-event',
    title: 'Last event',
    compare: (a, b) => byText(a.lastEventDate?.iso ?? '', b.lastEventDate?.iso ?? ''),
  },
];

/** plural says n things: "1 prescription", "3 prescriptions". */
function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Results shows a patient's search: tabs current, future and past with
 * their counts, a table in each with one row per prescription issue, its
 * columns sortable, and the "why isn't it here?" guidance, open when the
 * list is empty or may be incomplete.
 *
 * It sends eps-tracker-open to open an issue, and eps-tracker-search for
 * a search the guidance offers.
 */
export class Results extends LitElement {
  static override properties = {
    view: { attribute: false },
    selected: { state: true },
    sortKey: { state: true },
    direction: { state: true },
  };

  static override styles = [
    nhsuk,
    statusTagStyles,
    viewStyles,
    css`
      .eps-id {
        white-space: nowrap;
      }
      .eps-issue {
        display: block;
        color: #4c6272;
        font-size: 0.875rem;
      }
      .eps-flag {
        display: block;
        margin-top: 4px;
        color: #d5281b;
        font-weight: 600;
        font-size: 0.875rem;
      }
      .eps-table {
        overflow-x: auto;
      }
      .nhsuk-table {
        margin-bottom: 24px;
        font-size: 1rem;
      }
      .eps-date {
        white-space: nowrap;
      }
      .eps-guidance li {
        margin-bottom: 16px;
      }
      .eps-guidance .nhsuk-button {
        margin: 8px 0 0;
      }
      @media print {
        .nhsuk-tabs__list,
        .nhsuk-details,
        .eps-no-print {
          display: none !important;
        }
        .nhsuk-tabs__panel--hidden {
          display: block !important;
        }
        .nhsuk-table__header[data-sort] .nhsuk-link::after {
          display: none;
        }
        button.nhsuk-link,
        .nhsuk-table__header[data-sort] .nhsuk-link {
          color: #212b32;
          text-decoration: none;
        }
      }
    `,
  ];

  /** view is the search to show. */
  declare view: SearchView | null;
  /** selected is the tab shown. */
  declare selected: Group;
  /** sortKey is the column the rows are sorted by; "" keeps the service's order. */
  declare sortKey: string;
  declare direction: Direction;

  constructor() {
    super();
    this.view = null;
    this.selected = 'current';
    this.sortKey = '';
    this.direction = 'ascending';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view') && this.view) {
      // Show the first group with rows; the current one when none has.
      this.selected = this.view.groups.find((g) => g.count > 0)?.group ?? 'current';
      this.sortKey = '';
    }
  }

  /** focus moves to the heading, so that a screen reader reads the results next. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('.eps-heading')?.focus();
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  private open(prescriptionId: string, issueNumber: number): void {
    this.emit('eps-tracker-open', { prescriptionId, issueNumber });
  }

  private select(group: Group, focus: boolean): void {
    this.selected = group;
    if (focus) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`#eps-tab-${group}`)?.focus(),
      );
    }
  }

  private onTabKey(e: KeyboardEvent, groups: ResultGroup[]): void {
    const at = groups.findIndex((g) => g.group === this.selected);
    const to: Record<string, number> = {
      ArrowRight: (at + 1) % groups.length,
      ArrowLeft: (at + groups.length - 1) % groups.length,
      Home: 0,
      End: groups.length - 1,
    };
    const next = to[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.select(groups[next]!.group, true);
  }

  private sortBy(key: string): void {
    if (this.sortKey === key) {
      this.direction = this.direction === 'ascending' ? 'descending' : 'ascending';
    } else {
      this.sortKey = key;
      this.direction = 'ascending';
    }
  }

  private sorted(rows: SearchRow[]): SearchRow[] {
    const column = columns.find((c) => c.key === this.sortKey);
    if (!column) return rows;
    const sign = this.direction === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => sign * column.compare(a, b));
  }

  override render() {
    const v = this.view;
    if (!v) return nothing;
    return html`
      <h2 class="nhsuk-heading-l eps-heading" tabindex="-1">
        Prescriptions for NHS number <span class="nhsuk-u-nowrap">${v.patient.display}</span>
      </h2>
      <p class="nhsuk-body">
        ${v.empty
          ? html`None found, ${v.window.description}.`
          : html`${plural(v.prescriptions, 'prescription')}${v.rows !== v.prescriptions
              ? html` (${plural(v.rows, 'issue')})`
              : nothing}, ${v.window.description}.`}
        ${v.filter ? html`Only those with ${v.filter.description}.` : nothing}
      </p>
      ${v.notices.length
        ? html`<div class="nhsuk-card nhsuk-card--warning">
            <div class="nhsuk-card__content">
              <h3 class="nhsuk-card__heading">Important</h3>
              ${v.notices.map((n) => html`<p class="nhsuk-card__description">${n}</p>`)}
            </div>
          </div>`
        : nothing}
      ${v.warnings.map((w) => html`<div class="nhsuk-inset-text"><p>${w.message}</p></div>`)}
      ${v.empty ? nothing : this.renderTabs(v.groups)} ${this.renderGuidance(v)}
    `;
  }

  private renderTabs(groups: ResultGroup[]): TemplateResult {
    return html`<div class="nhsuk-frontend-supported"><div class="nhsuk-tabs">
      <h3 class="nhsuk-tabs__title">Groups</h3>
      <ul class="nhsuk-tabs__list" role="tablist">
        ${groups.map((g) => {
          const on = g.group === this.selected;
          return html`<li
            class="nhsuk-tabs__list-item ${on ? 'nhsuk-tabs__list-item--selected' : ''}"
            role="presentation"
          >
            <a
              class="nhsuk-tabs__tab"
              id="eps-tab-${g.group}"
              href="#eps-panel-${g.group}"
              role="tab"
              aria-controls="eps-panel-${g.group}"
              aria-selected=${on ? 'true' : 'false'}
              tabindex=${on ? 0 : -1}
              @click=${(e: Event) => {
                e.preventDefault();
                this.select(g.group, false);
              }}
              @keydown=${(e: KeyboardEvent) => this.onTabKey(e, groups)}
              >${g.title} (${g.count})</a
            >
          </li>`;
        })}
      </ul>
      ${groups.map((g) => this.renderPanel(g))}
    </div></div>`;
  }

  private renderPanel(g: ResultGroup): TemplateResult {
    const on = g.group === this.selected;
    return html`<div
      class="nhsuk-tabs__panel ${on ? '' : 'nhsuk-tabs__panel--hidden'}"
      ?hidden=${!on}
      id="eps-panel-${g.group}"
      role="tabpanel"
      aria-labelledby="eps-tab-${g.group}"
    >
      <h3 class="nhsuk-heading-m">${g.title}</h3>
      <p class="nhsuk-hint">${g.hint}.</p>
      ${g.count === 0
        ? html`<p class="nhsuk-body">None.</p>`
        : html`<div class="eps-table" role="region" aria-labelledby="eps-caption-${g.group}" tabindex="0">
            <table class="nhsuk-table nhsuk-table--sortable">
              <caption class="nhsuk-table__caption nhsuk-u-visually-hidden" id="eps-caption-${g.group}">
                ${g.title}: ${plural(g.count, 'issue')}, newest first unless sorted (column headers are sortable)
              </caption>
              <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                  ${columns.map((c) => this.renderHeader(c))}
                </tr>
              </thead>
              <tbody class="nhsuk-table__body">
                ${this.sorted(g.rows).map((r) => this.renderRow(r))}
              </tbody>
            </table>
          </div>`}
    </div>`;
  }

  private renderHeader(c: Column): TemplateResult {
    const sort = this.sortKey === c.key ? this.direction : undefined;
    return html`<th
      class="nhsuk-table__header ${c.numeric ? 'nhsuk-table__header--numeric' : ''}"
      scope="col"
      data-sort
      aria-sort=${sort ?? 'none'}
    >
      <button class="nhsuk-link" type="button" @click=${() => this.sortBy(c.key)}>${c.title}</button>
    </th>`;
  }

  private renderRow(r: SearchRow): TemplateResult {
    return html`<tr class="nhsuk-table__row">
      <td class="nhsuk-table__cell">
        <button class="nhsuk-link eps-id" type="button" @click=${() => this.open(r.prescriptionId, r.issueNumber)}>
          ${r.prescriptionId}${r.issueLabel
            ? html`<span class="nhsuk-u-visually-hidden">, ${r.issueLabel}</span>`
            : nothing}
        </button>
        ${r.issueLabel ? html`<span class="eps-issue" aria-hidden="true">${r.issueLabel}</span>` : nothing}
      </td>
      <td class="nhsuk-table__cell eps-date">${r.issueDate?.display ?? '—'}</td>
      <td class="nhsuk-table__cell">
        ${statusTag(r.status)}
        ${r.pendingCancellation ? html`<span class="eps-flag">Cancellation pending</span>` : nothing}
        ${r.inconsistencies.map((i) => html`<span class="eps-flag">${i}</span>`)}
      </td>
      <td class="nhsuk-table__cell">${r.treatment.label}</td>
      <td class="nhsuk-table__cell nhsuk-table__cell--numeric">${r.items}</td>
      <td class="nhsuk-table__cell eps-date">${r.lastEventDate?.display ?? '—'}</td>
    </tr>`;
  }

  private renderGuidance(v: SearchView): TemplateResult | typeof nothing {
    if (v.guidance.length === 0) return nothing;
    return html`<details class="nhsuk-details eps-guidance" ?open=${v.empty || v.mayBeIncomplete}>
      <summary class="nhsuk-details__summary">
        <span class="nhsuk-details__summary-text">Why isn't a prescription here?</span>
      </summary>
      <div class="nhsuk-details__text">
        <ul class="nhsuk-list">
          ${v.guidance.map((g) => this.renderAdvice(g))}
        </ul>
      </div>
    </details>`;
  }

  private renderAdvice(g: Guidance): TemplateResult {
    return html`<li>
      ${g.prescriptionId
        ? html`<button class="nhsuk-link eps-id" type="button" @click=${() => this.open(g.prescriptionId, g.issueNumber)}>
              ${g.prescriptionId}</button
            >: `
        : nothing}${g.message}
      ${g.try
        ? html`<div>
            <button
              class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
              type="button"
              @click=${() => this.emit('eps-tracker-search', { query: g.try })}
            >
              ${g.tryLabel}
            </button>
          </div>`
        : nothing}
    </li>`;
  }
}

define('eps-tracker-results', Results);

declare global {
  interface HTMLElementTagNameMap {
    'eps-tracker-results': Results;
  }
}

import { LitElement, html } from 'lit';
import { host, nhsuk } from '../../styles/nhsuk.js';
import '../prescription/prescription.js';
import '../results/results.js';
import '../search-box/search-box.js';
import '../service-error/service-error.js';
import '../training-banner/training-banner.js';

/**
 * EpsTracker is the <eps-tracker> element: the whole interface in one shadow
 * root, for a clinical portal to embed or the full-page app to fill.
 */
export class EpsTracker extends LitElement {
  static override styles = [nhsuk, host];

  override render() {
    return html`<div class="nhsuk-frontend-supported">
      <h2 class="nhsuk-heading-m">Find a prescription</h2>
    </div>`;
  }
}

import { css, html, nothing, type TemplateResult } from 'lit';
import type { Status, Tone } from '../../backend/types.js';

/** tagColours gives each tone of status its nhsuk-tag colour. */
const tagColours: Record<Tone, string> = {
  ready: 'nhsuk-tag--blue',
  active: 'nhsuk-tag--aqua-green',
  done: 'nhsuk-tag--green',
  stopped: 'nhsuk-tag--red',
  waiting: 'nhsuk-tag--grey',
  unknown: 'nhsuk-tag--white',
};

/**
 * statusTag shows a status as the service words it: our label in a tag
 * coloured by its tone, and Spine's own text beside it when that says
 * something else.
 */
export function statusTag(status: Status): TemplateResult {
  const spine = status.spineText.trim();
  const differs = spine !== '' && spine.toLowerCase() !== status.label.toLowerCase();
  return html`<strong class="nhsuk-tag ${tagColours[status.tone] ?? tagColours.unknown}">${status.label}</strong>${differs
      ? html` <span class="eps-spine-text">Spine: ${spine}</span>`
      : nothing}`;
}

/** statusTagStyles are the styles an element showing status tags adopts. */
export const statusTagStyles = css`
  .nhsuk-tag {
    max-width: none;
  }
  .eps-spine-text {
    color: #4c6272;
    font-size: 0.875rem;
  }
`;

import { css } from 'lit';

/**
 * viewStyles are what the widget's two views, the results and a
 * prescription, share: each a block; its heading, which takes the focus
 * when the view opens so that a screen reader starts there, drawn without
 * a focus ring; and prescription ids in a monospace face, so that an O and
 * a 0 look different.
 */
export const viewStyles = css`
  :host {
    display: block;
  }
  .eps-heading:focus {
    outline: none;
  }
  .eps-id {
    font-family: menlo, consolas, 'Liberation Mono', monospace;
  }
`;

import { css, unsafeCSS } from 'lit';
import nhsukCSS from './nhsuk.scss?inline';

/**
 * nhsuk is nhsuk-frontend's styles for a shadow root. Every element adopts
 * this same result, so the browser builds one constructable stylesheet for
 * all of them; a host page's CSS cannot reach inside, and nothing is injected
 * as a <style> element (a strict Content Security Policy allows it).
 */
export const nhsuk = unsafeCSS(nhsukCSS);

/**
 * host gives each element the text settings nhsuk-frontend leaves to the page
 * (its font, colour and box model), so a host page's own cannot leak in.
 */
export const host = css`
  :host {
    display: block;
    box-sizing: border-box;
    color: #212b32;
    font-family: arial, sans-serif;
    font-weight: 400;
    line-height: normal;
    text-align: left;
    -webkit-font-smoothing: antialiased;
    -moz-osx-font-smoothing: grayscale;
  }
  :host([hidden]) {
    display: none;
  }
`;

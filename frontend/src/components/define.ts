/**
 * define registers an element under its tag unless the page has one of that
 * name already (a page may load the widget twice).
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

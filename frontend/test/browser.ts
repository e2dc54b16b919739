// Helpers shared by the browser tests: a page that fails the test on any
// console error (a Content Security Policy violation is one), axe on the
// screen in front of the person, and a screenshot of it to look at.
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export { expect };

/** wcag is every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA that axe has. */
export const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface Options {
  /** expectedConsoleErrors are console errors a test provokes on purpose. */
  expectedConsoleErrors: RegExp[];
}

/**
 * test is Playwright's test whose page fails the test on an uncaught error
 * or a console error it did not expect, such as a refused inline style.
 */
export const test = base.extend<Options>({
  expectedConsoleErrors: [[], { option: true }],
  page: async ({ page, expectedConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = `${msg.text()} (${msg.location().url})`;
      if (!expectedConsoleErrors.some((re) => re.test(text))) errors.push(text);
    });
    await use(page);
    expect(errors, 'console errors').toEqual([]);
  },
});

/**
 * expectAccessible runs axe (WCAG 2.0, 2.1 and 2.2, A and AA) on the page as
 * it is, shadow roots included, and fails on any violation, listing each
 * with the elements it found it on.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
  const found = violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
  expect(found, 'axe violations').toEqual([]);
}

/**
 * screenshot saves the whole page as test-results/screens/NAME.png, so that
 * a person can look at every screen the tests went through.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(test.info().project.outputDir, 'screens');
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/**
 * screen is what every journey does on each screen it reaches: a screenshot
 * to look at, then axe.
 */
export async function screen(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectAccessible(page);
}

/**
 * mount opens the harness page (the built widget under the strict Content
 * Security Policy) and puts one element on it, its properties set, as a
 * host would: it resolves once the element has rendered them.
 */
export async function mount(page: Page, tag: string, properties: Record<string, unknown> = {}): Promise<void> {
  await page.goto('/test/harness.html');
  await page.evaluate(
    async ([tag, properties]) => {
      await customElements.whenDefined(tag);
      const element = Object.assign(document.createElement(tag), properties);
      document.getElementById('stage')!.append(element);
      await (element as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
    },
    [tag, properties] as const,
  );
}

/**
 * example reads one of a component's examples: a view the real service
 * made, saved beside the component by frontend/examples_test.go.
 */
export function example<T>(testFile: string, name: string): T {
  return JSON.parse(readFileSync(new URL(`./examples/${name}.json`, testFile), 'utf8')) as T;
}

/** Sent is an event an element sent, as recordEvents keeps it. */
export interface Sent {
  type: string;
  detail: unknown;
}

/** recordEvents keeps every event of these types that the element tag sends. */
export async function recordEvents(page: Page, tag: string, types: string[]): Promise<void> {
  await page.evaluate(
    ([tag, types]) => {
      const sent: { type: string; detail: unknown }[] = [];
      Object.assign(window, { sent });
      const element = document.querySelector(tag)!;
      for (const type of types) {
        element.addEventListener(type, (e) => sent.push({ type, detail: (e as CustomEvent).detail }));
      }
    },
    [tag, types] as const,
  );
}

/** sentEvents returns the events recordEvents has kept so far. */
export async function sentEvents(page: Page): Promise<Sent[]> {
  return page.evaluate(() => (window as unknown as { sent: Sent[] }).sent);
}

/**
 * Replay is what a replaying backend answers: the examples, views the real
 * service made, by their question. A check not listed answers as "*" does.
 */
export interface Replay {
  settings: unknown;
  checks: Record<string, unknown>;
  searches?: Record<string, unknown[]>;
  retrieves?: Record<string, unknown[]>;
}

/**
 * mountWidget opens the harness page and puts an <eps-tracker> on it with
 * these attributes, answered by a backend that replays the examples (until
 * the core's WebAssembly is built, the element is tested on its own). A
 * search is keyed by NHS number, a retrieve by "id#issue" ("" for the
 * current issue); each answer is used in turn, the last one again, and an
 * answer with a "kind" member is a rejection. A lookup given a token is
 * asked with it (asked: {search, token}).
 */
export async function mountWidget(page: Page, attributes: Record<string, string>, replay: Replay): Promise<void> {
  await page.goto('/test/harness.html');
  await page.evaluate(
    async ([attributes, replay]) => {
      await customElements.whenDefined('eps-tracker');
      const next = (answers: unknown[] | undefined) => {
        const answer = answers && answers.length > 1 ? answers.shift() : answers?.[0];
        if (answer === undefined) return Promise.reject(new Error('nothing to replay'));
        return typeof answer === 'object' && answer !== null && 'kind' in answer && 'retryable' in answer
          ? Promise.reject(answer)
          : Promise.resolve(answer);
      };
      const asked: unknown[] = [];
      Object.assign(window, { asked });
      const backend = {
        check: async (input: string) => replay.checks[input] ?? replay.checks['*'],
        search: (q: { nhsNumber: string }, token?: string) => (
          asked.push(token === undefined ? { search: q } : { search: q, token }), next(replay.searches?.[q.nhsNumber])
        ),
        retrieve: (q: { prescriptionId: string; issueNumber?: string }, token?: string) => (
          asked.push(token === undefined ? { retrieve: q } : { retrieve: q, token }),
          next(replay.retrieves?.[`${q.prescriptionId}#${q.issueNumber ?? ''}`])
        ),
        patients: () => Promise.reject(new Error('not replayed')),
        settings: async () => replay.settings,
        configure: async () => replay.settings,
      };
      const element = Object.assign(document.createElement('eps-tracker'), { backend });
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      const ready = new Promise((resolve) => element.addEventListener('ready', resolve, { once: true }));
      document.getElementById('stage')!.append(element);
      await ready;
    },
    [attributes, replay] as const,
  );
}

/** asked returns the searches and retrieves a replaying backend was asked, in order. */
export async function asked(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { asked: unknown[] }).asked);
}

// The widget's start: the core's WebAssembly is the most of what a page
// waits for, so it is fetched and compiled at once: on a page that holds
// the element, as the widget's script starts, before the interface is
// defined; and alongside Go's support script, not after it.
import { expect, test, waitForCore } from './journey.js';

test('on a page that holds the element, the core starts downloading before the interface is defined', async ({
  page,
}) => {
  await page.addInitScript(() => {
    void customElements.whenDefined('eps-tracker').then(() => Object.assign(window, { definedAt: performance.now() }));
  });
  await page.goto('/');
  await waitForCore(page);
  const { core, definedAt } = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource');
    return {
      core: entries.find((e) => e.name.includes('/assets/eps-tracker-'))?.startTime,
      definedAt: (window as unknown as { definedAt: number }).definedAt,
    };
  });
  expect(core, 'the core was fetched').toBeDefined();
  expect(core!, 'the core asked for before <eps-tracker> was defined').toBeLessThan(definedAt);
});

test("the core downloads and compiles while Go's support script loads, not after it", async ({ page }) => {
  await page.goto('/');
  await waitForCore(page);
  const [core, support] = await page.evaluate(() =>
    ['/assets/eps-tracker-', '/assets/wasm_exec-'].map((name) => {
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const entry = entries.find((e) => e.name.includes(name));
      return entry && { start: entry.startTime, end: entry.responseEnd };
    }),
  );
  expect(core, 'the core was fetched').toBeTruthy();
  expect(support, "Go's support script was fetched").toBeTruthy();
  expect(core!.start, "the core's download starts before Go's support script has arrived").toBeLessThan(support!.end);
});

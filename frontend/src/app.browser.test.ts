import { expect, screen, test } from '../test/browser.js';

// Until the core's WebAssembly is built into the app, its fetch fails.
test.use({ expectedConsoleErrors: [/Failed to load resource: .*404.*\.wasm/] });

test('the full-page app: the NHS header around the widget', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('banner')).toContainText('EPS Tracker');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Track an electronic prescription');
  await expect(page.locator('eps-tracker')).toBeVisible();
  await screen(page, 'app-start');
});

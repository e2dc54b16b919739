import { expect, screen, test } from '../../../test/browser.js';

test('the widget renders in its shadow root under a strict CSP', async ({ page }) => {
  await page.goto('/test/harness.html');
  await page.evaluate(() => document.getElementById('stage')!.append(document.createElement('eps-tracker')));
  await expect(page.getByRole('heading', { name: 'Find a prescription' })).toBeVisible();
  await screen(page, 'eps-tracker-start');
});

// The widget pointed at a gateway, as a portal points it: here the server
// itself, whose sandbox answers at /mm/prescriptions over the browser's
// fetch. The server runs with --faults, so a request may choose how the
// sandbox fails with a Sandbox-Fault header; the browser adds that header
// to the sandbox's requests (the page and the widget know nothing of it),
// and the real server, the real core and the real widget do the rest.
import type { Page, Request } from '@playwright/test';
import { expect, resultsHeading, screen, searchBox, test, withGateway } from './journey.js';

/**
 * failSandbox makes every request the page sends to the sandbox ask it for
 * fault (e.g. "status:503"), and keeps each request it changed in sent.
 */
async function failSandbox(page: Page, fault: string, sent: Request[]): Promise<void> {
  await page.route('**/mm/prescriptions**', (route) => {
    sent.push(route.request());
    return route.continue({ headers: { ...route.request().headers(), 'sandbox-fault': fault } });
  });
}

// The browser logs each failed answer to the console itself.
test.use({ expectedConsoleErrors: [/status of 503 \(Service Unavailable\)/] });

test('the sandbox unavailable (503): a clear error that says retrying may help, and Try again does', async ({
  page,
  subjects,
}) => {
  const patient = subjects.grouped;
  await page.goto('/');
  await withGateway(page);
  const failed: Request[] = [];
  await failSandbox(page, 'status:503', failed);

  await searchBox(page).fill(patient.display);
  await searchBox(page).press('Enter');
  const alert = page.getByRole('alert');
  await expect(page.locator('eps-tracker-service-error .nhsuk-error-summary'), 'the message, read next').toBeFocused();
  await expect(alert.getByRole('heading')).toHaveText('No answer yet');
  await expect(alert).toContainText(/unavailable \(HTTP 503\) after \d attempts\. Try again in a few minutes\./);
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
  expect(failed.length, 'the core tried more than once before it gave up').toBeGreaterThan(1);
  const statuses = await Promise.all(failed.map(async (r) => (await r.response())?.status()));
  expect(statuses.every((s) => s === 503), `the answers: ${statuses.join(', ')}`).toBe(true);
  await expect(page.getByRole('heading', { level: 2, name: /^Prescriptions for/ })).toHaveCount(0);
  await screen(page, 'journey-sandbox-unavailable');

  await page.unroute('**/mm/prescriptions**');
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(resultsHeading(page, patient)).toBeFocused();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('tabpanel').getByRole('row')).not.toHaveCount(0);
  await screen(page, 'journey-sandbox-recovered');
});

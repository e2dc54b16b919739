// The widget embedded in a clinical portal (/demo), as the README's
// embedding guide says: one module script, the element with the patient in
// context, and a strict Content Security Policy sent as a header. The
// journey fails on any violation of that policy (see journey.ts).
import { expect, prescriptionHeading, resultsHeading, screen, searchBox, test } from './journey.js';

/** policy is the Content Security Policy the README tells a portal to send. */
const policy =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

test('in the demo portal, under its policy, launched in context: the patient searched, a prescription opened', async ({
  page,
}) => {
  const response = await page.goto('/demo');
  expect(response!.headers()['content-security-policy']).toBe(policy);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Synthetic patient');
  const portalNumber = (await page.locator('.portal-patient dd').first().textContent())!.trim();

  const widget = page.locator('eps-tracker');
  await expect(widget).toHaveAttribute('nhs-number', portalNumber.replaceAll(' ', ''));
  const launched = { nhsNumber: portalNumber.replaceAll(' ', ''), display: portalNumber };
  await expect(resultsHeading(page, launched)).toBeVisible();
  await expect(searchBox(page), 'the number as people read it').toHaveValue(portalNumber);
  await expect(page.getByText(`NHS number ${portalNumber}`, { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Training' })).toContainText('Synthetic patients — not real data');
  await expect(page.getByRole('tabpanel').getByRole('row')).not.toHaveCount(0);
  await screen(page, 'journey-portal-launched');

  const opened = page.evaluate(
    () =>
      new Promise((resolve) =>
        document.addEventListener('eps-tracker-open', (e) => resolve((e as CustomEvent).detail), { once: true }),
      ),
  );
  const first = page.getByRole('tabpanel').getByRole('row').nth(1).getByRole('button');
  const prescriptionId = (await first.textContent())!.split(',')[0]!.trim();
  await first.click();
  expect(await opened, 'what the portal hears').toEqual({ prescriptionId, issueNumber: expect.any(Number) });
  await expect(prescriptionHeading(page, prescriptionId)).toBeFocused();
  await screen(page, 'journey-portal-prescription');
});

import type { CheckResult } from '../../backend/types.js';
import { example, expect, mount, recordEvents, screen, sentEvents, test } from '../../../test/browser.js';

const check = (name: string) => example<CheckResult>(import.meta.url, name);
const tag = 'eps-tracker-search-box';

test('a valid NHS number is recognised, spaced, with no error', async ({ page }) => {
  await mount(page, tag, { value: '9992593407', result: check('check-nhs-number-valid') });
  await expect(page.getByText('NHS number 999 259 3407')).toBeVisible();
  await expect(page.locator('.nhsuk-error-message')).toHaveCount(0);
  await screen(page, 'search-box-valid');
});

test('an unfinished NHS number shows no error while typing, and the error with a summary on Enter', async ({
  page,
}) => {
  await mount(page, tag, { value: '999 259', result: check('check-nhs-number-incomplete') });
  await recordEvents(page, tag, ['eps-tracker-submit']);
  const field = page.getByLabel('NHS number or prescription id');
  await expect(page.locator('.nhsuk-error-message')).toHaveCount(0);
  await field.press('Enter');
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('There is a problem');
  await expect(page.locator('.nhsuk-error-message')).toContainText('needs 10');
  expect(await sentEvents(page)).toEqual([{ type: 'eps-tracker-submit', detail: { value: '999 259' } }]);
  await screen(page, 'search-box-incomplete-submitted');
  await summary.getByRole('link').click();
  await expect(field).toBeFocused();
});

test('a wrong check digit is an error as soon as it is typed', async ({ page }) => {
  await mount(page, tag, { value: '999 259 3408', result: check('check-nhs-number-check-digit') });
  await expect(page.locator('.nhsuk-error-message')).toContainText('check digit');
  await expect(page.getByLabel('NHS number or prescription id')).toHaveAttribute(
    'aria-describedby',
    'eps-search-hint eps-search-error',
  );
  await screen(page, 'search-box-check-digit');
});

test('a word is refused in words', async ({ page }) => {
  await mount(page, tag, { value: 'paracetamol', result: check('check-unrecognised') });
  await expect(page.locator('.nhsuk-error-message')).toContainText('not an NHS number or a prescription id');
  await screen(page, 'search-box-unrecognised');
});

test('an id with O for 0 offers corrections; choosing one looks it up', async ({ page }) => {
  const result = check('check-prescription-id-o-for-0');
  const [best] = result.warnings[0]!.suggestions;
  await mount(page, tag, { value: result.normalized, result });
  await recordEvents(page, tag, ['eps-tracker-input', 'eps-tracker-submit']);
  await screen(page, 'search-box-did-you-mean');
  await page.getByRole('button', { name: `Did you mean ${best}` }).click();
  expect(await sentEvents(page)).toEqual([
    { type: 'eps-tracker-input', detail: { value: best } },
    { type: 'eps-tracker-submit', detail: { value: best } },
  ]);
  await expect(page.getByLabel('NHS number or prescription id')).toHaveValue(best!);
});

test('typing sends every change; a scanner ending with Enter submits what it typed', async ({ page }) => {
  await mount(page, tag);
  await recordEvents(page, tag, ['eps-tracker-input', 'eps-tracker-submit']);
  await page.getByLabel('NHS number or prescription id').pressSequentially('99925', { delay: 0 });
  await page.keyboard.press('Enter');
  const sent = await sentEvents(page);
  expect(sent.filter((e) => e.type === 'eps-tracker-input').map((e) => e.detail)).toEqual(
    ['9', '99', '999', '9992', '99925'].map((value) => ({ value })),
  );
  expect(sent.at(-1)).toEqual({ type: 'eps-tracker-submit', detail: { value: '99925' } });
});

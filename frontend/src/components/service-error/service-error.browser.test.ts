import type { ServiceError } from '../../backend/types.js';
import { example, expect, mount, recordEvents, screen, sentEvents, test } from '../../../test/browser.js';

const failure = (name: string) => example<ServiceError>(import.meta.url, name);
const tag = 'eps-tracker-service-error';

test('a sandbox fault (503) says retrying may help, and offers it', async ({ page }) => {
  const error = failure('error-unavailable');
  await mount(page, tag, { error });
  for (const line of error.message.split('\n')) await expect(page.getByRole('alert')).toContainText(line);
  await screen(page, 'service-error-unavailable');
  await recordEvents(page, tag, ['eps-tracker-retry']);
  await page.getByRole('button', { name: 'Try again' }).click();
  expect(await sentEvents(page)).toEqual([{ type: 'eps-tracker-retry', detail: null }]);
});

test('a prescription Spine does not have: no retry', async ({ page }) => {
  const error = failure('error-not-found');
  await mount(page, tag, { error });
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expect(page.getByRole('button')).toHaveCount(0);
  await screen(page, 'service-error-not-found');
});

test('a query refused before it was sent names the field', async ({ page }) => {
  const error = failure('error-validation');
  await mount(page, tag, { error });
  await expect(page.getByRole('alert')).toContainText(error.fields[0]!.message);
  await screen(page, 'service-error-validation');
});

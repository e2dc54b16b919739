import type { PrescriptionView } from '../../backend/types.js';
import { example, expect, mount, recordEvents, screen, sentEvents, test } from '../../../test/browser.js';

const retrieve = (name: string) => example<PrescriptionView>(import.meta.url, name);
const tag = 'eps-tracker-prescription';

test('an acute prescription: banner, items, organisations; the id copies', async ({ page, context }) => {
  const view = retrieve('retrieve-acute');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await mount(page, tag, { view, back: 'Back to results' });
  await expect(page.getByRole('heading', { level: 2 })).toContainText(view.banner.prescriptionId);
  await expect(page.locator('dl').first()).toContainText(view.banner.status!.label);
  await expect(page.getByRole('heading', { name: /^Item \d/ })).toHaveCount(view.issue.items.length);
  await expect(page.getByText(`ODS code ${view.prescriber!.ods}`)).toBeVisible();
  // Spine's retrieve gave no issue date: no row says so with a dash.
  expect(view.issue.issueDate ?? view.banner.issueDate).toBeNull();
  await expect(page.locator('dt', { hasText: /^Issued$/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Copy id' }).click();
  await expect(page.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(view.banner.prescriptionId);
  await screen(page, 'prescription-acute');

  await recordEvents(page, tag, ['eps-tracker-back']);
  await page.getByRole('button', { name: 'Back to results' }).click();
  expect(await sentEvents(page)).toEqual([{ type: 'eps-tracker-back', detail: {} }]);
});

test('a repeat dispensing course: its timeline picks another issue', async ({ page }) => {
  const view = retrieve('retrieve-repeat-dispensing');
  await mount(page, tag, { view });
  await expect(page.getByText(view.course!.summary)).toBeVisible();
  const steps = page.locator('.eps-timeline li');
  await expect(steps).toHaveCount(view.issues.entries.length);
  await expect(page.locator('dt', { hasText: /^Issued$/ })).toHaveCount(1);
  expect(view.issue.lastDispenseDate).toBeNull();
  await expect(page.locator('.nhsuk-summary-list__row', { hasText: 'Last dispensed' })).toContainText('None recorded');
  await expect(page.locator('.eps-timeline li[aria-current="step"]')).toContainText(view.banner.issueLabel);
  await screen(page, 'prescription-repeat-dispensing');
  const last = view.issues.entries.at(-1)!;
  await recordEvents(page, tag, ['eps-tracker-open']);
  await page.getByRole('button', { name: `Show ${last.label}` }).click();
  expect(await sentEvents(page)).toEqual([
    { type: 'eps-tracker-open', detail: { prescriptionId: view.banner.prescriptionId, issueNumber: last.number } },
  ]);
});

test('an issue still to come', async ({ page }) => {
  await mount(page, tag, { view: retrieve('retrieve-issue-to-come') });
  await screen(page, 'prescription-issue-to-come');
});

test('an issue Spine does not have is said so, with the issues it has', async ({ page }) => {
  const view = retrieve('retrieve-issue-not-found');
  await mount(page, tag, { view });
  await expect(page.getByRole('heading', { name: `Issue ${view.issue.number} not found` })).toBeVisible();
  await expect(page.getByText(view.issue.message)).toBeVisible();
  await expect(page.locator('.eps-timeline li')).toHaveCount(view.issues.entries.length);
  await screen(page, 'prescription-issue-not-found');
});

test("Spine's inconsistencies are a warning", async ({ page }) => {
  const view = retrieve('retrieve-inconsistent');
  await mount(page, tag, { view });
  const warning = page.locator('.nhsuk-card--warning');
  await expect(warning).toContainText("Spine's answer does not add up");
  for (const i of view.inconsistencies) await expect(warning).toContainText(i);
  await screen(page, 'prescription-inconsistent');
});

test('a pending cancellation is explained', async ({ page }) => {
  const view = retrieve('retrieve-pending-cancellation');
  await mount(page, tag, { view });
  await expect(page.locator('.nhsuk-card--warning')).toContainText(view.notices[0]!);
  await screen(page, 'prescription-pending-cancellation');
});

test('a long (R1) id', async ({ page }) => {
  const view = retrieve('retrieve-long-id');
  await mount(page, tag, { view });
  await expect(page.getByText(view.banner.idFormLabel)).toBeVisible();
  await screen(page, 'prescription-long-id');
});

test('printed, it is a clean summary: no buttons', async ({ page }) => {
  await mount(page, tag, { view: retrieve('retrieve-repeat-dispensing'), back: 'Back to results' });
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button')).toHaveCount(0);
  await screen(page, 'prescription-print');
});

test("the prescriber's country is said beside the type, once", async ({ page }) => {
  const typeOf = () => page.locator('.nhsuk-summary-list__row', { hasText: 'Type' }).locator('dd');
  const welsh = retrieve('retrieve-inconsistent');
  expect(welsh.banner.type.label.toLowerCase()).toContain(welsh.banner.type.country.toLowerCase());
  await mount(page, tag, { view: welsh });
  await expect(typeOf()).toHaveText(welsh.banner.type.label);

  const english = retrieve('retrieve-acute');
  await mount(page, tag, { view: english });
  await expect(typeOf()).toHaveText(`${english.banner.type.label}${english.banner.type.country}`);
});

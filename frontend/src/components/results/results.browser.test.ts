import type { SearchView } from '../../backend/types.js';
import { example, expect, mount, recordEvents, screen, sentEvents, test } from '../../../test/browser.js';

const search = (name: string) => example<SearchView>(import.meta.url, name);
const tag = 'eps-tracker-results';

test('grouped results: tabs with counts, one row per issue, arrow keys between tabs', async ({ page }) => {
  const view = search('search-grouped');
  await mount(page, tag, { view });
  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveText(view.groups.map((g) => `${g.title} (${g.count})`));
  await expect(page.getByRole('tab', { selected: true })).toHaveText(/^Current/);
  const current = page.getByRole('tabpanel');
  await expect(current.getByRole('row')).toHaveCount(1 + view.groups[0]!.count);
  await screen(page, 'results-grouped-current');

  await page.getByRole('tab', { selected: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: /^Future/ })).toBeFocused();
  await expect(page.getByRole('tab', { selected: true })).toHaveText(/^Future/);
  const future = view.groups[1]!.rows[0]!;
  await expect(page.getByRole('tabpanel')).toContainText(future.issueLabel);
  await expect(page.getByRole('tabpanel')).toContainText(future.status.label);
  await screen(page, 'results-grouped-future');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { selected: true })).toHaveText(/^Past/);
});

test('columns sort both ways, and say so', async ({ page }) => {
  const view = search('search-many');
  await mount(page, tag, { view });
  const header = page.getByRole('columnheader', { name: 'Items' });
  const items = page.getByRole('tabpanel').locator('tbody tr td:nth-child(5)');
  const counts = view.groups[0]!.rows.map((r) => String(r.items));
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(items).toHaveText([...counts].sort());
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(items).toHaveText([...counts].sort().reverse());
  await screen(page, 'results-many-sorted');
});

test('an issue opens from its row', async ({ page }) => {
  const view = search('search-grouped');
  const row = view.groups[0]!.rows[0]!;
  await mount(page, tag, { view });
  await recordEvents(page, tag, ['eps-tracker-open']);
  await page.getByRole('button', { name: row.prescriptionId }).first().click();
  expect(await sentEvents(page)).toEqual([
    { type: 'eps-tracker-open', detail: { prescriptionId: row.prescriptionId, issueNumber: row.issueNumber } },
  ]);
});

test('nothing found: the guidance is open, and offers the searches that look further', async ({ page }) => {
  const view = search('search-empty');
  await mount(page, tag, { view });
  await recordEvents(page, tag, ['eps-tracker-search']);
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expect(page.locator('details')).toHaveAttribute('open', '');
  for (const g of view.guidance) await expect(page.locator('details')).toContainText(g.message);
  await screen(page, 'results-empty');
  const first = view.guidance.find((g) => g.try)!;
  await page.getByRole('button', { name: first.tryLabel }).click();
  expect(await sentEvents(page)).toEqual([{ type: 'eps-tracker-search', detail: { query: first.try } }]);
});

test('a filtered search says what it kept, and why others may be missing', async ({ page }) => {
  const view = search('search-filtered');
  await mount(page, tag, { view });
  await expect(page.getByText(`Only those with ${view.filter!.description}.`)).toBeVisible();
  await expect(page.locator('details')).toHaveAttribute('open', '');
  await screen(page, 'results-filtered');
});

test('a pending cancellation is flagged on its row and explained', async ({ page }) => {
  const view = search('search-pending-cancellation');
  await mount(page, tag, { view });
  await expect(page.getByText('Cancellation pending', { exact: true })).toBeVisible();
  await expect(page.locator('.nhsuk-card--warning')).toContainText(view.notices[0]!);
  await expect(page.locator('details')).not.toHaveAttribute('open', '');
  await screen(page, 'results-pending-cancellation');
});

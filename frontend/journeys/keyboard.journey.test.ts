// The whole journey with the keyboard alone, as a person who cannot use a
// mouse (or a barcode scanner, which types and presses Enter) does it: no
// click anywhere.
import {
  expect,
  prescriptionHeading,
  resultsHeading,
  rowOf,
  screen,
  searchBox,
  tabTo,
  test,
  waitForCore,
} from './journey.js';

test('keyboard only: / to the search box, Enter to search, Tab to a row, Enter to open it, Escape back', async ({
  page,
  subjects,
}) => {
  const { patient, prescriptionId, issueNumber, issueCount } = subjects.course;
  await page.goto('/');
  await waitForCore(page);

  await page.keyboard.press('/');
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.type(patient.display);
  await page.keyboard.press('Enter');
  await expect(resultsHeading(page, patient)).toBeFocused();
  await screen(page, 'journey-keyboard-results');

  const current = page.getByRole('tab', { name: /^Current/ });
  await tabTo(page, current);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: /^Future/ })).toBeFocused();
  await expect(page.getByRole('tab', { name: /^Future/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(current).toBeFocused();
  await expect(current).toHaveAttribute('aria-selected', 'true');

  const row = rowOf(page, prescriptionId, issueNumber, issueCount);
  await tabTo(page, row);
  await screen(page, 'journey-keyboard-row');
  await page.keyboard.press('Enter');
  await expect(prescriptionHeading(page, prescriptionId)).toBeFocused();

  const next = issueNumber + 1;
  await tabTo(page, page.getByRole('button', { name: `Show Issue ${next} of ${issueCount}` }), 40);
  await page.keyboard.press('Enter');
  await expect(page.locator('ol.eps-timeline > li').nth(next - 1)).toHaveAttribute('aria-current', 'step');
  await expect(prescriptionHeading(page, prescriptionId)).toBeFocused();
  await screen(page, 'journey-keyboard-next-issue');

  await page.keyboard.press('Escape');
  await expect(resultsHeading(page, patient)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(searchBox(page)).toBeFocused();
  await expect(searchBox(page)).toHaveValue(patient.display);
  await screen(page, 'journey-keyboard-back-to-start');

  await page.keyboard.press('Tab');
  await page.keyboard.press('/');
  await expect(searchBox(page), '/ from anywhere but a text field').toBeFocused();
});

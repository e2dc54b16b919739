// Searching a patient's prescriptions in the full-page app, as a pharmacist
// at the counter does, answered by the training sandbox inside the core.
import {
  coreCalls,
  countCoreCalls,
  expect,
  prescriptionHeading,
  resultsHeading,
  rowOf,
  screen,
  searchBox,
  test,
  waitForCore,
} from './journey.js';

test('a valid NHS number: the prescriptions, grouped current, future and past, under the training banner', async ({
  page,
  subjects,
}) => {
  const patient = subjects.grouped;
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Track an electronic prescription');
  await screen(page, 'journey-start');

  await searchBox(page).fill(patient.display);
  await expect(page.getByText(`NHS number ${patient.display}`)).toBeVisible();
  await screen(page, 'journey-nhs-number-recognised');
  await searchBox(page).press('Enter');

  await expect(resultsHeading(page, patient)).toBeFocused();
  await expect(page.getByRole('region', { name: 'Training' })).toContainText('Synthetic patients — not real data');
  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveText([/^Current \(\d+\)/, /^Future \(\d+\)/, /^Past \(\d+\)/]);
  await expect(page.getByRole('tabpanel')).toBeVisible();
  await expect(page.getByRole('tabpanel').getByRole('row')).not.toHaveCount(0);
  await screen(page, 'journey-results-current');
  for (const group of ['Future', 'Past']) {
    await tabs.filter({ hasText: group }).click();
    await expect(page.getByRole('tabpanel')).toContainText(group);
    await screen(page, `journey-results-${group.toLowerCase()}`);
  }
});

test('an empty result: none found, and the guidance says why and offers the searches that look further', async ({
  page,
  subjects,
}) => {
  const patient = subjects.empty;
  await page.goto('/');
  await searchBox(page).fill(patient.display);
  await searchBox(page).press('Enter');
  await expect(resultsHeading(page, patient)).toBeFocused();
  await expect(page.getByText(/None found, issued /)).toBeVisible();
  const guidance = page.locator('details', { hasText: "Why isn't a prescription here?" });
  await expect(guidance).toHaveAttribute('open', '');
  const further = guidance.getByRole('button', { name: /^Search / });
  await expect(further).not.toHaveCount(0);
  await screen(page, 'journey-empty');

  const earlier = guidance.getByRole('button', { name: /^Search from / });
  const from = (await earlier.textContent())!.trim().replace('Search from ', '');
  await earlier.click();
  await expect(resultsHeading(page, patient)).toBeFocused();
  await expect(page.getByText(`None found, issued ${from} to `)).toBeVisible();
  await screen(page, 'journey-empty-searched-further');
});

test('a repeat dispensing course: the issue picker and the timeline, another issue picked from it', async ({
  page,
  subjects,
}) => {
  const { patient, prescriptionId, issueNumber, issueCount } = subjects.course;
  await page.goto('/');
  await searchBox(page).fill(patient.display);
  await searchBox(page).press('Enter');
  await expect(resultsHeading(page, patient)).toBeFocused();
  await rowOf(page, prescriptionId, issueNumber, issueCount).click();

  await expect(prescriptionHeading(page, prescriptionId)).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Repeat dispensing course' })).toBeVisible();
  const timeline = page.locator('ol.eps-timeline > li');
  await expect(timeline).toHaveCount(issueCount);
  await expect(timeline.nth(issueNumber - 1)).toHaveAttribute('aria-current', 'step');
  await screen(page, 'journey-course');

  const next = issueNumber + 1;
  await page.getByRole('button', { name: `Show Issue ${next} of ${issueCount}` }).click();
  await expect(timeline.nth(next - 1)).toHaveAttribute('aria-current', 'step');
  await expect(page.getByText(`Issue ${next} of ${issueCount}`).first()).toBeVisible();
  await screen(page, 'journey-course-next-issue');

  await page.getByRole('button', { name: 'Back to results' }).click();
  await expect(resultsHeading(page, patient)).toBeFocused();
});

test('a mistyped NHS number: the error on the field, and nothing is asked of the core or the network', async ({
  page,
  subjects,
}) => {
  await countCoreCalls(page);
  await page.goto('/');
  await waitForCore(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));

  const mistyped = swapLastDigits(subjects.grouped.display);
  await searchBox(page).fill(mistyped);
  await searchBox(page).press('Enter');
  const error = page.locator('eps-tracker-search-box .nhsuk-error-message');
  await expect(error).toContainText('check digit');
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary, 'the error summary, so that a screen reader says it').toBeFocused();
  await expect(summary.getByRole('link', { name: /check digit/ })).toBeVisible();
  await expect(searchBox(page)).toHaveAttribute('aria-describedby', /eps-search-error/);
  await screen(page, 'journey-mistyped');

  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(error).toContainText('check digit');
  expect(await coreCalls(page), 'searches and retrieves asked of the core').toEqual([]);
  expect(requests, 'requests the page made').toEqual([]);
  await expect(page.getByRole('heading', { level: 2, name: /^Prescriptions for/ })).toHaveCount(0);

  await summary.getByRole('link').click();
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.type(subjects.grouped.display);
  await page.keyboard.press('Enter');
  await expect(resultsHeading(page, subjects.grouped)).toBeFocused();
  await expect(error).toHaveCount(0);
  expect(await coreCalls(page), 'corrected, it is searched, once').toEqual(['search']);
});

test('a prescription id with the letter O for a zero: "Did you mean", a click, and the prescription', async ({
  page,
  subjects,
}) => {
  const { prescriptionId } = subjects.course;
  const typed = prescriptionId.replace('0', 'O');
  await page.goto('/');
  await searchBox(page).fill(typed);
  const meant = page.getByRole('button', { name: `Did you mean ${prescriptionId}`, exact: true });
  await expect(meant).toBeVisible();
  await expect(page.getByText('Did you mean:')).toBeVisible();
  await screen(page, 'journey-did-you-mean');

  await meant.click();
  await expect(prescriptionHeading(page, prescriptionId)).toBeVisible();
  await expect(searchBox(page)).toHaveValue(prescriptionId);
  await screen(page, 'journey-did-you-mean-opened');
});

/** swapLastDigits is an NHS number with its last two digits typed the wrong way round. */
function swapLastDigits(display: string): string {
  const [a, b] = [display.at(-2)!, display.at(-1)!];
  if (a === b) throw new Error(`${display} ends in two equal digits: swapping them changes nothing`);
  return display.slice(0, -2) + b + a;
}

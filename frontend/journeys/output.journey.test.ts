// What leaves the screen: a printed page, and the current view saved as a
// CSV or a JSON file (made in the page, from the view it shows: nothing is
// sent anywhere).
import type { Download, Page } from '@playwright/test';
import type { PrescriptionView, SearchView } from '../src/backend/types.js';
import {
  expect,
  prescriptionHeading,
  resultsHeading,
  rowOf,
  screen,
  searchBox,
  test,
  type Patient,
} from './journey.js';

/** search looks patient up from the search box, and waits for the results. */
async function search(page: Page, patient: Patient): Promise<void> {
  await page.goto('/');
  await searchBox(page).fill(patient.display);
  await searchBox(page).press('Enter');
  await expect(resultsHeading(page, patient)).toBeFocused();
}

/** save clicks the button named name, and resolves with the file the browser saved, and its text. */
async function save(page: Page, name: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const chunks = await (await file.createReadStream()).toArray();
  return { file, text: Buffer.concat(chunks).toString('utf8') };
}

/** cells reads CSV text as csv() writes it: every cell quoted, CRLF, a byte-order mark. */
function cells(text: string): string[][] {
  expect(text.startsWith('\uFEFF'), 'a byte-order mark, for spreadsheets').toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(1, -2)
    .split('\r\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => m[1]!.replaceAll('""', '"')));
}

/** core asks the page's core directly, as the widget does, for the view to compare a file with. */
function core<T>(page: Page, method: 'search' | 'retrieve', query: object): Promise<T> {
  return page.evaluate(
    async ([method, query]) => JSON.parse(await globalThis.epsTrackerCore![method](JSON.stringify(query))) as T,
    [method, query] as const,
  );
}

test('printed, a prescription and the results are clean summaries: no search box, no buttons, the banner kept', async ({
  page,
  subjects,
}) => {
  const { patient, prescriptionId, issueNumber, issueCount } = subjects.course;
  await search(page, patient);
  await rowOf(page, prescriptionId, issueNumber, issueCount).click();
  await expect(prescriptionHeading(page, prescriptionId)).toBeFocused();
  await page.mouse.move(0, 0); // no hover on what is printed

  await page.emulateMedia({ media: 'print' });
  await expect(searchBox(page)).toBeHidden();
  await expect(page.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('contentinfo')).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 }), "the page's own title").toBeHidden();
  await expect(page.getByRole('region', { name: 'Training' })).toBeVisible();
  await expect(prescriptionHeading(page, prescriptionId)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Repeat dispensing course' })).toBeVisible();
  await screen(page, 'journey-print-prescription');

  await page.emulateMedia({ media: 'screen' });
  await page.keyboard.press('Escape');
  await expect(resultsHeading(page, patient)).toBeFocused();
  await page.emulateMedia({ media: 'print' });
  await expect(searchBox(page)).toBeHidden();
  await expect(page.getByRole('tab')).toHaveCount(0);
  for (const name of ['Download CSV', 'Download JSON', 'Print']) {
    await expect(page.getByRole('button', { name })).toBeHidden();
  }
  for (const group of ['Current', 'Future', 'Past']) {
    await expect(page.getByRole('heading', { level: 3, name: group }), 'every group printed').toBeVisible();
  }
  const column = page.getByRole('button', { name: 'Issued' }).first();
  for (const ink of [column, rowOf(page, prescriptionId, issueNumber, issueCount)]) {
    await expect(ink, 'printed as text, not as a link').toHaveCSS('color', 'rgb(33, 43, 50)');
    await expect(ink, 'printed as text, not as a link').toHaveCSS('text-decoration-line', 'none');
  }
  await screen(page, 'journey-print-results');
});

test('the results and a prescription download as CSV and as JSON, each what the screen shows', async ({
  page,
  subjects,
}) => {
  const { patient, prescriptionId, issueNumber, issueCount } = subjects.course;
  await search(page, patient);
  const shown = await core<SearchView>(page, 'search', { nhsNumber: patient.nhsNumber });

  const json = await save(page, 'Download JSON');
  expect(json.file.suggestedFilename()).toMatch(/^eps-tracker-prescriptions-\d{4}-\d{2}-\d{2}\.json$/);
  expect(JSON.parse(json.text)).toEqual({ ...shown, traceId: expect.stringMatching(/^ept-/) });

  const csv = await save(page, 'Download CSV');
  expect(csv.file.suggestedFilename()).toMatch(/^eps-tracker-prescriptions-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...rows] = cells(csv.text);
  expect(header).toEqual([
    'NHS number',
    'Group',
    'Prescription id',
    'Issue',
    'Issued',
    'Status',
    'Spine status',
    'Treatment',
    'Items',
    'Cancellation pending',
    'Last event',
  ]);
  const issues = shown.groups.flatMap((g) =>
    g.rows.map((r) => [g.title, r.prescriptionId, r.issueLabel, r.status.label]),
  );
  expect(rows.map((r) => [r[1], r[2], r[3], r[5]])).toEqual(issues);
  expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([patient.nhsNumber]));

  await rowOf(page, prescriptionId, issueNumber, issueCount).click();
  await expect(prescriptionHeading(page, prescriptionId)).toBeFocused();
  const opened = await core<PrescriptionView>(page, 'retrieve', { prescriptionId, issueNumber: String(issueNumber) });
  const saved = await save(page, 'Download JSON');
  expect(saved.file.suggestedFilename()).toMatch(/^eps-tracker-prescription-\d{4}-\d{2}-\d{2}\.json$/);
  expect(JSON.parse(saved.text)).toEqual({ ...opened, traceId: expect.stringMatching(/^ept-/) });
  const fields = new Map(cells((await save(page, 'Download CSV')).text).map(([field, value]) => [field, value]));
  expect(fields.get('Prescription id')).toBe(prescriptionId);
  expect(fields.get('NHS number')).toBe(patient.nhsNumber);
  expect(fields.get('Issue')).toBe(`Issue ${issueNumber} of ${issueCount}`);
  expect(fields.get('Treatment')).toBe('Repeat dispensing');
  await screen(page, 'journey-downloaded');
});

import type { CheckResult, PrescriptionView, SearchView, ServiceError } from '../../backend/types.js';
import { asked, example, expect, mountWidget, screen, test, type Replay } from '../../../test/browser.js';

const from = (component: string) => new URL(`../${component}/x.browser.test.ts`, import.meta.url).href;
const check = (name: string) => example<CheckResult>(from('search-box'), name);
const search = (name: string) => example<SearchView>(from('results'), name);
const retrieve = (name: string) => example<PrescriptionView>(from('prescription'), name);
const failure = (name: string) => example<ServiceError>(from('service-error'), name);

const grouped = search('search-grouped');
const erd = retrieve('retrieve-repeat-dispensing');
const nhs = grouped.patient.nhsNumber;
const replay: Replay = {
  settings: { gatewayUrl: '', source: grouped.source },
  checks: {
    '*': check('check-nhs-number-incomplete'),
    [grouped.patient.display]: check('check-nhs-number-valid'),
    [nhs]: check('check-nhs-number-valid'),
  },
  searches: { [nhs]: [grouped] },
  retrieves: { [`${erd.banner.prescriptionId}#2`]: [erd] },
};

test('launched in context with an NHS number, it searches at once, under the training banner', async ({ page }) => {
  await mountWidget(page, { 'nhs-number': nhs }, replay);
  await expect(page.getByRole('heading', { name: `Prescriptions for NHS number ${grouped.patient.display}` })).toBeVisible();
  await expect(page.getByLabel('NHS number or prescription id'), 'the number as people read it').toHaveValue(grouped.patient.display);
  await expect(page.getByRole('region', { name: 'Training' })).toContainText(grouped.source.notice);
  expect(await asked(page)).toEqual([{ search: { nhsNumber: nhs } }]);
  await screen(page, 'eps-tracker-launched');
});

test('keyboard only: / to the box, type, Enter, open an issue, Escape back', async ({ page }) => {
  await mountWidget(page, {}, replay);
  const opened = page.evaluate(
    () =>
      new Promise((resolve) =>
        document.querySelector('eps-tracker')!.addEventListener('eps-tracker-open', (e) => resolve((e as CustomEvent).detail)),
      ),
  );
  await page.locator('body').press('/');
  const box = page.getByLabel('NHS number or prescription id');
  await expect(box).toBeFocused();
  await page.keyboard.type(grouped.patient.display);
  await expect(page.getByText(`NHS number ${grouped.patient.display}`)).toBeVisible();
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { name: /^Prescriptions for NHS number/ });
  await expect(heading).toBeFocused();
  await screen(page, 'eps-tracker-results');

  await page
    .getByRole('button', { name: erd.banner.prescriptionId })
    .filter({ hasText: erd.banner.issueLabel })
    .focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(erd.banner.prescriptionId) })).toBeFocused();
  expect(await opened).toEqual({ prescriptionId: erd.banner.prescriptionId, issueNumber: 2 });
  await screen(page, 'eps-tracker-prescription');

  await page.keyboard.press('Escape');
  await expect(heading).toBeFocused();
});

test('a mistyped NHS number: the error on the field, and nothing is sent', async ({ page }) => {
  await mountWidget(page, {}, { ...replay, checks: { '*': check('check-nhs-number-check-digit') } });
  const box = page.getByLabel('NHS number or prescription id');
  await box.fill('999 259 3408');
  await box.press('Enter');
  await expect(page.locator('eps-tracker-search-box .nhsuk-error-message')).toContainText('check digit');
  expect(await asked(page)).toEqual([]);
  await screen(page, 'eps-tracker-mistyped');
});

test('a sandbox fault (503): the error says retrying may help, and Try again does', async ({ page }) => {
  await mountWidget(page, {}, { ...replay, searches: { [nhs]: [failure('error-unavailable'), grouped] } });
  const box = page.getByLabel('NHS number or prescription id');
  await box.fill(grouped.patient.display);
  await box.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Try again in a few minutes');
  await screen(page, 'eps-tracker-unavailable');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: /^Prescriptions for NHS number/ })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the current view downloads as CSV and as JSON', async ({ page }) => {
  await mountWidget(page, { 'nhs-number': nhs }, replay);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^eps-tracker-prescriptions-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await (await csv.createReadStream()).toArray();
  expect(Buffer.concat(text).toString('utf8')).toContain(grouped.groups[0]!.rows[0]!.prescriptionId);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  const saved = JSON.parse(Buffer.concat(await (await json.createReadStream()).toArray()).toString('utf8'));
  expect(saved).toEqual(grouped);
});

test("the host page's CSS cannot reach inside", async ({ page }) => {
  await mountWidget(page, { 'nhs-number': nhs }, replay);
  await page.addStyleTag({ url: '/test/hostile.css' });
  const looks = await page.evaluate(() => {
    const root = document.querySelector('eps-tracker')!.shadowRoot!;
    const results = root.querySelector('eps-tracker-results')!.shadowRoot!;
    const style = getComputedStyle(results.querySelector('h2')!);
    return { font: style.fontFamily, colour: style.color, table: getComputedStyle(results.querySelector('table')!).display };
  });
  expect(looks).toEqual({ font: 'arial, sans-serif', colour: 'rgb(33, 43, 50)', table: 'table' });
  await screen(page, 'eps-tracker-hostile-page');
});

test("signed in: each lookup asks the host page for the caller's token, and the gateway is sent it", async ({ page }) => {
  await mountWidget(page, {}, replay);
  await page.evaluate(() => {
    let n = 0;
    document.querySelector('eps-tracker')!.getToken = async () => `token-${++n}`;
  });
  const box = page.getByLabel('NHS number or prescription id');
  await box.fill(grouped.patient.display);
  await box.press('Enter');
  await expect(page.getByRole('heading', { name: /^Prescriptions for NHS number/ })).toBeFocused();
  await page.getByRole('button', { name: erd.banner.prescriptionId }).filter({ hasText: erd.banner.issueLabel }).click();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(erd.banner.prescriptionId) })).toBeFocused();
  expect(await asked(page)).toEqual([
    { search: { nhsNumber: nhs }, token: 'token-1' },
    { retrieve: { prescriptionId: erd.banner.prescriptionId, issueNumber: '2' }, token: 'token-2' },
  ]);

  await page.evaluate(() => {
    const element = document.querySelector('eps-tracker')!;
    element.getToken = null;
    element.token = 'the-token';
  });
  await page.keyboard.press('Escape');
  await box.press('Enter');
  await expect(page.getByRole('heading', { name: /^Prescriptions for NHS number/ })).toBeFocused();
  expect((await asked(page)).at(-1)).toEqual({ search: { nhsNumber: nhs }, token: 'the-token' });
});

test('a sign-in the host page cannot give: a plain error, nothing asked, and Try again asks again', async ({ page }) => {
  await mountWidget(page, {}, replay);
  await page.evaluate(() => {
    let signedIn = false;
    Object.assign(window, { signIn: () => (signedIn = true) });
    document.querySelector('eps-tracker')!.getToken = () => {
      if (!signedIn) throw new Error('you were signed out');
      return 'a-token';
    };
  });
  const box = page.getByLabel('NHS number or prescription id');
  await box.fill(grouped.patient.display);
  await box.press('Enter');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    'The portal could not give EPS Tracker your sign-in (you were signed out). Sign in to the portal again, then try again.',
  );
  expect(await asked(page)).toEqual([]);
  await screen(page, 'eps-tracker-signed-out');

  await page.evaluate(() => (window as unknown as { signIn(): void }).signIn());
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: /^Prescriptions for NHS number/ })).toBeVisible();
  expect(await asked(page)).toEqual([{ search: { nhsNumber: nhs }, token: 'a-token' }]);
});

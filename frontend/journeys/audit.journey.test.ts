// The demo portal's whole flow, as a trust's portal would have it: the
// portal signs the person in and hands the widget a token for each lookup;
// the widget asks the server's gateway with it; the gateway asks the
// sandbox, and records who looked up whom in its audit store before it
// answers. The server here keeps an audit store of its own (--audit-db,
// the site's key in its environment), read back as an investigator would,
// with eps-tracker audit search.
import type { Page, Request } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { program, serve, type Server } from '../test/serve.js';
import { expect, prescriptionHeading, resultsHeading, screen, searchBox, test as journey } from './journey.js';

/** The site's audit key, for these journeys only. */
const auditKey = 'the audit key of the journeys through the gateway';

/** policy is the Content Security Policy the README tells a portal to send. */
const policy =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The demo sign-in's synthetic user, as its tokens name it (internal/demoidp). */
const signedIn = { issuer: 'urn:eps-tracker:demo-sign-in', userId: '900000000001', roleProfileId: '900000000002' };

/** Audited is a server that keeps an audit store. */
interface Audited extends Server {
  /** db is its audit store. */
  db: string;
}

/** Entry is a record as eps-tracker audit search --json prints it. */
interface Entry {
  seq: number;
  issuer: string;
  subject: string;
  userId: string;
  roleProfileId: string;
  kind: string;
  patientMasked: string;
  outcome: string;
  httpStatus: number;
  traceId: string;
}

const test = journey.extend<object, { audited: Audited }>({
  audited: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'eps-tracker-audit-'));
      const db = join(dir, 'audit.db');
      const server = await serve(['--audit-db', db], { EPS_TRACKER_AUDIT_KEY: auditKey });
      await use({ ...server, db });
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

/** audit runs eps-tracker audit with args and the site's key, as an investigator does. */
async function audit(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(program, ['audit', ...args], {
    env: { ...process.env, EPS_TRACKER_AUDIT_KEY: auditKey },
  });
  return stdout;
}

/** lookupsOf are the gateway's records of lookups of one patient (--nhs-number) or prescription (--prescription-id). */
async function lookupsOf(db: string, flag: string, id: string): Promise<Entry[]> {
  return JSON.parse(await audit('search', '--db', db, flag, id, '--json')) as Entry[];
}

/** lookups keeps every request the page sends to the gateway. */
function lookups(page: Page): Request[] {
  const sent: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/mm/prescriptions')) sent.push(r);
  });
  return sent;
}

/** traceOf is the trace id of the gateway's answer to r. */
async function traceOf(r: Request): Promise<string> {
  const response = await r.response();
  expect(response?.status(), `the gateway's answer to ${new URL(r.url()).pathname}`).toBe(200);
  return (await response!.headerValue('x-request-id')) ?? '';
}

test('the demo portal signed in: the widget asks the gateway with the sign-in token, and each lookup is in the audit store', async ({
  page,
  audited,
}) => {
  const sent = lookups(page);
  const response = await page.goto(`${audited.url}/demo`);
  expect(response!.headers()['content-security-policy']).toBe(policy);
  const portalNumber = (await page.locator('.portal-patient dd').first().textContent())!.trim();
  const patient = { nhsNumber: portalNumber.replaceAll(' ', ''), display: portalNumber };
  await expect(page.locator('eps-tracker')).toHaveAttribute('gateway', '/mm/prescriptions');
  await expect(resultsHeading(page, patient)).toBeVisible();
  await expect(searchBox(page)).toHaveValue(portalNumber);
  await expect(page.getByRole('region', { name: 'Training' })).toContainText('Synthetic patients — not real data');
  await expect(page.getByRole('tabpanel').getByRole('row')).not.toHaveCount(0);
  await screen(page, 'journey-portal-signed-in');

  expect(sent.length, 'the search went to the gateway').toBe(1);
  expect(await sent[0]!.headerValue('authorization')).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const searched = await traceOf(sent[0]!);

  const first = page.getByRole('tabpanel').getByRole('row').nth(1).getByRole('button');
  const prescriptionId = (await first.textContent())!.split(',')[0]!.trim();
  await first.click();
  await expect(prescriptionHeading(page, prescriptionId)).toBeFocused();
  await screen(page, 'journey-portal-signed-in-prescription');
  const retrieves = sent.filter((r) => new URL(r.url()).pathname !== '/mm/prescriptions');
  expect(retrieves.length, 'the prescription was asked of the gateway').toBeGreaterThan(0);
  for (const r of retrieves) expect(await r.headerValue('authorization')).toMatch(/^Bearer /);
  const retrieved = await traceOf(retrieves.at(-1)!);

  const searches = await lookupsOf(audited.db, '--nhs-number', patient.nhsNumber);
  expect(searches.find((e) => e.traceId === searched), 'the search, in the audit store').toMatchObject({
    ...signedIn,
    subject: signedIn.userId,
    kind: 'search',
    patientMasked: `*** *** ${patient.nhsNumber.slice(-4)}`,
    outcome: '0',
    httpStatus: 200,
  });
  const opened = await lookupsOf(audited.db, '--prescription-id', prescriptionId);
  expect(opened.find((e) => e.traceId === retrieved), 'the prescription opened, in the audit store').toMatchObject({
    ...signedIn,
    kind: 'retrieve',
    outcome: '0',
    httpStatus: 200,
  });
  expect(await audit('verify', '--db', audited.db)).toContain('all intact');
});

test.describe('a sign-in the gateway refuses', () => {
  // The browser logs the refused answer to the console itself.
  test.use({ expectedConsoleErrors: [/status of 401 \(Unauthorized\)/] });

  test('a plain error that says to sign in again; signed in again, Try again finds the prescriptions, recorded', async ({
    page,
    audited,
  }) => {
    const sent = lookups(page);
    // The portal's sign-in gives a token the gateway cannot verify, one
    // that has run out, say, and is asked again for the next lookup.
    const unverifiable = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJubyBvbmUifQ.c2lnbmF0dXJl';
    await page.route('**/demo/token', (route) =>
      route.fulfill({ json: { token: unverifiable, expiresAt: new Date().toISOString() } }),
    );
    await page.goto(`${audited.url}/demo`);
    const alert = page.getByRole('alert');
    await expect(page.locator('eps-tracker-service-error .nhsuk-error-summary'), 'the message, read next').toBeFocused();
    await expect(alert).toContainText(
      'Your sign-in was not accepted (HTTP 401): it may have expired. Sign in to the portal again, then try again.',
    );
    await expect(page.getByRole('heading', { level: 2, name: /^Prescriptions for/ })).toHaveCount(0);
    await screen(page, 'journey-portal-sign-in-refused');
    expect(sent.length, 'a refused sign-in is not tried again by itself').toBe(1);
    expect((await sent[0]!.response())?.status()).toBe(401);

    await page.unroute('**/demo/token');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /^Prescriptions for/ })).toBeFocused();
    await expect(page.getByRole('alert')).toHaveCount(0);

    const nhsNumber = (await page.locator('eps-tracker').getAttribute('nhs-number'))!;
    const trace = await traceOf(sent.at(-1)!);
    const searches = await lookupsOf(audited.db, '--nhs-number', nhsNumber);
    expect(searches.find((e) => e.traceId === trace), 'the search signed in again, in the audit store').toMatchObject({
      ...signedIn,
      outcome: '0',
    });
  });
});

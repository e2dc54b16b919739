// What every journey shares: the real eps-tracker program serving the app
// on a free loopback port (one per worker, started here and stopped when
// the worker ends), a page that fails the journey on a console error or a
// Content Security Policy violation, and the synthetic patients the
// journeys use, found by asking the real core.
import type { Browser, Locator, Page } from '@playwright/test';
import type { SearchView } from '../src/backend/types.js';
import { expect, test as base } from '../test/browser.js';
import { serve, type Server } from '../test/serve.js';

export { expect, screen } from '../test/browser.js';

/** Patient is a synthetic patient of the training sandbox. */
export interface Patient {
  nhsNumber: string;
  display: string;
}

/** Course is one issue of a repeat dispensing course with issues still to come. */
export interface Course {
  patient: Patient;
  prescriptionId: string;
  issueNumber: number;
  issueCount: number;
}

/**
 * Subjects are the patients the journeys follow, found in the training
 * sandbox as the core makes it today, so that they hold whatever day the
 * journeys run on.
 */
export interface Subjects {
  /** grouped has prescriptions in the most groups, current, future and past. */
  grouped: Patient;
  /** empty has no prescriptions at all. */
  empty: Patient;
  /** course is the current issue of a repeat dispensing course with issues to come, its id holding a 0. */
  course: Course;
}

/** findSubjects asks the core of a page of server for every patient's prescriptions, and picks. */
async function findSubjects(browser: Browser, server: Server): Promise<Subjects> {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/`);
    await waitForCore(page);
    const views = await page.evaluate(async () => {
      const core = globalThis.epsTrackerCore!;
      const { patients } = JSON.parse(await core.patients()) as { patients: { nhsNumber: string }[] };
      const search = async (nhsNumber: string) => JSON.parse(await core.search(JSON.stringify({ nhsNumber })));
      return Promise.all(patients.map((p) => search(p.nhsNumber) as Promise<SearchView>));
    });
    const groupsOf = (v: SearchView) => v.groups.filter((g) => g.rows.length > 0).length;
    const grouped = views.reduce((best, v) => (groupsOf(v) > groupsOf(best) ? v : best));
    const empty = views.find((v) => v.empty);
    const course = views
      .flatMap((v) => v.groups.flatMap((g) => g.rows.map((row) => ({ view: v, row }))))
      .find(
        ({ row }) =>
          row.treatment.code === '0003' &&
          row.currentIssue &&
          row.issueNumber < row.issueCount &&
          row.prescriptionId.includes('0'),
      );
    if (!empty || !course) {
      throw new Error('the training sandbox has no patient without prescriptions, or no repeat dispensing course to come');
    }
    return {
      grouped: grouped.patient,
      empty: empty.patient,
      course: {
        patient: course.view.patient,
        prescriptionId: course.row.prescriptionId,
        issueNumber: course.row.issueNumber,
        issueCount: course.row.issueCount,
      },
    };
  } finally {
    await page.close();
  }
}

/** waitForCore resolves when the page's <eps-tracker> has loaded the core. */
export async function waitForCore(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await customElements.whenDefined('eps-tracker');
    await document.querySelector('eps-tracker')!.ready;
  });
}

interface WorkerFixtures {
  server: Server;
  subjects: Subjects;
}

/**
 * test is a journey: its page is served by the real eps-tracker serve, and
 * it fails on a console error it did not expect or on any Content Security
 * Policy violation, reported by the page itself (securitypolicyviolation).
 */
export const test = base.extend<object, WorkerFixtures>({
  server: [
    async ({}, use) => {
      // --faults: a journey may ask the sandbox for a failure (nothing else
      // sends the Sandbox-Fault header that chooses it).
      const server = await serve(['--faults']);
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  subjects: [async ({ browser, server }, use) => use(await findSubjects(browser, server)), { scope: 'worker' }],
  baseURL: async ({ server }, use) => use(server.url),
  page: async ({ page }, use) => {
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener(
        'securitypolicyviolation',
        (e) => {
          const report = (window as unknown as { reportViolation(v: string): Promise<void> }).reportViolation;
          void report(`${e.effectiveDirective} refused ${e.blockedURI}`);
        },
        true,
      );
    });
    await use(page);
    expect(violations, 'Content Security Policy violations').toEqual([]);
  },
});

/** searchBox is the one search box. */
export const searchBox = (page: Page) => page.getByLabel('NHS number or prescription id');

/** resultsHeading is the heading of the results for patient. */
export const resultsHeading = (page: Page, patient: Patient) =>
  page.getByRole('heading', { level: 2, name: new RegExp(`^Prescriptions for NHS number ${patient.display}`) });

/** rowOf is the button that opens this issue of a prescription from the results. */
export const rowOf = (page: Page, id: string, issueNumber: number, issueCount: number) =>
  page.getByRole('button', { name: new RegExp(`^${id} ?, Issue ${issueNumber} of ${issueCount}$`) });

/** prescriptionHeading is the heading of the prescription with this id. */
export const prescriptionHeading = (page: Page, id: string) =>
  page.getByRole('heading', { level: 2, name: new RegExp(id) });

/**
 * withGateway puts, in place of the page's <eps-tracker>, one whose gateway
 * is this server (its sandbox at /mm/prescriptions, reached with fetch), as
 * a portal would, and resolves when it is ready.
 */
export async function withGateway(page: Page): Promise<void> {
  await waitForCore(page);
  await page.evaluate(async () => {
    const element = document.createElement('eps-tracker');
    element.setAttribute('gateway', location.origin);
    const ready = new Promise((resolve) => element.addEventListener('ready', resolve, { once: true }));
    document.querySelector('eps-tracker')!.replaceWith(element);
    await ready;
  });
}

/**
 * countCoreCalls counts, from the page's first script on, every search and
 * retrieve the page asks of the core, as coreCalls returns them: the
 * training sandbox answers inside the core, so nothing reaches the network
 * and this is where a lookup would show.
 */
export async function countCoreCalls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: string[] = [];
    let core: Record<string, (...args: unknown[]) => unknown> | undefined;
    Object.assign(window, { coreCalls: calls });
    Object.defineProperty(globalThis, 'epsTrackerCore', {
      configurable: true,
      get: () => core,
      set: (value: Record<string, (...args: unknown[]) => unknown>) => {
        for (const name of ['search', 'retrieve']) {
          const method = value[name]!;
          value[name] = (...args: unknown[]) => (calls.push(name), method.apply(value, args));
        }
        core = value;
      },
    });
  });
}

/** coreCalls are the lookups countCoreCalls has seen, by method name. */
export const coreCalls = (page: Page) => page.evaluate(() => (window as unknown as { coreCalls: string[] }).coreCalls);

/**
 * tabTo presses Tab, as a person at a keyboard does, until target has the
 * focus, and fails after presses presses: it resolves with how many it took.
 */
export async function tabTo(page: Page, target: Locator, presses = 20): Promise<number> {
  for (let n = 1; n <= presses; n++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el.matches(':focus'), undefined, { timeout: 1_000 }).catch(() => false)) return n;
  }
  throw new Error(`${presses} presses of Tab did not reach ${target.toString()}`);
}

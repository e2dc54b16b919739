// The widget's speed in a browser, for make bench: each figure beside its
// baseline, measured in the same run, in Debian's Chromium, headless, on
// loopback.
//
//   navigation → first check answered: the real eps-tracker serve's app, a
//     fresh browser context each time (nothing cached), from the start of
//     the navigation until <eps-tracker>'s check(input) first resolves; the
//     median of 9. Baseline: wasm/baseline, the smallest Go WebAssembly
//     that answers a check, built with the widget's flags and loaded by a
//     page the same way (bench/baseline), served the same way (brotli, the
//     same Content Security Policy) by a server this script runs.
//   check per keystroke: <eps-tracker>'s check(input) through its Promise,
//     from JavaScript in the page, for every prefix of what a person types
//     (valid, mistyped, an O for a 0), p99. Baseline: a Promise that does
//     nothing, timed the same way.
//   search of the training sandbox: from a click on Search until the
//     results' rows are in the page, p50. Baseline: the core's own search
//     (epsTrackerCore.search), called directly in the same page.
//
// Usage: node build/bench/bench/browser.js (npm run bench), with
// EPS_TRACKER (the program; default bin/eps-tracker), BASELINE_WASM and
// WASM_EXEC (Go's wasm_exec.js) in the environment; CHROMIUM names another
// browser than /usr/bin/chromium.
import { readFileSync } from 'node:fs';
import { createServer, type Server as HTTPServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { serve } from '../test/serve.js';

/** contexts is how many fresh browser contexts each start-up figure is the median of. */
const contexts = 9;
/** searches is how many searches each search figure is the median of. */
const searches = 25;
/** typed is what a person types, one keystroke at a time: valid, mistyped, an O for a 0. */
const typed = ['999 257 4356', '999 257 4365', '4422FC-0V0X26-3DFC55', '3C97OC-0V0X26-74E1BW'];
/** rounds is how many times each keystroke is checked. */
const rounds = 40;
/** patient is the example patient, whose prescriptions are the same whatever the date. */
const patient = { display: '999 257 4356', nhsNumber: '9992574356' };

declare global {
  interface Window {
    /** answered is when the page's first check was answered, and whether it answered as it should. */
    answered?: { at: number; ok: boolean };
  }
}

/** Widget is the part of <eps-tracker> the measures use. */
interface Widget extends HTMLElement {
  check(input: string): Promise<{ valid: boolean }>;
  back(): void;
  updateComplete: Promise<boolean>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bench: ${name} is not set: run make bench`);
  return value;
}

/**
 * serveBaseline serves the baseline's page, its start script, Go's
 * wasm_exec.js and the baseline's WebAssembly on a free loopback port, as
 * eps-tracker serve sends the widget: brotli (quality 11) when the browser
 * takes it, WebAssembly as application/wasm, under policy.
 */
async function serveBaseline(policy: string): Promise<{ url: string; server: HTTPServer }> {
  const file = (path: string | URL, type: string) => {
    const body = readFileSync(path);
    const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    return { type, body, br };
  };
  const js = 'text/javascript; charset=utf-8';
  const files = new Map([
    ['/', file(new URL('../../../bench/baseline/index.html', import.meta.url), 'text/html; charset=utf-8')],
    ['/start.js', file(new URL('../../../bench/baseline/start.js', import.meta.url), js)],
    ['/wasm_exec.js', file(required('WASM_EXEC'), js)],
    ['/baseline.wasm', file(required('BASELINE_WASM'), 'application/wasm')],
  ]);
  const server = createServer((req, res) => {
    const f = files.get(new URL(req.url ?? '/', 'http://localhost').pathname);
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('Cache-Control', 'no-cache');
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    const brotli = /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
    res.setHeader('Content-Type', f.type);
    res.setHeader('Vary', 'Accept-Encoding');
    if (brotli) res.setHeader('Content-Encoding', 'br');
    res.end(brotli ? f.br : f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** widgetsFirstCheck asks the page's <eps-tracker> for a check as soon as it is defined. */
function widgetsFirstCheck(input: string): void {
  void customElements.whenDefined('eps-tracker').then(async () => {
    const widget = document.querySelector('eps-tracker') as Widget;
    const result = await widget.check(input);
    window.answered = { at: performance.now(), ok: result.valid };
  });
}

/**
 * firstCheck opens url in a fresh context and resolves with the time from
 * the navigation's start until the page's first check was answered, in ms.
 */
async function firstCheck(browser: Browser, url: string, widget: boolean): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (widget) await page.addInitScript(widgetsFirstCheck, patient.display);
    await page.goto(url);
    const answered = await (await page.waitForFunction(() => window.answered, null, { timeout: 60_000 })).jsonValue();
    if (!answered?.ok) throw new Error(`bench: the first check at ${url} did not answer as it should`);
    return answered.at;
  } finally {
    await context.close();
  }
}

/** percentile is the p-th percentile of xs, by nearest rank. */
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  required('EPS_TRACKER');
  const app = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const policy = (await fetch(`${app.url}/`)).headers.get('content-security-policy') ?? '';
    const baseline = await serveBaseline(policy);
    try {
      // Navigation → first check answered, the widget and the baseline in
      // turn, after one of each not counted (the browser's own start).
      await firstCheck(browser, `${app.url}/`, true);
      await firstCheck(browser, baseline.url, false);
      const start = { widget: [] as number[], baseline: [] as number[] };
      for (let i = 0; i < contexts; i++) {
        start.widget.push(await firstCheck(browser, `${app.url}/`, true));
        start.baseline.push(await firstCheck(browser, baseline.url, false));
      }

      const page = await browser.newPage();
      await page.goto(`${app.url}/`);
      await page.evaluate(() => (document.querySelector('eps-tracker') as unknown as { ready: Promise<void> }).ready);

      // Check per keystroke, then a Promise that does nothing, timed alike.
      const keys = await page.evaluate(
        async ([typed, rounds]) => {
          const widget = document.querySelector('eps-tracker') as Widget;
          const keystrokes = typed.flatMap((s) => [...s].map((_, i) => s.slice(0, i + 1)));
          const time = async (f: (input: string) => Promise<unknown>) => {
            const took: number[] = [];
            for (let r = 0; r < rounds; r++) {
              for (const k of keystrokes) {
                const t = performance.now();
                await f(k);
                took.push(performance.now() - t);
              }
            }
            return took;
          };
          await time((k) => widget.check(k)); // warm
          const checks = await time((k) => widget.check(k));
          const nothing = await time((k) => new Promise((resolve) => resolve(k)));
          return { checks, nothing, isolated: crossOriginIsolated };
        },
        [typed, rounds] as const,
      );

      // Search: click to rendered rows, and the core's own search, in turn,
      // after one of each not counted (the sandbox is made on first use).
      await page.getByLabel('NHS number or prescription id').fill(patient.display);
      const search = await page.evaluate(
        async ([nhsNumber, runs]) => {
          const widget = document.querySelector('eps-tracker') as Widget;
          const root = widget.shadowRoot!;
          const rows = () => root.querySelector('eps-tracker-results')?.shadowRoot?.querySelectorAll('tbody tr').length ?? 0;
          const channel = new MessageChannel();
          const yieldToPage = () =>
            new Promise<void>((resolve) => {
              channel.port1.onmessage = () => resolve();
              channel.port2.postMessage(null);
            });
          const clickToRows = async () => {
            widget.back();
            await widget.updateComplete;
            if (rows() !== 0) throw new Error('bench: the results did not go away');
            const button = root
              .querySelector('eps-tracker-search-box')!
              .shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!;
            const t = performance.now();
            button.click();
            while (rows() === 0) await yieldToPage();
            return performance.now() - t;
          };
          const direct = async () => {
            const t = performance.now();
            const core = (globalThis as unknown as { epsTrackerCore: { search(q: string): Promise<string> } }).epsTrackerCore;
            await core.search(JSON.stringify({ nhsNumber }));
            return performance.now() - t;
          };
          await clickToRows();
          await direct();
          const took = { widget: [] as number[], direct: [] as number[] };
          for (let i = 0; i < runs; i++) {
            took.widget.push(await clickToRows());
            took.direct.push(await direct());
          }
          return took;
        },
        [patient.nhsNumber, searches] as const,
      );

      const firstMs = percentile(start.widget, 50);
      const keyMs = percentile(keys.checks, 99);
      const ms = (x: number, digits: number) => `${x.toFixed(digits)} ms`.padStart(9);
      const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
      console.log('');
      console.log('The widget in headless Chromium on loopback (one run, one machine), each beside its baseline from the same run');
      console.log(
        `  navigation → first check answered  ${ms(firstMs, 0)}   syscall/js-only module ${ms(percentile(start.baseline, 50), 0)}` +
          `   median of ${contexts} fresh contexts    target <= 250 ms  ${verdict(firstMs <= 250)}`,
      );
      console.log(
        `  check per keystroke, p99           ${ms(keyMs, 2)}   no-op Promise          ${ms(percentile(keys.nothing, 99), 2)}` +
          `   ${keys.checks.length} keystrokes (p50 ${percentile(keys.checks, 50).toFixed(2)} ms)   target <= 2 ms    ${verdict(keyMs <= 2)}`,
      );
      console.log(
        `  search, click → rendered rows, p50 ${ms(percentile(search.widget, 50), 1)}   direct core call       ${ms(percentile(search.direct, 50), 1)}` +
          `   ${searches} searches of the training sandbox`,
      );
      console.log(
        `  (the page's clock ticks every ${keys.isolated ? '5 µs' : '0.1 ms'}: Chromium coarsens it in a page that is not cross-origin isolated)`,
      );
    } finally {
      baseline.server.close();
    }
  } finally {
    await browser.close();
    await app.stop();
  }
}

await main();

import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

// The component tests' server listens on a port free when the run starts,
// chosen once: the workers, which load this file again, inherit PORT.
process.env.PORT ??= execFileSync(
  process.execPath,
  ['-e', "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })"],
  { encoding: 'utf8' },
);
const port = Number(process.env.PORT);

// Two projects, both in Debian's Chromium, headless:
//   components  beside the components they test (src/**/*.browser.test.ts),
//               against the built dist/ served under a strict Content Security
//               Policy (test/server.mjs), answered by saved views of the service;
//   journeys    what a person does, start to finish (journeys/*.journey.test.ts),
//               against the real program: bin/eps-tracker serve (EPS_TRACKER
//               names another), started on a free port by journeys/journey.ts,
//               its core in WebAssembly and its sandbox.
export default defineConfig({
  projects: [
    { name: 'components', testDir: './src', testMatch: '**/*.browser.test.ts' },
    { name: 'journeys', testDir: './journeys', testMatch: '**/*.journey.test.ts' },
  ],
  outputDir: 'test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 15_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: { width: 1024, height: 768 },
    screenshot: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node test/server.mjs',
    url: `http://127.0.0.1:${port}/healthz`,
    env: { PORT: String(port) },
    reuseExistingServer: false,
    stdout: 'ignore',
  },
});

// The real eps-tracker program, serving a browser: what the browser
// journeys test and the browser benchmark measures.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** program is the eps-tracker program to serve: EPS_TRACKER, or the one make build made. */
export const program = process.env.EPS_TRACKER ?? fileURLToPath(new URL('../../bin/eps-tracker', import.meta.url));

/** Server is a running eps-tracker serve. */
export interface Server {
  /** url is where it serves, http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  /** stop ends it as Ctrl-C does, and resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * serve starts "eps-tracker serve" with flags on a free loopback port, and
 * resolves once it has said where it listens. It fails when the program is
 * missing, or was built without the widget (make build builds it in). env
 * adds to the environment the program is given.
 */
export async function serve(flags: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  if (!existsSync(program)) throw new Error(`${program} is missing: build it with make build`);
  const child = spawn(program, ['serve', '--addr', '127.0.0.1:0', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    let at = '';
    let widget = true;
    child.once('error', reject);
    void exited.then(() => reject(new Error(`eps-tracker serve stopped before it listened: ${stderr}`)));
    lines.on('line', (line) => {
      at ||= /^EPS Tracker at (http:\/\/\S+?)\/?$/.exec(line)?.[1] ?? '';
      if (line.includes('built without its web interface')) widget = false;
      if (!line.endsWith('Stop with Ctrl-C.')) return; // the last line it prints as it starts
      if (!widget) reject(new Error(`${program} was built without the widget: build it with make build`));
      else if (!at) reject(new Error('eps-tracker serve did not say where it listens'));
      else resolve(at);
    });
  }).catch((err: unknown) => {
    child.kill();
    throw err;
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

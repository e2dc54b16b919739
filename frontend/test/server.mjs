// The browser tests' web server: dist/ at /, the test pages at /test/, every
// response under the strict Content Security Policy a clinical portal sets for
// the widget, so a test fails if the interface needs anything it forbids.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 47801); // playwright.config.ts gives a free one

export const policy = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

// mounts maps a URL prefix to the folder it serves.
const mounts = [
  ['/test/', join(root, 'test', 'pages')],
  ['/', join(root, 'dist')],
];

function resolve(pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    let rel = decodeURIComponent(pathname.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(dir, rel));
    return file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

createServer(async (req, res) => {
  res.setHeader('Content-Security-Policy', policy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/healthz') {
    res.end('ok');
    return;
  }
  if (pathname === '/favicon.ico') {
    res.statusCode = 204;
    res.end();
    return;
  }
  const file = resolve(pathname);
  const info = file && (await stat(file).catch(() => null));
  if (!file || !info?.isFile()) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', info.size);
  createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => {
  console.log(`test server on http://127.0.0.1:${port}/`);
});

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// goRoot is the Go installation whose wasm_exec.js matches the Go that builds
// the core's WebAssembly (the Makefile passes GOROOT; else ask go).
const goRoot =
  process.env.GOROOT || execFileSync(process.env.GO || 'go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();

// keepGitkeep puts back dist/.gitkeep, which emptying dist/ removes: the Go
// package that embeds dist/ must build before the frontend has been built.
const keepGitkeep: Plugin = {
  name: 'eps-tracker:keep-gitkeep',
  apply: 'build',
  closeBundle() {
    writeFileSync('dist/.gitkeep', '');
  },
};

// Two entries build into dist/, which the Go server embeds:
//   index.html + app.js   the full-page app
//   eps-tracker.js        the <eps-tracker> widget, one ES module a host page loads
// Entries keep stable names (served with short-lived caching); everything they
// load lives in assets/ under content-hashed names (cached for good), the
// core's WebAssembly (built into build/eps-tracker.wasm first) among them.
export default defineConfig({
  base: './',
  plugins: [keepGitkeep],
  resolve: {
    alias: { '@go/wasm_exec': join(goRoot, 'lib', 'wasm', 'wasm_exec.js') },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // A strict Content Security Policy refuses data: URLs: every asset is a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      checks: { pluginTimings: false },
      input: {
        app: 'index.html',
        'eps-tracker': 'src/eps-tracker.ts',
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  css: {
    preprocessorOptions: {
      scss: { loadPaths: ['node_modules'] },
    },
  },
});

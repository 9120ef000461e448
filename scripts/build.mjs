// `npm run build` (also run by prepack): everything the npm package ships, in dist/.
//   dist/src/**.js, .d.ts   the library (entries index.js for Node, browser.js), the CLI
//   dist/recipes/**.js      the recipes (`sori recipe NAME` from the installed package)
//   dist/browser/sori.js    one ESM file for pages: src/bundle/entry.ts with TensorFlow.js's core inside,
//                           the wasm backend's .wasm files and the resampler (libsamplerate.js) beside it
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

// 1. tsc: ESM + declarations (`.ts` import specifiers rewritten to `.js` in the JavaScript).
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

const files = (dir) =>
  readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? files(join(dir, e)) : [join(dir, e)]));
for (const file of files(dist)) {
  if (!file.endsWith('.d.ts')) continue;
  // The CLI and the recipes are programs, not API: no declarations for them.
  if (file.includes('/dist/recipes/') || file.includes('/dist/src/cli/')) {
    rmSync(file);
    continue;
  }
  // Declarations keep the sources' `./x.ts` specifiers; point them at the shipped `./x.js`.
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');
  if (fixed !== text) writeFileSync(file, fixed);
}

/**
 * libsamplerate-js is 2 MB of wasm2js, needed only to resample: sori.js imports it as a file
 * beside itself ('./libsamplerate.js', resolved against the bundle's URL like the .wasm files).
 */
const libsamplerateBeside = {
  name: 'libsamplerate-beside',
  setup(b) {
    b.onResolve({ filter: /^@alexanderolsen\/libsamplerate-js$/ }, () => ({ path: './libsamplerate.js', external: true }));
  },
};

// 2. esbuild: the browser bundle, and the .wasm files TensorFlow.js's wasm backend fetches.
const browserDir = join(dist, 'browser');
await build({
  entryPoints: [join(root, 'src/bundle/entry.ts')],
  alias: { '@tensorflow/tfjs': join(root, 'src/bundle/tfjs.ts') },
  outfile: join(browserDir, 'sori.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  // initBackend's 'node' engine: never loaded in a browser (it checks for Node first).
  external: ['@tensorflow/tfjs-node'],
  // wav-decoder asks `global.Buffer` (Node's name for the global object)
  define: { global: 'globalThis' },
  logLevel: 'warning',
  plugins: [libsamplerateBeside],
});
// The resampler, imported by sori.js only when a WAV's rate differs from the model's.
await build({
  // its exports as `default`, as Node's import of the CommonJS package gives them (resample.ts)
  stdin: {
    contents:
      "import * as ns from '@alexanderolsen/libsamplerate-js';\n" +
      "export default typeof ns.create === 'function' ? ns : ns.default;\n",
    resolveDir: root,
  },
  outfile: join(browserDir, 'libsamplerate.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
});
// The bundle's declarations are the browser entry's (TensorFlow.js's as `tf` among them).
writeFileSync(join(browserDir, 'sori.d.ts'), "export * from '../src/browser.js';\n");
const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
mkdirSync(browserDir, { recursive: true });
// Not the threaded build: src/bundle/entry.ts turns threads off (they need a cross-origin isolated page).
for (const name of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm') && !n.includes('threaded'))) copyFileSync(join(wasmDir, name), join(browserDir, name));
console.error(`build: dist/ written (${files(dist).length} files)`);

// The npm package as a user gets it: `npm pack` (which builds dist/), then `npm install` of the
// tarball in an empty directory, then plain node, the `sori` command and a TypeScript consumer.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadAudio, loadRecognizer, RnnStack } from '../../src/index.ts';
import { ANNYEONG_WAV, writeTinyRecognizer } from './fixtures.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sori-package-'));
const app = join(work, 'app');
let tarball = '';

/** Run a command; its output, on failure, is in the error's message. */
function run(cmd: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26, ...options }) as string;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}
const node = (code: string) => run(process.execPath, ['--input-type=module', '-e', code], { cwd: app });

beforeAll(() => {
  const out = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  const packed = JSON.parse(out.slice(out.indexOf('[\n'))); // after what prepack's build prints
  tarball = join(work, packed[0].filename);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app });
});

describe('the npm tarball', () => {
  it('is about 1 MB at most and holds the build, not the sources, corpora, tests or benches', () => {
    expect(statSync(tarball).size).toBeLessThan(1_100_000); // 987 kB with every model family and four kernel builds (README)
    const files = run('tar', ['tzf', tarball]).split('\n');
    expect(files).toContain('package/dist/src/index.js');
    expect(files).toContain('package/dist/src/index.d.ts');
    expect(files).toContain('package/dist/browser/sori.js');
    expect(files).toContain('package/dist/recipes/annyeong/run.js');
    expect(files.filter((f) => /^package\/(src|test|bench|corpora|scratch)\//.test(f) || f.endsWith('.wav'))).toEqual([]);
  });

  it('passes publint and are-the-types-wrong (ESM only)', () => {
    run(join(root, 'node_modules/.bin/publint'), ['--strict'], { cwd: root });
    run(join(root, 'node_modules/.bin/attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
  });

  it('installs without tsx, with one TensorFlow.js (a peer dependency)', () => {
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/sori/node_modules/@tensorflow'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/@tensorflow/tfjs'))).toBe(true);
  });
});

describe('the installed package', () => {
  it('runs an LSTM forward pass under plain node, as the sources do', () => {
    const out = node(`
      import { RnnStack, initBackend, tf } from 'sori';
      await initBackend();
      const stack = new RnnStack({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 7 });
      const x = tf.tensor3d(Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 5, 3]);
      console.log(JSON.stringify(Array.from(stack.apply(x, { lengths: [5, 3] }).outputs.dataSync())));
    `);
    const stack = new RnnStack({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 7 });
    const x = tf.tensor3d(Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 5, 3]);
    const expected = Array.from(stack.apply(x, { lengths: [5, 3] }).outputs.dataSync());
    const got = JSON.parse(out) as number[];
    expect(got).toHaveLength(40);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('`npx sori info` names the backend', () => {
    expect(run('npx', ['sori', 'info'], { cwd: app })).toMatch(/^backend\t(wasm|cpu|node)/m);
  });

  it('`npx sori transcribe --model DIR x.wav` prints what loadRecognizer gives in the sources', async () => {
    const model = join(work, 'model');
    writeTinyRecognizer(model);
    const wav = join(root, ANNYEONG_WAV);
    const line = run('npx', ['sori', 'transcribe', '--model', model, wav], { cwd: app }).trim();
    const recognizer = loadRecognizer(model);
    const { samples } = await loadAudio(wav, { sampleRate: recognizer.sampleRate });
    const text = recognizer.transcribe(samples);
    recognizer.dispose();
    expect(text.length).toBeGreaterThan(0);
    expect(line).toBe(`${wav}\t${text}`);
  });

  it('require("sori") works where Node has require(esm) (Node ≥ 20.19), with the same exports', () => {
    const names = run(process.execPath, ['-e', 'console.log(Object.keys(require("sori")).length)'], { cwd: app }).trim();
    const esm = node(`import * as sori from 'sori'; console.log(Object.keys(sori).length);`).trim();
    expect(names).toBe(esm);
  });

  it('a recipe run from the installed package says where corpora come from when it finds none', () => {
    let message = '';
    try {
      run('npx', ['sori', 'recipe', 'toy-translation', '--stop-stage', '1'], { cwd: app });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/corpora\/toy-translation\/train\.tsv/);
    expect(message).toMatch(/not in the npm package: run the recipe from the root of a clone/);
  });

  it('a recipe run from the installed package reads a corpus named by --data.corpus (stage 1)', () => {
    const corpus = join(root, 'corpora/toy-translation');
    const log = run('npx', ['sori', 'recipe', 'toy-translation', `--data.corpus=${corpus}`, '--stop-stage', '1'], { cwd: app });
    expect(log).toMatch(/Stage 1: done/);
    expect(existsSync(join(app, 'exp/toy-translation/config.json'))).toBe(true);
  });

  it('type-checks a TypeScript consumer against the shipped declarations (no TS7016 for untyped deps)', () => {
    writeFileSync(
      join(app, 'main.ts'),
      `import { RnnStack, initBackend, loadAudio, loadRecognizer, fetchTranslator, tf, type Recognizer } from 'sori';
import { decodeAudio } from 'sori/browser';
await initBackend('cpu');
const stack = new RnnStack({ cell: 'gru', inputSize: 2, hiddenSize: 3 });
const y: tf.Tensor3D = stack.apply(tf.zeros([1, 4, 2])).outputs;
const audio = await loadAudio('x.wav', { sampleRate: 16000 });
const fromBytes = await decodeAudio(new Uint8Array(44));
const r: Recognizer = loadRecognizer('model');
const t = await fetchTranslator('https://example.org/model/');
console.log(y.shape, audio.samples.length, fromBytes.sampleRate, r.transcribe(audio.samples), t.translate(['hi'])[0].text);
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [] },
        files: ['main.ts'],
      }),
    );
    // Without skipLibCheck, so that sori's declarations are checked; TensorFlow.js's own have
    // errors of their own (tfjs-core's 'Long', tfjs-layers, @webgpu/types against lib.dom), which
    // its users skip: only errors in main.ts and in sori's declarations count.
    let output = '';
    try {
      run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app]);
    } catch (err) {
      output = (err as Error).message;
    }
    const ours = output.split('\n').filter((l) => /error TS\d+/.test(l) && (!l.includes('node_modules/') || l.includes('node_modules/sori/')));
    expect(ours).toEqual([]);
  });
});

// dist/browser/sori.js in headless Chromium computes what the sources compute in Node, on the same
// inputs and weights: RnnStack forward (LSTM, GRU), MFCC frames, a CTC loss, a transcription and a
// translation from model directories fetched over HTTP; and the demo page loads without errors.
import { existsSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ctcLoss, loadAudio, loadRecognizer, loadTranslator, mfcc, RnnStack, type RnnStackOptions } from '../../src/index.ts';
// @ts-expect-error: a plain .mjs module without declarations
import { startServer } from '../../examples/web/server.mjs';
import { ANNYEONG_WAV, SENTENCES, writeTinyRecognizer, writeTinyTranslator } from '../package/fixtures.ts';

const root = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const models = mkdtempSync(join(tmpdir(), 'sori-browser-'));
let server: Server;
let base = '';
let browser: Browser;
let page: Page;

type Sori = typeof import('../../src/browser.ts');
declare global {
  interface Window {
    sori: Sori;
    backend: { name: string; skipped: { name: string; reason: string }[] };
  }
}

/** Largest |a − b| over two equally long arrays. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Deterministic inputs: x_i = sin(0.7 i) · cos(0.13 i). */
const wave = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i) * Math.cos(0.13 * i));

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/browser/sori.js'))) throw new Error('dist/browser/sori.js is missing: run `npm run build`');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM}: no Chromium (apt-get install chromium, or set CHROMIUM)`);
  writeTinyRecognizer(join(models, 'asr'));
  writeTinyTranslator(join(models, 'mt'));
  ({ server, url: base } = await startServer({ root, mounts: { '/models/': models } }));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run'],
  });
  page = await browser.newPage();
  await page.goto(`${base}/test/browser/page.html`);
  await page.waitForFunction(() => document.title === 'ready');
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('the browser bundle', () => {
  it('runs on the wasm backend, its .wasm files found beside the bundle', async () => {
    const backend = await page.evaluate(() => window.backend);
    expect(backend.name).toBe('wasm');
    expect(backend.skipped).toEqual([{ name: 'node', reason: 'not running in Node' }]);
  });

  it('runs the native kernels in their relaxed-SIMD build (fused multiply-add: on by default in Chromium)', async () => {
    const variant = await page.evaluate(() => window.sori.nativeKernelsVariant());
    expect(variant).toBe('relaxed-simd');
  });

  for (const cell of ['lstm', 'gru'] as const) {
    it(`gives the ${cell.toUpperCase()} stack's outputs and final states Node gives, within 1e-5 (2 layers, bidirectional, padded batch)`, async () => {
      const options: RnnStackOptions = { cell, inputSize: 5, hiddenSize: 8, numLayers: 2, bidirectional: true, seed: 11 };
      const shape: [number, number, number] = [3, 7, 5];
      const xs = wave(3 * 7 * 5);
      const lengths = [7, 4, 1];
      const stack = new RnnStack(options);
      const weights = stack.trainableWeights.map((v) => Array.from(v.dataSync()));
      const out = stack.apply(tf.tensor3d(xs, shape), { lengths });
      const expected = { outputs: out.outputs.dataSync(), h: out.states.h.dataSync() };
      const got = await page.evaluate(
        (options, weights, xs, shape, lengths) => {
          const { tf, RnnStack } = window.sori;
          const stack = new RnnStack(options);
          stack.trainableWeights.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape)));
          const out = stack.apply(tf.tensor3d(xs, shape), { lengths });
          return { outputs: Array.from(out.outputs.dataSync()), h: Array.from(out.states.h.dataSync()) };
        },
        options,
        weights,
        xs,
        shape,
        lengths,
      );
      expect(maxDiff(got.outputs, expected.outputs)).toBeLessThan(1e-5);
      expect(maxDiff(got.h, expected.h)).toBeLessThan(1e-5);
    });
  }

  it('gives the MFCC frames Node gives, within 1e-4 (0.5 s of a chirp with noise at 16 kHz)', async () => {
    const samples = Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(2 * Math.PI * (200 + i / 20) * (i / 16000)) + 0.01 * Math.sin(i * 1.7));
    const expected = mfcc(new Float32Array(samples), { sampleRate: 16000 });
    const got = await page.evaluate((samples) => {
      const f = window.sori.mfcc(new Float32Array(samples), { sampleRate: 16000 });
      return { data: Array.from(f.data), numFrames: f.numFrames, dim: f.dim };
    }, samples);
    expect([got.numFrames, got.dim]).toEqual([expected.numFrames, expected.dim]);
    expect(maxDiff(got.data, expected.data)).toBeLessThan(1e-4);
  });

  it('gives the CTC loss Node gives, per sample, within 1e-4 (B = 2, T = 6, C = 4)', async () => {
    const logits = wave(2 * 6 * 4).map((v) => 3 * v);
    const targets = [[1, 2, 2], [3, 0, 0]];
    const expected = ctcLoss(tf.tensor3d(logits, [2, 6, 4]), targets, [6, 5], [3, 1], { reduction: 'none' }).dataSync();
    const got = await page.evaluate(
      (logits, targets) =>
        Array.from(
          window.sori.ctcLoss(window.sori.tf.tensor3d(logits, [2, 6, 4]), targets, [6, 5], [3, 1], { reduction: 'none' }).dataSync(),
        ),
      logits,
      targets,
    );
    expect(maxDiff(got, expected)).toBeLessThan(1e-4);
  });

  it('decodes and resamples a 44.1 kHz stereo WAV to 16 kHz mono as Node does (the WebAssembly resampler)', async () => {
    const wav = 'corpora/annyeong/wav/test-unseen/test-unseen-0004.wav';
    const expected = await loadAudio(join(root, wav), { sampleRate: 16000 });
    expect([expected.fileSampleRate, expected.fileChannels]).toEqual([44100, 2]);
    const got = await page.evaluate(async (url) => {
      const bytes = await (await fetch(url)).arrayBuffer();
      return Array.from((await window.sori.loadAudio(bytes, { sampleRate: 16000 })).samples);
    }, `/${wav}`);
    expect(maxDiff(got, expected.samples)).toBeLessThan(1e-6);
  });

  it('transcribes a WAV with a model directory fetched from a URL as loadRecognizer does in Node', async () => {
    const recognizer = loadRecognizer(join(models, 'asr'));
    const { samples } = await loadAudio(join(root, ANNYEONG_WAV), { sampleRate: recognizer.sampleRate });
    const expected = recognizer.transcribe(samples);
    recognizer.dispose();
    const got = await page.evaluate(async (wav) => {
      const { fetchRecognizer, loadAudio } = window.sori;
      const recognizer = await fetchRecognizer('/models/asr/');
      const bytes = await (await fetch(wav)).arrayBuffer();
      const { samples } = await loadAudio(bytes, { sampleRate: recognizer.sampleRate });
      return recognizer.transcribe(samples);
    }, `/${ANNYEONG_WAV}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(got).toBe(expected);
  });

  it('translates with a model directory fetched from a URL as loadTranslator does in Node (text and attention)', async () => {
    const translator = loadTranslator(join(models, 'mt'));
    const expected = translator.translate(SENTENCES);
    translator.dispose();
    const got = await page.evaluate(async (sentences) => {
      const translator = await window.sori.fetchTranslator('/models/mt');
      return translator.translate(sentences);
    }, SENTENCES);
    expect(got.map((t) => t.text)).toEqual(expected.map((t) => t.text));
    expect(maxDiff(got.flatMap((t) => t.attention.flat()), expected.flatMap((t) => t.attention.flat()))).toBeLessThan(1e-5);
  });

  it("names the URL and the HTTP status of a model directory that is not there", async () => {
    const message = await page.evaluate(() => window.sori.fetchRecognizer('/models/nothing/').then(() => '', (err: Error) => err.message));
    expect(message).toMatch(/\/models\/nothing\/model\.json: HTTP 404/);
  });
});

describe('the demo page (examples/web)', () => {
  it('loads both models without a console error, transcribes a chosen WAV and draws the attention heat map', async () => {
    const demo = await browser.newPage();
    const problems: string[] = [];
    demo.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    demo.on('pageerror', (err) => problems.push(String(err)));
    await demo.goto(`${base}/examples/web/?asr=/models/asr/&mt=/models/mt/`);
    await demo.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('status')!.dataset.state ?? ''));
    expect(await demo.$eval('#status', (e) => e.textContent)).toMatch(/^ready/);

    const recognizer = loadRecognizer(join(models, 'asr'));
    const expected = recognizer.transcribe((await loadAudio(join(root, ANNYEONG_WAV), { sampleRate: 16000 })).samples);
    recognizer.dispose();
    const input = await demo.$('#file');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(join(root, ANNYEONG_WAV));
    await demo.waitForFunction((text) => document.getElementById('transcript')!.textContent === text, {}, expected);

    await demo.$eval('#source', (e) => ((e as HTMLInputElement).value = 'the cat eats fish'));
    await demo.click('#translate');
    await demo.waitForFunction(() => document.querySelectorAll('#attention tbody tr').length > 0);
    const columns = await demo.$$eval('#attention thead th', (ths) => ths.map((th) => th.textContent));
    expect(columns).toEqual(['', 'the', 'cat', 'eats', 'fish', '<eos>']);
    expect(problems).toEqual([]);
    await demo.close();
  });
});

// Working with feature matrices: CMVN, deltas, tensors, and the `sori mfcc` command that prints them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { cmvn } from '../../src/audio/cmvn.ts';
import { addDeltas, deltas } from '../../src/audio/deltas.ts';
import { type Features, featureRows, featuresTensor } from '../../src/audio/features.ts';
import { fixture, maxAbsDiff, reference } from './helpers.ts';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mfccCommand } from '../../src/cli/mfcc.ts';
import { loadAudio } from '../../src/audio/load-audio.ts';
import { mfcc } from '../../src/audio/mfcc.ts';

// CMVN and deltas: against torch/torchaudio on the reference MFCCs (reference.json), and small
// cases solved by hand.
const fromRows = (rows: number[][]): Features => ({
  data: Float32Array.from(rows.flat()),
  numFrames: rows.length,
  dim: rows[0]?.length ?? 1,
});
const utterances = Object.keys(reference.utterances);

describe('cmvn', () => {
  it.each(utterances)('%s: matches (x − mean) / std computed by torch', (name) => {
    const ref = reference.utterances[name];
    expect(maxAbsDiff(cmvn(fromRows(ref.mfcc)), ref.cmvn)).toBeLessThan(1e-4);
  });

  it('by hand: the column [1, 2, 3] becomes [−√1.5, 0, √1.5]; mean-only gives [−1, 0, 1]', () => {
    const x = fromRows([[1], [2], [3]]);
    const s = Math.sqrt(1.5);
    expect(Array.from(cmvn(x).data).map((v) => +v.toFixed(6))).toEqual([-s, 0, s].map((v) => +v.toFixed(6)));
    expect(Array.from(cmvn(x, { variance: false }).data)).toEqual([-1, 0, 1]);
  });

  it('a constant dimension (or a single frame) becomes 0, not NaN', () => {
    expect(Array.from(cmvn(fromRows([[5, 1], [5, 3]])).data)).toEqual([0, -1, 0, 1]);
    expect(Array.from(cmvn(fromRows([[5, 1]])).data)).toEqual([0, 0]);
  });

  it('zero frames stay zero frames', () => {
    const empty = { data: new Float32Array(0), numFrames: 0, dim: 13 };
    expect(cmvn(empty)).toEqual(empty);
  });

  it('checks the matrix it is given', () => {
    expect(() => cmvn({ data: new Float32Array(5), numFrames: 2, dim: 3 })).toThrow(/cmvn features: data has length 5, expected numFrames · dim = 2 · 3/);
  });
});

describe('deltas', () => {
  it.each(utterances)('%s: Δ and ΔΔ match torchaudio.functional.compute_deltas (window 5)', (name) => {
    const ref = reference.utterances[name];
    const x = fromRows(ref.mfcc);
    expect(maxAbsDiff(deltas(x), ref.deltas)).toBeLessThan(1e-4);
    expect(maxAbsDiff(deltas(deltas(x)), ref.deltaDeltas)).toBeLessThan(1e-4);
  });

  it('by hand: a ramp x[t] = 3t has Δ = 3 inside and a replicated edge', () => {
    // t = 0: (1·(x1 − x0) + 2·(x2 − x0)) / 10 = (3 + 12)/10 = 1.5
    // t = 1: (1·(x2 − x0) + 2·(x3 − x0)) / 10 = (6 + 18)/10 = 2.4
    const d = deltas(fromRows([[0], [3], [6], [9], [12], [15], [18]]));
    expect(Array.from(d.data).map((v) => +v.toFixed(6))).toEqual([1.5, 2.4, 3, 3, 3, 2.4, 1.5]);
  });

  it('addDeltas stacks [x, Δx, ΔΔx] into 39 dimensions', () => {
    const ref = reference.utterances[utterances[0]];
    const x = fromRows(ref.mfcc);
    const y = addDeltas(x);
    expect([y.numFrames, y.dim]).toEqual([x.numFrames, 39]);
    const rows = featureRows(y);
    expect(Array.from(rows[10].subarray(0, 13))).toEqual(Array.from(x.data.subarray(130, 143)));
    expect(maxAbsDiff({ ...y, data: Float32Array.from(rows.flatMap((r) => Array.from(r.subarray(13, 26)))), dim: 13 }, ref.deltas)).toBeLessThan(1e-4);
    expect(addDeltas(x, { order: 1 }).dim).toBe(26);
    expect(() => addDeltas(x, { order: 3 })).toThrow(/addDeltas order: expected an integer in \[1, 2\], got 3/);
  });
});

describe('featuresTensor', () => {
  it('gives a [T, F] tensor with the rows in order, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const f = fromRows([[1, 2, 3], [4, 5, 6]]);
    const t = featuresTensor(f);
    expect(t.shape).toEqual([2, 3]);
    expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

// `sori mfcc`: the handler prints frame count, dims and per-coefficient statistics, and --out
// writes the frames (the same numbers mfcc() gives).
async function run(args: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await (mfccCommand.handler as (a: unknown) => Promise<void>)({ cmvn: false, deltas: false, 'sample-rate': 16000, ...args });
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('sori mfcc', () => {
  it('prints frames, dims and 13 rows of mean and std', async () => {
    const lines = await run({ file: fixture('annyeong_16k.wav') });
    expect(lines).toContain('frames\t128');
    expect(lines).toContain('dims\t13');
    const stats = lines.slice(lines.indexOf('coef\tmean\tstd') + 1);
    expect(stats).toHaveLength(13);
    const ours = mfcc((await loadAudio(fixture('annyeong_16k.wav'))).samples);
    let c1 = 0;
    for (let t = 0; t < ours.numFrames; t++) c1 += ours.data[t * 13 + 1];
    expect(stats[1].split('\t')[1]).toBe((c1 / ours.numFrames).toFixed(4));
  });

  it('--out writes the frames atomically (no temp file left); --deltas --cmvn give 39 dims', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-mfcc-'));
    const out = join(dir, 'frames.json');
    const lines = await run({ file: fixture('annyeong_22k.wav'), out, deltas: true, cmvn: true });
    expect(lines).toContain('dims\t39');
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect([written.numFrames, written.dim, written.frames.length, written.frames[0].length]).toEqual([128, 39, 128, 39]);
    expect(readdirSync(dir)).toEqual(['frames.json']);
  });

  it('refuses the old --json FILE, pointing to --out (--json means JSON on standard output elsewhere)', async () => {
    await expect(run({ file: fixture('annyeong_16k.wav'), json: 'frames.json' })).rejects.toThrow(/--json FILE is now --out FILE/);
  });

  it('fails naming the file when it cannot be read', async () => {
    await expect(run({ file: fixture('reference.json') })).rejects.toThrow(/reference\.json: cannot decode/);
  });

  it('reads other formats through audio-decode: the FLAC copy of a WAV gives the same frames', async () => {
    const [wav, flac] = [await run({ file: fixture('clip_s16.wav') }), await run({ file: fixture('clip.flac') })];
    expect(flac.slice(2, 4)).toEqual(wav.slice(2, 4)); // frames, dims
    const stats = (lines: string[]) => lines.slice(5).flatMap((l) => l.split('\t').slice(1).map(Number)); // mean, std per coefficient
    // FLAC is lossless; the decoder scales by 1/32767 instead of 1/32768, which moves c0 by ~1e-4
    stats(flac).forEach((v, i) => expect(Math.abs(v - stats(wav)[i])).toBeLessThan(1e-3));
  });
});

/**
 * The forward-backward dynamic program against brute-force enumeration of every frame-level
 * path, the identity Σ_s α_t(s) β_t(s) / y_t(l′_s) = p(l|x) at every frame, and the fast
 * block-floating pass against the per-state log pass.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ctcAlphaBeta } from '../../src/ctc/alpha-beta.ts';
import { extendedLabels, minimumFrames, skipTransitions } from '../../src/ctc/extended-labels.ts';
import { forwardScaled, softmaxRows } from '../../src/ctc/scaled-forward-backward.ts';
import { ctcLoss } from '../../src/ctc/loss.ts';

/** The lecture's toy alphabet. */
const LECTURE = { '<space>': 0, 안: 1, 녕: 2, 하: 3, 세: 4, 요: 5, '<blank>': 6 } as const;

/** B(π): merge repeats, drop blanks (written out here, independent of src/). */
function collapse(path: number[], blank: number): number[] {
  return path.filter((k, t) => k !== blank && (t === 0 || path[t - 1] !== k));
}

/**
 * Enumerates all C^T paths: p(l|x) = Σ_{π : B(π) = l} Π_t y_t(π_t), and the occupancy
 * γ_t(k) = Σ_{π : B(π) = l, π_t = k} p(π) / p(l|x).
 */
function bruteForce(y: number[][], labels: number[], blank: number) {
  const T = y.length, C = y[0].length;
  let p = 0;
  const mass = y.map(() => new Array<number>(C).fill(0));
  const path = new Array<number>(T).fill(0);
  for (let n = 0; n < C ** T; n++) {
    let r = n, prob = 1;
    for (let t = 0; t < T; t++) {
      path[t] = r % C;
      r = Math.floor(r / C);
      prob *= y[t][path[t]];
    }
    const l = collapse(path, blank);
    if (l.length === labels.length && l.every((k, u) => k === labels[u])) {
      p += prob;
      path.forEach((k, t) => (mass[t][k] += prob));
    }
  }
  return { p, occupancy: mass.map((row) => row.map((m) => m / p)) };
}

function softmax(logits: number[][]): number[][] {
  return logits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((z) => Math.exp(z - m));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
}

const randomLogits = (T: number, C: number, seed: number, std = 1.5) =>
  tf.tidy(() => tf.randomNormal([T, C], 0, std, 'float32', seed).arraySync() as number[][]);

describe('the dynamic program equals brute-force enumeration of paths', () => {
  const cases: { name: string; T: number; C: number; labels: number[]; blank: number }[] = [
    { name: "lecture alphabet, 안녕하세요, blank 6 ('<blank>')", T: 7, C: 7, blank: LECTURE['<blank>'], labels: [LECTURE.안, LECTURE.녕, LECTURE.하, LECTURE.세, LECTURE.요] },
    { name: 'lecture alphabet, 안녕 하세요 with <space>, minimal T', T: 6, C: 7, blank: 6, labels: [1, 2, 0, 3, 4, 5] },
    { name: 'a repeated label needs a blank between', T: 6, C: 3, blank: 0, labels: [1, 1] },
    { name: 'repeats and skips mixed, blank last', T: 7, C: 4, blank: 3, labels: [1, 0, 0, 2] },
    { name: 'an empty target', T: 5, C: 3, blank: 0, labels: [] },
    { name: 'a single frame', T: 1, C: 4, blank: 0, labels: [2] },
  ];
  cases.forEach(({ name, T, C, labels, blank }, i) => {
    it(`${name}: p(l|x), loss and gradient`, () => {
      const logits = randomLogits(T, C, 100 + i);
      const y = softmax(logits);
      const want = bruteForce(y, labels, blank);
      expect(want.p).toBeGreaterThan(0);

      const z = tf.tensor2d(logits);
      const ab = ctcAlphaBeta(z, labels, { blank });
      expect(Math.exp(ab.logLikelihood)).toBeCloseTo(want.p, 12);
      expect(Math.abs(ab.logLikelihood - Math.log(want.p))).toBeLessThan(1e-9);

      const batch = z.expandDims(0) as tf.Tensor3D; // [1, T, C]
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) =>
        ctcLoss(x as tf.Tensor3D, [labels], [T], [labels.length], { blank, reduction: 'sum' }),
      )(batch);
      expect(Math.abs(value.dataSync()[0] + Math.log(want.p))).toBeLessThan(1e-5 * Math.abs(Math.log(want.p)) + 1e-6);
      // ∂(−log p)/∂z_t(k) = y_t(k) − γ_t(k)
      const g = grad.arraySync() as number[][][];
      for (let t = 0; t < T; t++) {
        for (let k = 0; k < C; k++) expect(g[0][t][k]).toBeCloseTo(y[t][k] - want.occupancy[t][k], 5);
      }
      tf.dispose([z, batch, value, grad, ab.logAlpha, ab.logBeta]);
    });
  });
});

describe('ctcAlphaBeta', () => {
  it('satisfies Σ_s α_t(s) β_t(s) / y_t(l′_s) = p(l|x) at every frame t', () => {
    const T = 30, C = 6, blank = 0;
    const labels = [1, 2, 2, 5, 3, 3, 3, 4];
    const z = tf.tensor2d(randomLogits(T, C, 7));
    const { logAlpha, logBeta, logLikelihood, extendedLabels: ext } = ctcAlphaBeta(z, labels, { blank });
    const logY = tf.logSoftmax(z).arraySync() as number[][];
    const alpha = logAlpha.arraySync(), beta = logBeta.arraySync();
    expect(alpha[0].length).toBe(2 * labels.length + 1);
    for (let t = 0; t < T; t++) {
      let sum = 0;
      ext.forEach((k, s) => (sum += Math.exp(alpha[t][s] + beta[t][s] - logY[t][k] - logLikelihood)));
      expect(sum, `frame ${t}`).toBeCloseTo(1, 4);
    }
    tf.dispose([z, logAlpha, logBeta]);
  });

  it('builds l′ with a blank between labels and at both ends', () => {
    const z = tf.zeros([5, 7]) as tf.Tensor2D;
    const ab = ctcAlphaBeta(z, [1, 2, 3], { blank: 6 });
    expect(ab.extendedLabels).toEqual([6, 1, 6, 2, 6, 3, 6]);
    expect(Array.from(extendedLabels([4, 4], 0))).toEqual([0, 4, 0, 4, 0]);
    expect(minimumFrames([1, 1, 2, 2, 2])).toBe(8);
    tf.dispose([z, ab.logAlpha, ab.logBeta]);
  });

  it('gives log p = −∞ when T is shorter than L plus repeats', () => {
    const z = tf.zeros([2, 3]) as tf.Tensor2D;
    const ab = ctcAlphaBeta(z, [1, 1]);
    expect(ab.logLikelihood).toBe(-Infinity);
    tf.dispose([z, ab.logAlpha, ab.logBeta]);
  });

  it('rejects a label equal to the blank, naming it', () => {
    const z = tf.zeros([4, 7]) as tf.Tensor2D;
    expect(() => ctcAlphaBeta(z, [1, 6], { blank: 6 })).toThrow(/labels\[1\].*blank/);
    expect(() => ctcAlphaBeta(z, [7])).toThrow(/labels\[0\].*got 7/);
    z.dispose();
  });
});

/**
 * ∂(−log p)/∂z_t(k) = y_t(k) − Σ_{s : l′_s = k} α_t(s) β_t(s) / (y_t(k) p), from ctcAlphaBeta.
 * Its log α, log β are float32 tensors: values of a few hundred carry ~3e-5 absolute rounding,
 * hence the 1e-4 tolerance where this reference is used.
 */
function gradientFromAlphaBeta(z: tf.Tensor2D, labels: number[], blank = 0): number[][] {
  const { logAlpha, logBeta, logLikelihood, extendedLabels: ext } = ctcAlphaBeta(z, labels, { blank });
  const logY = tf.logSoftmax(z).arraySync() as number[][];
  const alpha = logAlpha.arraySync(), beta = logBeta.arraySync();
  tf.dispose([logAlpha, logBeta]);
  return logY.map((row, t) => {
    const g = row.map(Math.exp);
    ext.forEach((k, s) => (g[k] -= Math.exp(alpha[t][s] + beta[t][s] - row[k] - logLikelihood)));
    return g;
  });
}

function lossAndGrad(z: tf.Tensor2D, labels: number[]) {
  const T = z.shape[0];
  const batch = z.expandDims(0) as tf.Tensor3D; // [1, T, C]
  const { value, grad } = tf.valueAndGrad((x: tf.Tensor) =>
    ctcLoss(x as tf.Tensor3D, [labels], [T], [labels.length], { reduction: 'sum' }),
  )(batch);
  const out = { loss: value.dataSync()[0], grad: (grad.arraySync() as number[][][])[0] };
  tf.dispose([batch, value, grad]);
  return out;
}

describe('the fast block-floating pass of ctcLoss', () => {
  it('agrees with the per-state log pass on long, sharp and flat inputs (loss and gradient)', () => {
    const settings = [
      { T: 150, C: 10, L: 40, std: 1 },
      { T: 300, C: 8, L: 60, std: 8 },
      { T: 120, C: 5, L: 100, std: 0.1 },
    ];
    settings.forEach(({ T, C, L, std }, i) => {
      const z = tf.tidy(() => tf.randomNormal([T, C], 0, std, 'float32', 40 + i)) as tf.Tensor2D;
      const labels = Array.from({ length: L }, (_, u) => 1 + ((u * 7 + i) % (C - 1)));
      expect(minimumFrames(labels)).toBeLessThanOrEqual(T);
      const ab = ctcAlphaBeta(z, labels);
      const { loss, grad } = lossAndGrad(z, labels);
      expect(Math.abs(loss + ab.logLikelihood), `setting ${i}`).toBeLessThan(1e-5 * Math.abs(ab.logLikelihood));
      const want = gradientFromAlphaBeta(z, labels);
      want.forEach((row, t) => row.forEach((g, k) => expect(Math.abs(grad[t][k] - g)).toBeLessThan(1e-4)));
      tf.dispose([z, ab.logAlpha, ab.logBeta]);
    });
  });

  it('declines where flushed values could matter, and ctcLoss then falls back to per-state logs', () => {
    // Ten frames shout "blank", yet ten labels must fit in fifteen frames: the forward mass
    // piles up on states that cannot finish, and the paths that can are e^-500 below it.
    const T = 15, C = 12;
    const labels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const logits = Array.from({ length: T }, (_, t) => Array.from({ length: C }, (_, k) => (t < 10 && k === 0 ? 100 : 0)));
    const z = tf.tensor2d(logits);
    const y = new Float64Array(T * C);
    softmaxRows(logits.flat(), C, 0, T, y, new Float64Array(T));
    const ext = extendedLabels(labels, 0);
    expect(forwardScaled(y, 0, T, C, ext, skipTransitions(ext, 0))).toBeNull();

    const ab = ctcAlphaBeta(z, labels);
    expect(ab.logLikelihood).toBeLessThan(-400);
    const { loss, grad } = lossAndGrad(z, labels);
    expect(Math.abs(loss + ab.logLikelihood)).toBeLessThan(1e-5 * Math.abs(ab.logLikelihood));
    const want = gradientFromAlphaBeta(z, labels);
    want.forEach((row, t) => row.forEach((g, k) => expect(Math.abs(grad[t][k] - g)).toBeLessThan(1e-4)));
    tf.dispose([z, ab.logAlpha, ab.logBeta]);
  });
});

/**
 * ctcLoss against PyTorch's torch.nn.functional.ctc_loss (fixtures made by
 * test/fixtures/ctc/make_ctc_fixtures.py), finite differences, long sequences, batch
 * consistency, training use, and input checks.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ctcLoss, type CtcReduction } from '../../src/ctc/loss.ts';

interface Fixture {
  name: string;
  shape: [number, number, number];
  logits: number[];
  targets: number[][];
  inputLengths: number[];
  targetLengths: number[];
  blank: number;
  reduction: CtcReduction;
  zeroInfinity: boolean;
  loss: (number | string)[];
  grad: (number | null)[];
}

const fixtures: Fixture[] = JSON.parse(
  readFileSync(new URL('../fixtures/ctc/ctc_loss.json', import.meta.url), 'utf8'),
).cases;

const num = (v: number | string) => (typeof v === 'string' ? Number(v) : v);

/** |got − want| ≤ 1e-4·|want| + atol, with atol covering float32 rounding of values near 0. */
function expectClose(got: number, want: number, what: string, atol = 1e-6) {
  if (!Number.isFinite(want)) {
    expect(got, what).toBe(want);
    return;
  }
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-4 * Math.abs(want) + atol);
}

function lossAndGrad(f: Fixture) {
  const logits = tf.tensor3d(f.logits, f.shape);
  const options = { blank: f.blank, reduction: f.reduction, zeroInfinity: f.zeroInfinity };
  const lossOf = (z: tf.Tensor) =>
    ctcLoss(z as tf.Tensor3D, tf.tensor2d(f.targets, undefined, 'int32'), f.inputLengths, f.targetLengths, options);
  const { value, grad } = tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => lossOf(z).sum())(logits);
    const perSample = lossOf(logits);
    value.dispose();
    return { value: perSample, grad };
  });
  const out = { loss: Array.from(value.dataSync()), grad: Array.from(grad.dataSync()) };
  tf.dispose([logits, value, grad]);
  return out;
}

describe('ctcLoss matches torch.nn.functional.ctc_loss', () => {
  for (const f of fixtures) {
    it(`${f.name}: loss and gradient`, () => {
      const { loss, grad } = lossAndGrad(f);
      expect(loss.length).toBe(f.loss.length);
      f.loss.forEach((want, i) => expectClose(loss[i], num(want), `loss[${i}]`));
      f.grad.forEach((want, i) => {
        if (want === null) {
          // PyTorch's gradient is NaN for an impossible alignment; ours is 0.
          expect(grad[i], `grad[${i}]`).toBe(0);
        } else {
          expectClose(grad[i], want, `grad[${i}]`, 1e-6);
        }
      });
    });
  }
});

describe('ctcLoss', () => {
  it('gives the same per-sample losses for a sample alone (B = 1) and inside a padded batch (B = 3)', () => {
    const f = fixtures.find((x) => x.name.startsWith('random, reduction none'))!;
    const [B, T, C] = f.shape;
    const batch = lossAndGrad(f);
    for (let b = 0; b < B; b++) {
      const Tb = f.inputLengths[b];
      const alone = lossAndGrad({
        ...f,
        shape: [1, Tb, C],
        logits: f.logits.slice(b * T * C, (b * T + Tb) * C),
        targets: [f.targets[b]],
        inputLengths: [Tb],
        targetLengths: [f.targetLengths[b]],
      });
      expectClose(alone.loss[0], batch.loss[b], `sample ${b} loss`);
      alone.grad.forEach((g, i) => expectClose(g, batch.grad[b * T * C + i], `sample ${b} grad[${i}]`, 1e-6));
      // Padded frames of the batch get no gradient.
      for (let i = (b * T + Tb) * C; i < (b + 1) * T * C; i++) expect(batch.grad[i]).toBe(0);
    }
  });

  it('has the gradient that central finite differences of the loss give', () => {
    const B = 2, T = 7, C = 5;
    const logits = tf.randomNormal([B, T, C], 0, 1.5, 'float32', 11) as tf.Tensor3D;
    const targets = [[1, 3, 3], [2, 4]];
    const lossOf = (z: tf.Tensor) => ctcLoss(z as tf.Tensor3D, targets, [7, 6], [3, 2], { reduction: 'sum' });
    const grad = tf.tidy(() => tf.grad(lossOf)(logits)).arraySync() as number[][][];
    const base = logits.arraySync();
    const eps = 1e-2;
    const at = (b: number, t: number, k: number, delta: number) =>
      tf.tidy(() => {
        const moved = base.map((x) => x.map((row) => row.slice()));
        moved[b][t][k] += delta;
        return lossOf(tf.tensor3d(moved)).dataSync()[0];
      });
    for (const [b, t, k] of [[0, 0, 1], [0, 3, 3], [0, 6, 0], [1, 2, 2], [1, 5, 4], [1, 4, 0]]) {
      const numeric = (at(b, t, k, eps) - at(b, t, k, -eps)) / (2 * eps);
      expect(Math.abs(grad[b][t][k] - numeric), `∂/∂z[${b}][${t}][${k}]`).toBeLessThan(2e-3);
    }
    logits.dispose();
  });

  it('scales its gradient by the upstream gradient (per sample for reduction none)', () => {
    const logits = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 9) as tf.Tensor3D;
    const targets = [[1, 2], [3], [2, 2]];
    const loss = (z: tf.Tensor, reduction: CtcReduction) =>
      ctcLoss(z as tf.Tensor3D, targets, [6, 5, 6], [2, 1, 2], { reduction });
    const weights = tf.tensor1d([0.5, -2, 3]);
    const [weighted, plain, tripled, mean] = tf.tidy(() => [
      tf.grad((z) => loss(z, 'none').mul(weights).sum())(logits),
      tf.grad((z) => loss(z, 'sum'))(logits),
      tf.grad((z) => loss(z, 'mean').mul(3))(logits),
      tf.grad((z) => loss(z, 'mean'))(logits),
    ]);
    const w = plain.arraySync() as number[][][];
    (weighted.arraySync() as number[][][]).forEach((sample, b) =>
      sample.forEach((row, t) => row.forEach((g, k) => expect(g).toBeCloseTo([0.5, -2, 3][b] * w[b][t][k], 6))),
    );
    const m = mean.dataSync();
    tripled.dataSync().forEach((g, i) => expect(g).toBeCloseTo(3 * m[i], 6));
    tf.dispose([logits, weights, weighted, plain, tripled, mean]);
  });

  it('stays finite for T = 2000 frames of sharp logits', () => {
    const T = 2000, C = 6;
    const labels = Array.from({ length: 300 }, (_, u) => 1 + (u % 5));
    // Frame t strongly prefers the label of the segment it sits in, else the blank.
    const scores = tf.buffer([1, T, C]);
    for (let t = 0; t < T; t++) {
      const u = Math.floor(t / (T / labels.length));
      const k = t % 6 === 0 ? labels[u] : 0;
      for (let c = 0; c < C; c++) scores.set(c === k ? 30 : -30, 0, t, c);
    }
    const logits = scores.toTensor() as tf.Tensor3D;
    const [value, grad] = tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => ctcLoss(z as tf.Tensor3D, [labels], [T], [300], { reduction: 'sum' }))(logits);
      return [value, grad];
    });
    const loss = value.dataSync()[0];
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(0);
    expect(grad.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose([logits, value, grad]);
  });

  it('gives +Infinity and a zero gradient for an impossible alignment, 0 under zeroInfinity', () => {
    const logits = tf.zeros([1, 2, 3]) as tf.Tensor3D;
    const targets = [[1, 1]]; // needs 3 frames
    for (const zeroInfinity of [false, true]) {
      const { value, grad } = tf.valueAndGrad((z: tf.Tensor) =>
        ctcLoss(z as tf.Tensor3D, targets, [2], [2], { reduction: 'sum', zeroInfinity }),
      )(logits);
      expect(value.dataSync()[0]).toBe(zeroInfinity ? 0 : Infinity);
      expect(Array.from(grad.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      tf.dispose([value, grad]);
    }
    logits.dispose();
  });

  it('accepts targets as a padded int tensor or as label arrays, and lengths as tensors', () => {
    const logits = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
    const a = ctcLoss(logits, [[1, 2], [3]], [5, 4], [2, 1], { reduction: 'none' });
    const targets = tf.tensor2d([[1, 2], [3, 0]], undefined, 'int32');
    const b = ctcLoss(logits, targets, tf.tensor1d([5, 4], 'int32'), tf.tensor1d([2, 1], 'int32'), { reduction: 'none' });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([logits, a, b, targets]);
  });

  it('trains a linear model under optimizer.minimize without leaking tensors', () => {
    const B = 4, T = 8, F = 3, C = 4;
    const x = tf.randomNormal([B, T, F], 0, 1, 'float32', 5);
    const W = tf.variable(tf.randomNormal([F, C], 0, 0.1, 'float32', 6));
    const targets = [[1, 2], [3], [2, 2], [1, 3, 1]];
    const optimizer = tf.train.adam(0.05);
    const step = () =>
      optimizer.minimize(
        () => ctcLoss(tf.matMul(x.reshape([B * T, F]), W).reshape([B, T, C]) as tf.Tensor3D, targets, [8, 8, 8, 8], [2, 1, 2, 3]) as tf.Scalar, // [B·T, F] → [B, T, C]
        true,
      )!;
    const first = step();
    const firstLoss = first.dataSync()[0];
    first.dispose();
    const before = tf.memory().numTensors;
    let last = 0;
    for (let i = 0; i < 30; i++) {
      const loss = step();
      last = loss.dataSync()[0];
      loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(firstLoss * 0.8);
    tf.dispose([x, W]);
    optimizer.dispose();
  });
});

describe('ctcLoss rejects bad input, naming the argument and the sample', () => {
  const logits = tf.zeros([2, 4, 5]) as tf.Tensor3D;
  const cases: [string, () => unknown, RegExp][] = [
    ['a label equal to the blank', () => ctcLoss(logits, [[1], [2, 0]], [4, 4], [1, 2]), /targets\[1\]\[1\] \(sample 1\).*blank/],
    ['a label equal to the blank (blank last)', () => ctcLoss(logits, [[4], [2]], [4, 4], [1, 1], { blank: 4 }), /targets\[0\]\[0\] \(sample 0\).*blank/],
    ['a class index ≥ C', () => ctcLoss(logits, [[1], [5]], [4, 4], [1, 1]), /targets\[1\]\[0\] \(sample 1\).*got 5/],
    ['a negative class index', () => ctcLoss(logits, [[-1], [2]], [4, 4], [1, 1]), /targets\[0\]\[0\] \(sample 0\).*got -1/],
    ['a fractional class index', () => ctcLoss(logits, [[1.5], [2]], [4, 4], [1, 1]), /targets\[0\]\[0\].*got 1.5/],
    ['an input length above T', () => ctcLoss(logits, [[1], [2]], [4, 5], [1, 1]), /inputLengths\[1\] \(sample 1\).*got 5/],
    ['a negative input length', () => ctcLoss(logits, [[1], [2]], [-1, 4], [1, 1]), /inputLengths\[0\] \(sample 0\).*got -1/],
    ['a target length above S', () => ctcLoss(logits, [[1], [2]], [4, 4], [1, 2]), /targetLengths\[1\] \(sample 1\)/],
    ['a target length above the padded width', () => ctcLoss(logits, tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32'), [4, 4], [3, 1]), /targetLengths\[0\] \(sample 0\).*got 3/],
    ['targets for another batch size', () => ctcLoss(logits, [[1]], [4, 4], [1, 1]), /targets:.*B = 2/],
    ['inputLengths for another batch size', () => ctcLoss(logits, [[1], [2]], [4], [1, 1]), /inputLengths: expected 2 lengths.*got 1/],
    ['targetLengths for another batch size', () => ctcLoss(logits, [[1], [2]], [4, 4], [1, 1, 1]), /targetLengths: expected 2 lengths.*got 3/],
    ['logits of the wrong rank', () => ctcLoss(tf.zeros([4, 5]) as unknown as tf.Tensor3D, [[1]], [4], [1]), /logits: expected rank 3 \[B, T, C\]/],
    ['an unknown reduction', () => ctcLoss(logits, [[1], [2]], [4, 4], [1, 1], { reduction: 'avg' as CtcReduction }), /reduction:.*'avg'/],
    ['an unknown option', () => ctcLoss(logits, [[1], [2]], [4, 4], [1, 1], { blnk: 0 } as object), /unknown option 'blnk'/],
  ];
  for (const [what, call, message] of cases) {
    it(`rejects ${what}`, () => expect(call).toThrow(message));
  }
});

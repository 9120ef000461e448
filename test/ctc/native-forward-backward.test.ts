/**
 * The WebAssembly CTC forward-backward (src/native/ctc.c through native-forward-backward.ts)
 * against the TypeScript reference it replaces: ctcLoss with SORI_NATIVE=0 (the block-floating
 * and log-space passes in TypeScript, themselves checked against PyTorch in loss.test.ts), on
 * ragged batches, repeated labels, a blank that is not class 0, empty targets, impossible
 * alignments and sharp logits; plus batch consistency and no growth of the module's memory.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CtcLossOptions, CtcReduction } from '../../src/ctc/loss.ts';

/** torch.nn.functional.ctc_loss cases in float64 (test/fixtures/ctc/make_ctc_fixtures.py). */
interface TorchCase {
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
const torchCases: TorchCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/ctc/ctc_loss.json', import.meta.url), 'utf8'),
).cases;

type Case = { logits: tf.Tensor3D; targets: number[][]; inputLengths: number[]; targetLengths: number[]; options: CtcLossOptions };

/** ctcLoss from a fresh copy of the modules, with the WebAssembly path on or turned off. */
async function ctcLossWith(native: boolean) {
  vi.resetModules();
  const saved = process.env.SORI_NATIVE;
  process.env.SORI_NATIVE = native ? '1' : '0';
  const { ctcLoss } = await import('../../src/ctc/loss.ts');
  const { nativeCtcAvailable } = await import('../../src/ctc/native-forward-backward.ts');
  expect(nativeCtcAvailable()).toBe(native); // decided now, on first use
  if (saved === undefined) delete process.env.SORI_NATIVE;
  else process.env.SORI_NATIVE = saved;
  return ctcLoss;
}

/** Per-sample losses [B] and the gradient of their sum [B·T·C], under a tape and without one. */
function run(ctcLoss: Awaited<ReturnType<typeof ctcLossWith>>, c: Case) {
  const options = { ...c.options, reduction: 'none' as const };
  const lossOf = (z: tf.Tensor) => ctcLoss(z as tf.Tensor3D, c.targets, c.inputLengths, c.targetLengths, options);
  const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => lossOf(z).sum() as tf.Scalar)(c.logits);
  const untaped = lossOf(c.logits);
  const out = { sum: value.dataSync()[0], loss: Array.from(untaped.dataSync()), grad: Array.from(grad.dataSync()) };
  tf.dispose([value, grad, untaped]);
  return out;
}

function expectClose(got: number[], want: number[], what: string, tol = 1e-5) {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (!Number.isFinite(want[i])) expect(g, `${what}[${i}]`).toBe(want[i]);
    else expect(Math.abs(g - want[i]), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i])));
  });
}

const logits = (shape: [number, number, number], std: number, seed: number) =>
  tf.randomNormal(shape, 0, std, 'float32', seed) as tf.Tensor3D;

const cases: [string, () => Case][] = [
  ['a ragged batch with repeated labels', () => ({
    logits: logits([3, 12, 6], 1.5, 1),
    targets: [[1, 1, 2], [3, 0, 0, 0], [2, 4, 4, 5]],
    inputLengths: [12, 5, 9],
    targetLengths: [3, 1, 4],
    options: {},
  })],
  ['the blank as the last class', () => ({
    logits: logits([2, 9, 5], 1, 2),
    targets: [[0, 0, 3], [2, 1, 0]],
    inputLengths: [9, 7],
    targetLengths: [3, 2],
    options: { blank: 4 },
  })],
  ['empty targets and single frames', () => ({
    logits: logits([3, 4, 4], 1, 3),
    targets: [[0], [2], [1]],
    inputLengths: [4, 1, 1],
    targetLengths: [0, 1, 0],
    options: {},
  })],
  ['an impossible alignment (+∞, gradient 0)', () => ({
    logits: logits([2, 3, 4], 1, 4),
    targets: [[1, 1, 2], [1, 2, 0]],
    inputLengths: [3, 3],
    targetLengths: [3, 2],
    options: {},
  })],
  ['an impossible alignment under zeroInfinity', () => ({
    logits: logits([2, 3, 4], 1, 4),
    targets: [[1, 1, 2], [1, 2, 0]],
    inputLengths: [3, 3],
    targetLengths: [3, 2],
    options: { zeroInfinity: true },
  })],
  ['300 frames of sharp logits (values flushed; the log-space passes where uncertified)', () => ({
    logits: logits([2, 300, 8], 12, 5),
    targets: [Array.from({ length: 60 }, (_, i) => 1 + (i % 7)), Array.from({ length: 60 }, (_, i) => 1 + ((i >> 1) % 7))],
    inputLengths: [300, 280],
    targetLengths: [60, 60],
    options: {},
  })],
];

describe('the WebAssembly CTC forward-backward', () => {
  afterEach(() => vi.resetModules());

  for (const [name, make] of cases) {
    it(`equals the TypeScript passes within 1e-5 on loss and gradient: ${name}`, async () => {
      const c = make();
      const reference = run(await ctcLossWith(false), c);
      const native = run(await ctcLossWith(true), c);
      expectClose(native.loss, reference.loss, 'loss');
      expectClose([native.sum], [reference.sum], 'taped loss');
      expectClose(native.grad, reference.grad, 'grad');
      c.logits.dispose();
    });
  }

  it("equals torch's ctc_loss (float64) within 1e-5 on every fixture's per-sample losses and gradient", async () => {
    const ctcLoss = await ctcLossWith(true);
    for (const f of torchCases) {
      const logits = tf.tensor3d(f.logits, f.shape);
      const options = { blank: f.blank, reduction: f.reduction, zeroInfinity: f.zeroInfinity };
      const lossOf = (z: tf.Tensor) =>
        ctcLoss(z as tf.Tensor3D, f.targets, f.inputLengths, f.targetLengths, options).sum() as tf.Scalar;
      const { value, grad } = tf.valueAndGrad(lossOf)(logits);
      const perSample = ctcLoss(logits, f.targets, f.inputLengths, f.targetLengths, { ...options, reduction: 'none' });
      const want = f.loss.map(Number);
      const got = Array.from(perSample.dataSync());
      // The fixture holds the per-sample losses ('none') or the reduced one.
      expectClose(f.reduction === 'none' ? got : [value.dataSync()[0]], want, `${f.name} loss`);
      // PyTorch's gradient is NaN (null) for an impossible alignment; ours is 0.
      expectClose(Array.from(grad.dataSync()), f.grad.map((g) => g ?? 0), `${f.name} grad`);
      tf.dispose([logits, value, grad, perSample]);
    }
  });

  it('gives each sample of a padded batch (B = 3) what it gives that sample alone (B = 1)', async () => {
    const ctcLoss = await ctcLossWith(true);
    const c = cases[0][1]();
    const [B, T, C] = c.logits.shape;
    const batch = run(ctcLoss, c);
    const rows = c.logits.dataSync();
    for (let b = 0; b < B; b++) {
      const Tb = c.inputLengths[b];
      const alone = tf.tensor3d(rows.slice(b * T * C, (b * T + Tb) * C), [1, Tb, C]);
      const one = run(ctcLoss, { ...c, logits: alone, targets: [c.targets[b]], inputLengths: [Tb], targetLengths: [c.targetLengths[b]] });
      expectClose(one.loss, [batch.loss[b]], `sample ${b} loss`, 1e-6);
      expectClose(one.grad, batch.grad.slice(b * T * C, (b * T + Tb) * C), `sample ${b} grad`, 1e-6);
      batch.grad.slice((b * T + Tb) * C, (b + 1) * T * C).forEach((g) => expect(g).toBe(0));
      alone.dispose();
    }
    c.logits.dispose();
  });

  it('does not grow its module memory or leak tensors on repeated calls of one size', async () => {
    const ctcLoss = await ctcLossWith(true);
    const { ctcKernel } = await import('../../src/native/ctc.ts');
    const c = cases[0][1]();
    run(ctcLoss, c);
    const bytes = ctcKernel()!.memory.buffer.byteLength;
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run(ctcLoss, c);
    expect(ctcKernel()!.memory.buffer.byteLength).toBe(bytes);
    expect(tf.memory().numTensors).toBe(tensors);
    c.logits.dispose();
  });
});

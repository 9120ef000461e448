// The native kernels come in two builds of one source (src/native/build.sh): relaxed SIMD, whose
// multiply-adds are f32x4.relaxed_madd (fused where the CPU has FMA), and plain SIMD. The relaxed
// one loads where the runtime validates it (Node 20 once relaxed-simd.ts turns on V8's flag);
// SORI_NATIVE_FMA=0 keeps to plain SIMD. Both compute the same products up to rounding.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeKernelsVariant, nativeKernelsVariants, useNativeKernelsVariant, type NativeKernels } from '../../src/native/kernels.ts';

const fmaOff = process.env.SORI_NATIVE_FMA === '0';
const variantIn = (env: Record<string, string>): string =>
  execFileSync(
    process.execPath,
    ['--import', 'tsx', '-e', "import('./src/native/kernels.ts').then((k) => console.log(k.nativeKernelsVariant()))"],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  ).trim();

/** C [M, N] = A [M, K] · B [K, N] + bias [N] by the module's gemm. */
function gemm(k: NativeKernels, M: number, N: number, K: number, A: number[], B: number[], bias: number[]): Float32Array {
  const p = k.heap.layout({ A: M * K, B: K * N, bias: N, C: M * N, scratch: k.packed_size(K, N) });
  k.f32(p.A, M * K).set(A);
  k.f32(p.B, K * N).set(B);
  k.f32(p.bias, N).set(bias);
  k.gemm(M, N, K, p.A, p.B, p.bias, p.C, 0, p.scratch);
  const C = k.f32(p.C, M * N).slice();
  k.heap.release(p.block);
  return C;
}

describe.skipIf(process.env.SORI_NATIVE === '0')('native kernel variants', () => {
  afterAll(() => void useNativeKernelsVariant(nativeKernelsVariants()[0]));

  it.skipIf(fmaOff)('relaxed SIMD loads here (Node 20, V8 flag turned on at run time) and is the default', () => {
    expect(nativeKernelsVariants()).toEqual(['relaxed-simd', 'simd']);
    expect(nativeKernelsVariant()).toBe('relaxed-simd');
  });

  it('SORI_NATIVE_FMA=0 keeps to plain SIMD; SORI_NATIVE=0 loads neither', () => {
    expect(variantIn({ SORI_NATIVE_FMA: '0' })).toBe('simd');
    expect(variantIn({ SORI_NATIVE: '0' })).toBe('null');
  });

  it.skipIf(fmaOff)('plain SIMD rounds a·b before adding c; relaxed SIMD may fuse them (x86 FMA3, ARM NEON)', () => {
    // a = b = 1 + 2⁻²³, c = −(1 + 2⁻²²): a·b = 1 + 2⁻²² + 2⁻⁴⁶ rounds to −c, so a·b + c is 0 rounded, 2⁻⁴⁶ fused.
    const a = 1 + 2 ** -23;
    const c = -(1 + 2 ** -22);
    const plain = gemm(useNativeKernelsVariant('simd'), 1, 8, 1, [a], Array(8).fill(a), Array(8).fill(c));
    const relaxed = gemm(useNativeKernelsVariant('relaxed-simd'), 1, 8, 1, [a], Array(8).fill(a), Array(8).fill(c));
    expect(Array.from(plain)).toEqual(Array(8).fill(0));
    expect([0, 2 ** -46]).toContain(relaxed[0]);
    expect(new Set(relaxed).size).toBe(1);
  });

  it('both variants give a 37 × 29 × 41 product within 1e-5 of float64 arithmetic (tiles, edges, bias)', () => {
    const M = 37;
    const N = 29;
    const K = 41;
    const A = Array.from({ length: M * K }, (_, i) => Math.fround(Math.sin(i)));
    const B = Array.from({ length: K * N }, (_, i) => Math.fround(Math.cos(3 * i)));
    const bias = Array.from({ length: N }, (_, j) => Math.fround(j / 7 - 2));
    for (const variant of nativeKernelsVariants()) {
      const C = gemm(useNativeKernelsVariant(variant), M, N, K, A, B, bias);
      let worst = 0;
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let sum = bias[j];
          for (let k = 0; k < K; k++) sum += A[i * K + k] * B[k * N + j];
          worst = Math.max(worst, Math.abs(C[i * N + j] - sum) / Math.max(1, Math.abs(sum)));
        }
      }
      expect(worst, variant).toBeLessThan(1e-5);
    }
  });

  it('both variants give softmax cross-entropy (exp4 with madd) within 1e-5 of float64, loss and gradient', () => {
    const N = 5;
    const V = 37;
    const eps = 0.1;
    const z = Array.from({ length: N * V }, (_, i) => Math.fround(Math.sin(0.7 * i) * 6));
    const targets = [0, 36, 5, 17, 2];
    const weights = [1, 0.5, 1, 0, 2];
    for (const variant of nativeKernelsVariants()) {
      const k = useNativeKernelsVariant(variant);
      const p = k.heap.layout({ z: N * V, targets: N, weights: N, loss: N, grad: N * V });
      k.f32(p.z, N * V).set(z);
      k.i32(p.targets, N).set(targets);
      k.f32(p.weights, N).set(weights);
      k.softmax_cross_entropy(N, V, p.z, p.targets, p.weights, eps, p.loss, p.grad);
      const loss = k.f32(p.loss, N).slice();
      const grad = k.f32(p.grad, N * V).slice();
      k.heap.release(p.block);
      for (let n = 0; n < N; n++) {
        const row = z.slice(n * V, (n + 1) * V);
        const max = Math.max(...row);
        const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
        const logZ = max + Math.log(sum);
        const q = (v: number) => (v === targets[n] ? 1 - eps : 0) + eps / V;
        const expected = weights[n] * row.reduce((s, v, i) => s - q(i) * (v - logZ), 0);
        expect(Math.abs(loss[n] - expected), `${variant} loss[${n}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
        row.forEach((v, i) => {
          const g = weights[n] * (Math.exp(v - logZ) - q(i));
          expect(Math.abs(grad[n * V + i] - g), `${variant} grad[${n}, ${i}]`).toBeLessThan(1e-5);
        });
      }
    }
  });
});

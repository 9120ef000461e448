// The native module's transpose and column sums (src/native/kernels.c), on sizes with edges in
// both directions (not multiples of 4, more columns than one pass takes), against plain loops.
import { describe, expect, it } from 'vitest';
import { nativeKernels } from '../../src/native/kernels.ts';

const k = nativeKernels()!;
const M = 37;
const N = 45;
const A = Float32Array.from({ length: M * N }, (_, i) => Math.fround(Math.sin(i) * 3));

describe.skipIf(process.env.SORI_NATIVE === '0')('native transpose and column sums', () => {
  it('transpose: out[j, i] = A[i, j] for A [37, 45]', () => {
    const p = k.heap.layout({ A: M * N, out: M * N });
    k.f32(p.A, M * N).set(A);
    k.transpose(M, N, p.A, p.out);
    const out = k.f32(p.out, M * N).slice();
    k.heap.release(p.block);
    const expected = new Float32Array(M * N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) expected[j * M + i] = A[i * N + j];
    expect(out).toEqual(expected);
  });

  it('column sums: out[j] = Σ_i A[i, j] in float32 order i = 0, 1, …; accumulate adds to out', () => {
    const p = k.heap.layout({ A: M * N, out: N });
    k.f32(p.A, M * N).set(A);
    k.column_sums(M, N, p.A, p.out, 0);
    const sums = k.f32(p.out, N).slice();
    k.column_sums(M, N, p.A, p.out, 1);
    const twice = k.f32(p.out, N).slice();
    k.heap.release(p.block);
    const expected = new Float32Array(N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) expected[j] = Math.fround(expected[j] + A[i * N + j]);
    expect(sums).toEqual(expected);
    const again = Float32Array.from(expected);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) again[j] = Math.fround(again[j] + A[i * N + j]);
    expect(twice).toEqual(again);
  });
});

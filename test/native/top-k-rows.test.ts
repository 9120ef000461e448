import { describe, expect, it } from 'vitest';
import { nativeKernels } from '../../src/native/kernels.ts';
import { mulberry32 } from '../../src/random.ts';

/** The m largest entries of a row by brute force: sorted by value, ties by lower index. */
function bruteForce(row: Float32Array, m: number): number[] {
  return Array.from(row.keys()).sort((a, b) => row[b] - row[a] || a - b).slice(0, m);
}

describe.runIf(nativeKernels())('top_k_rows (decoder.h, beam search candidates)', () => {
  it('finds each row’s m largest entries, best first, ties by lower index (V = 13, 1000; many ties)', () => {
    const k = nativeKernels()!;
    const random = mulberry32(3);
    for (const [N, V, m] of [[5, 13, 4], [7, 1000, 10], [3, 6, 6], [2, 3, 1]]) {
      const x = new Float32Array(N * V).map(() => Math.round(random() * 8) / 4 - 1); // few distinct values: ties
      const p = k.heap.layout({ x: N * V, index: N * m, value: N * m });
      k.f32(p.x, N * V).set(x);
      k.top_k_rows(N, V, p.x, m, p.index, p.value);
      for (let n = 0; n < N; n++) {
        const row = x.subarray(n * V, (n + 1) * V);
        const expected = bruteForce(row, m);
        expect(Array.from(k.i32(p.index + 4 * n * m, m))).toEqual(expected);
        expect(Array.from(k.f32(p.value + 4 * n * m, m))).toEqual(expected.map((v) => row[v]));
      }
      k.heap.release(p.block);
    }
  });
});

// sori's native products on several threads (src/native/threads.ts): a product split by rows
// across the main thread and workers is the one-thread product bit for bit; the thread count comes
// from setNativeThreads or SORI_THREADS; a failure on a worker is a named error; workers never
// keep the process alive; SORI_NATIVE=0 still turns every native kernel off.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeThreads, setNativeThreads } from '../../src/index.ts';
import { nativeKernels, nativeKernelsVariants, useNativeKernelsVariant, type NativeKernels } from '../../src/native/kernels.ts';
import { nativeThreadPoolsStarted } from '../../src/native/threads.ts';

afterEach(() => setNativeThreads(1));

/** C = A B + bias + C0 by a double loop in JavaScript: A [M, K], B [K, N]. */
function bruteForce(M: number, N: number, K: number, A: Float32Array, B: Float32Array, bias: Float32Array, C0: Float32Array) {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = bias[j] + C0[i * N + j];
      for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
      C[i * N + j] = s;
    }
  return C;
}

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 1000 + i * 0.7));

/** C = A B + bias + C0 with `k.gemm` (B unpacked, accumulate on) for A [M, K], B [K, N]. */
function product(k: NativeKernels, M: number, N: number, K: number): Float32Array {
  const m = k.heap.layout({ A: M * K, B: K * N, bias: N, C: M * N, scratch: k.packed_size(K, N) });
  k.f32(m.A, M * K).set(values(M * K, 1));
  k.f32(m.B, K * N).set(values(K * N, 2));
  k.f32(m.bias, N).set(values(N, 3));
  k.f32(m.C, M * N).set(values(M * N, 4));
  k.gemm(M, N, K, m.A, m.B, m.bias, m.C, 1, m.scratch);
  const C = k.f32(m.C, M * N).slice();
  k.heap.release(m.block);
  return C;
}

/** Run `code` (an ES module importing from src/index.ts) in a fresh Node process; its stdout. */
function runNode(code: string, env: Record<string, string>): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'], // stderr goes into the error's message
    timeout: 60_000,
  });
}

describe.skipIf(process.env.SORI_NATIVE === '0')('native products on two threads', () => {
  for (const [M, N, K, how] of [
    [37, 23, 19, 'by rows (tiles of 4: 20 and 17, a 1-row tile at the end)'],
    [6, 45, 19, 'by columns (panels of 8 or 16: 24 or 32, then the rest, a part-panel at the end)'],
  ] as const) {
    it.each(nativeKernelsVariants())(`a product split ${how} equals the one-thread product bit for bit, and the double loop (%s)`, (variant) => {
      useNativeKernelsVariant(variant);
      const one = product(nativeKernels()!, M, N, K);
      setNativeThreads(2, { minPartFlops: 0, takeBack: false });
      const two = product(nativeKernels()!, M, N, K);
      expect(two).toEqual(one);
      const reference = bruteForce(M, N, K, values(M * K, 1), values(K * N, 2), values(N, 3), values(M * N, 4));
      for (let i = 0; i < M * N; i++) expect(Math.abs(two[i] - reference[i])).toBeLessThan(1e-4);
      useNativeKernelsVariant(nativeKernelsVariants()[0]);
    });
  }

  it('a transpose and column sums split by blocks of columns (37 rows, 45 columns: 32 and 13 / 24 and 21) equal the one-thread results bit for bit; transpose_sums gives both in one pass', () => {
    const [M, N] = [37, 45];
    const run = (k: NativeKernels) => {
      const m = k.heap.layout({ A: M * N, out: N * M, sums: N, out2: N * M, sums2: N, sums3: N });
      k.f32(m.A, M * N).set(values(M * N, 5));
      k.f32(m.sums, N).set(values(N, 6));
      k.transpose(M, N, m.A, m.out);
      k.column_sums(M, N, m.A, m.sums, 1);
      k.column_sums(M, N, m.A, m.sums3, 0);
      k.transpose_sums(M, N, m.A, m.out2, m.sums2);
      const result = {
        transposed: k.f32(m.out, N * M).slice(),
        sums: k.f32(m.sums, N).slice(),
        fused: { transposed: k.f32(m.out2, N * M).slice(), sums: k.f32(m.sums2, N).slice() },
        columnSums: k.f32(m.sums3, N).slice(),
      };
      k.heap.release(m.block);
      return result;
    };
    const one = run(nativeKernels()!);
    setNativeThreads(2, { minPartFlops: 0, takeBack: false });
    const two = run(nativeKernels()!);
    expect(two).toEqual(one);
    expect(one.fused).toEqual({ transposed: one.transposed, sums: one.columnSums });
    const A = values(M * N, 5);
    const start = values(N, 6);
    for (let j = 0; j < N; j++) {
      let sum = start[j];
      for (let i = 0; i < M; i++) {
        expect(two.transposed[j * M + i]).toBe(A[i * N + j]);
        sum += A[i * N + j];
      }
      expect(Math.abs(two.sums[j] - sum)).toBeLessThan(1e-4);
    }
  });

  it('the workers start once and serve every product after', () => {
    setNativeThreads(2, { minPartFlops: 0, takeBack: false });
    const started = nativeThreadPoolsStarted();
    for (let i = 0; i < 3; i++) product(nativeKernels()!, 37, 23, 19);
    expect(nativeThreadPoolsStarted()).toBe(started);
  });

  it('workers see the memory the main thread grew after they started', () => {
    setNativeThreads(2, { minPartFlops: 0, takeBack: false });
    const k = nativeKernels()!;
    const [M, N, K] = [80, 23, 19];
    const one = product(k, M, N, K); // the workers are running
    const before = k.f32(0, 0).buffer.byteLength;
    const hole = k.heap.alloc(4 * (M * K + K * N + N + M * N + k.packed_size(K, N))); // where that product was
    const filler = k.heap.alloc(before); // the next product lies past the old end
    expect(k.f32(0, 0).buffer.byteLength).toBeGreaterThan(before);
    expect(product(k, M, N, K)).toEqual(one);
    k.heap.release(filler);
    k.heap.release(hole);
  });

  /** The error of an 8-row product whose rows 4 … 7 lie past the end of the memory (rows 0 … 3 inside). */
  function errorPastTheEnd(): Error | undefined {
    const k = nativeKernels()!;
    const A = k.f32(0, 0).buffer.byteLength - 4 * 4 * 4; // 4 rows of K = 4 floats before the end
    const m = k.heap.layout({ Bp: k.packed_size(4, 4), C: 8 * 4 });
    try {
      k.gemm_packed(8, 4, 4, A, m.Bp, 0, m.C, 0);
    } catch (err) {
      return err as Error;
    } finally {
      k.heap.release(m.block);
    }
  }

  it('a call that fails on a worker is a NativeThreadError naming the thread', () => {
    setNativeThreads(2, { minPartFlops: 0, takeBack: false }); // rows 0 … 3 on this thread, 4 … 7 on worker 1
    const err = errorPastTheEnd();
    expect(err?.name).toBe('NativeThreadError');
    expect(err?.message).toMatch(/native thread 1: gemm_packed_strided: .*out of bounds/);
  });

  it('a part no worker has begun (here: the worker is still starting) runs on the calling thread', () => {
    setNativeThreads(2, { minPartFlops: 0 }); // a new worker: it takes milliseconds to start
    const err = errorPastTheEnd();
    expect(err?.name).toBe('RuntimeError'); // rows 4 … 7 trapped here, not on the worker
  });

  it('a product below the size threshold stays on the calling thread', () => {
    setNativeThreads(2); // 2·8·4·4 flops: far below the default threshold
    const err = errorPastTheEnd();
    expect(err?.name).toBe('RuntimeError'); // the trap on this thread, not a worker's
  });

  it('setNativeThreads names a count that is not a whole number in [1, 64]', () => {
    for (const n of [0, 1.5, 65, NaN]) expect(() => setNativeThreads(n)).toThrow(/setNativeThreads: expected a whole number of threads in \[1, 64\]/);
    expect(nativeThreads()).toBe(1);
  });
});

describe.skipIf(process.env.SORI_NATIVE === '0')('SORI_THREADS', () => {
  const script = `
    import * as tf from '@tensorflow/tfjs';
    import { initBackend, nativeThreads, RnnStack } from './src/index.ts';
    await initBackend('cpu');
    const stack = new RnnStack({ cell: 'lstm', inputSize: 64, hiddenSize: 64, seed: 1 });
    const y = stack.apply(tf.ones([16, 40, 64])).outputs; // input projection: 2·640·64·256 flops
    console.log(nativeThreads(), stack.kernel, y.shape.join('×'));
  `;

  it('sets the thread count before first use, and the workers let the process end', () => {
    // execFileSync returns only when the process ended by itself: unref'd workers do not hold it
    expect(runNode(script, { SORI_THREADS: '2' }).trim()).toBe('2 native 16×40×64');
  }, 60_000);

  it('with SORI_NATIVE=0 turns nothing on: the fused kernel runs', () => {
    expect(runNode(script, { SORI_THREADS: '2', SORI_NATIVE: '0' }).trim()).toBe('2 fused 16×40×64');
  }, 60_000);

  it('names a value that is not a thread count', () => {
    expect(() => runNode(script, { SORI_THREADS: 'many' })).toThrow(/SORI_THREADS: expected a whole number of threads in \[1, 64\], got 'many'/);
  }, 60_000);
});

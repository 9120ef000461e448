/**
 * One matrix product of sori's native kernels on 1 and on N threads, alternating, median of REPS
 * (README, Threads). C [M, N] = A [M, K] · B [K, N] + bias, B packed once; INNER products per
 * timed repetition. Checks first that both give the same bits.
 *
 *   npx tsx scripts/threads-product.ts [M,K,N] [--threads N] [--min-flops X] [--inner I] [--reps R] [--best] [--no-take-back]
 *
 * --best reports the fastest repetition instead of the median: on a busy machine, the runs in
 * which both threads happened to be scheduled. --no-take-back makes the calling thread wait for
 * the workers' parts (setNativeThreads' takeBack: false).
 *   npx tsx scripts/threads-product.ts 3200,128,512      an LSTM 2×128 layer's input projection
 *   npx tsx scripts/threads-product.ts 32,128,512 --min-flops 0 --inner 20   one step's product
 */
import { nativeKernels, type NativeKernels } from '../src/native/kernels.ts';
import { setNativeThreads } from '../src/native/threads.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const [M, K, N] = (args.find((a) => /^\d+,\d+,\d+$/.test(a)) ?? '3200,128,512').split(',').map(Number);
const threads = option('threads', 2);
const inner = option('inner', 1);
const reps = option('reps', 21);

function setup(k: NativeKernels) {
  const m = k.heap.layout({ A: M * K, B: K * N, Bp: k.packed_size(K, N), C: M * N, bias: N });
  k.f32(m.A, M * K).forEach((_, i, a) => (a[i] = Math.sin(i)));
  k.f32(m.B, K * N).forEach((_, i, a) => (a[i] = Math.cos(i)));
  k.f32(m.bias, N).fill(0.5);
  k.pack(K, N, m.B, m.Bp);
  return () => {
    for (let q = 0; q < inner; q++) k.gemm_packed(M, N, K, m.A, m.Bp, m.bias, m.C, 0);
    return k.f32(m.C, M * N);
  };
}

setNativeThreads(1);
const one = setup(nativeKernels()!); // the one-thread module, kept
setNativeThreads(threads, { minPartFlops: option('min-flops', 4e6), takeBack: !args.includes('--no-take-back') });
const many = setup(nativeKernels()!); // the shared-memory module and its workers
await new Promise((r) => setTimeout(r, 300)); // let the workers start
const a = one().slice();
const b = many();
if (!a.every((v, i) => Object.is(v, b[i]))) throw new Error('threads-product: 1 and N threads differ');
const times: number[][] = [[], []];
for (let r = 0; r < reps; r++) {
  [one, many].forEach((run, j) => {
    const t = performance.now();
    run();
    times[j].push(performance.now() - t);
  });
}
const median = (x: number[]) => x.sort((p, q) => p - q)[args.includes('--best') ? 0 : x.length >> 1];
const gflops = (ms: number) => ((2 * M * N * K * inner) / ms / 1e6).toFixed(1);
const [t1, tn] = times.map(median);
console.log(`[${M}, ${K}] · [${K}, ${N}] ×${inner}: 1 thread ${t1.toFixed(3)} ms (${gflops(t1)} GFLOP/s), ${threads} threads ${tn.toFixed(3)} ms (${gflops(tn)} GFLOP/s)`);

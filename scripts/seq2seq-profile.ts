/**
 * Where the seq2seq bench's time goes (bench/seq2seq.ts: the tatoeba model, GRU 1×128 bi-encoder,
 * Luong 'general', E 64, V 1000, B 32, T = U = 20): greedy and beam-5 decoding at the initial
 * weights (every hypothesis runs all 20 steps, as in the bench), then one training step (the
 * recipe's: variableGrads, clipByGlobalNorm, sori's adam) by phase, each as wall time and
 * as CPU time of the process (on a loaded machine the CPU time is the steadier figure: it leaves
 * out the time the process waited for a core). With --kernels it also lists, per training step,
 * the tfjs kernels run (count and exclusive wall time) and sori's native calls (count and CPU
 * time, with GFLOP/s for the products); the wrappers add some overhead of their own.
 *
 *   npx tsx scripts/seq2seq-profile.ts [--reps 10] [--kernels] [--optimizer adam|tfjs]
 *
 * Set SORI_THREADS=N for N threads (CPU time then counts every thread).
 */
import * as tf from '@tensorflow/tfjs';
import { adam, clipByGlobalNorm, initBackend, mulberry32, Seq2Seq, translateIds, translationBatch } from '../src/index.ts';
import { nativeKernels } from '../src/native/kernels.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const reps = Number(option('reps', '10'));
const listKernels = args.includes('--kernels');
await initBackend();

const B = 32;
const T = 20;
const U = 20;
const random = mulberry32(7);
const rows = (min: number, max: number) =>
  Array.from({ length: B }, (_, b) => Array.from({ length: b === 0 ? max : min + Math.floor(random() * (max - min + 1)) }, () => 4 + Math.floor(random() * 996)));
const sources = rows(T / 2 - 1, T - 1);
const batch = translationBatch(sources, rows(U / 2 - 1, U - 1));
const model = new Seq2Seq({ sourceVocabSize: 1000, targetVocabSize: 1000, embeddingSize: 64, hiddenSize: 128, numLayers: 1, cell: 'gru', bidirectional: true, attention: 'luong-general', dropout: 0.3, seed: 1 });
const weights = Object.values(model.namedWeights());
const optimizer = option('optimizer', 'adam') === 'tfjs' ? tf.train.adam(0.003) : adam(0.003);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// tfjs kernels: count and exclusive wall time (nested kernels subtracted)
const kernels = new Map<string, { n: number; ms: number }>();
let recording = false;
const engine = tf.engine() as unknown as { runKernel: (name: string, inputs: unknown, attrs: unknown) => unknown };
const runKernel = engine.runKernel.bind(engine);
let inner = 0;
engine.runKernel = (name, inputs, attrs) => {
  if (!recording) return runKernel(name, inputs, attrs);
  const outer = inner;
  inner = 0;
  const t0 = performance.now();
  const out = runKernel(name, inputs, attrs);
  const dt = performance.now() - t0;
  const k = kernels.get(name) ?? { n: 0, ms: 0 };
  k.n++;
  k.ms += dt - inner;
  kernels.set(name, k);
  inner = outer + dt;
  return out;
};
// native calls: count, CPU time and flops (products: name and M×K×N)
const calls = new Map<string, { n: number; ms: number; flops: number }>();
const native = nativeKernels() as unknown as Record<string, unknown> | null;
if (native && listKernels) {
  for (const [name, f] of Object.entries(native)) {
    if (typeof f !== 'function' || ['f32', 'i32', 'packed_size'].includes(name)) continue;
    native[name] = (...a: number[]) => {
      if (!recording) return (f as (...a: number[]) => unknown)(...a);
      const c0 = cpuMs();
      const out = (f as (...a: number[]) => unknown)(...a);
      const product = name.startsWith('gemm');
      const key = product ? `${name} ${a[0]}×${a[2]}×${a[1]}` : name;
      const c = calls.get(key) ?? { n: 0, ms: 0, flops: product ? 2 * a[0] * a[1] * a[2] : 0 };
      c.n++;
      c.ms += cpuMs() - c0;
      calls.set(key, c);
      return out;
    };
  }
}

const phases: Record<string, { wall: number; cpu: number }> = {};
const phase = <R>(name: string, f: () => R): R => {
  const t0 = performance.now();
  const c0 = cpuMs();
  const out = f();
  const p = (phases[name] ??= { wall: 0, cpu: 0 });
  p.wall += performance.now() - t0;
  p.cpu += cpuMs() - c0;
  return out;
};
const step = () => {
  const loss = tf.tidy(() => {
    const { value, grads } = phase('forward + backward', () => tf.variableGrads(() => model.loss(batch, { training: true, labelSmoothing: 0.1 }), weights));
    const clipped = phase('clipByGlobalNorm', () => clipByGlobalNorm(grads, 5));
    phase('adam', () => optimizer.applyGradients(clipped));
    return value;
  });
  phase('read the loss', () => loss.dataSync());
  loss.dispose();
};

// Decoding first, at the initial weights (as the bench: trained weights stop early and decode fewer steps).
for (const beamWidth of [1, 5]) {
  const decode = () => translateIds(model, sources, { maxLength: U, beamWidth });
  for (let i = 0; i < 2; i++) decode();
  const d0 = performance.now();
  const e0 = cpuMs();
  for (let i = 0; i < reps; i++) decode();
  console.log(`${beamWidth === 1 ? 'greedy' : `beam-${beamWidth}`}: ${((performance.now() - d0) / reps).toFixed(1)} ms wall, ${((cpuMs() - e0) / reps).toFixed(1)} ms CPU`);
}

for (let i = 0; i < 3; i++) step();
for (const k of Object.keys(phases)) delete phases[k];
recording = listKernels;
const t0 = performance.now();
const c0 = cpuMs();
for (let i = 0; i < reps; i++) step();
const wall = (performance.now() - t0) / reps;
const cpu = (cpuMs() - c0) / reps;
recording = false;
console.log(`training step: ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU (mean of ${reps})`);
for (const [name, p] of Object.entries(phases)) console.log(`  ${name.padEnd(20)} ${(p.wall / reps).toFixed(2).padStart(8)} ms wall ${(p.cpu / reps).toFixed(2).padStart(8)} ms CPU`);
if (listKernels) {
  const byTime = <V extends { ms: number }>(m: Map<string, V>) => [...m.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = (m: Map<string, { n: number; ms: number }>) => [...m.values()].reduce((s, v) => ({ n: s.n + v.n, ms: s.ms + v.ms }), { n: 0, ms: 0 });
  const tk = total(kernels);
  console.log(`tfjs kernels per step: ${(tk.n / reps).toFixed(0)}, ${(tk.ms / reps).toFixed(1)} ms wall (exclusive)`);
  for (const [name, k] of byTime(kernels).slice(0, 12)) console.log(`  ${name.padEnd(28)} ${(k.n / reps).toFixed(0).padStart(4)} ${(k.ms / reps).toFixed(2).padStart(8)} ms`);
  const tn = total(calls);
  console.log(`native calls per step: ${(tn.n / reps).toFixed(0)}, ${(tn.ms / reps).toFixed(1)} ms CPU`);
  for (const [name, c] of byTime(calls).slice(0, 24)) {
    const rate = c.flops && c.ms > 0 ? `  ${((c.flops * c.n) / c.ms / 1e6).toFixed(0)} GFLOP/s` : '';
    console.log(`  ${name.padEnd(28)} ${(c.n / reps).toFixed(0).padStart(4)} ${(c.ms / reps).toFixed(2).padStart(8)} ms${rate}`);
  }
}

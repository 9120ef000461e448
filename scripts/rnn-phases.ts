/**
 * Where an RNN training step or inference pass spends its time, per phase, at one thread count:
 * every top-level call into the native kernels (nativeKernels()) is timed and put in a phase by
 * its name and shape; the rest of the step (tfjs: reading tensors, transposes around the fused
 * op, the loss, Adam; copies into the module's memory) is "glue". Also the CPU time per step of
 * the calling thread and of the whole process: on a loaded machine the calling thread's is closer
 * to what the step takes on free cores than the wall time is.
 *
 *   SORI_THREADS=2 npx tsx scripts/rnn-phases.ts [--cells lstm,gru] [--shapes 0,1] [--modes train,infer] [--reps 10] [--no-take-back] [--cpu-phases]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, nativeThreads, setNativeThreads } from '../src/index.ts';
import { option, processCpuMs, RNN_SHAPES, rnnWorkload, threadCpuMs } from './rnn-workload.ts';
import { nativeKernels } from '../src/native/kernels.ts';

const args = process.argv.slice(2);
const cells = option('cells', 'lstm,gru').split(',') as ('lstm' | 'gru')[];
const reps = Number(option('reps', '10'));
const modes = option('modes', 'train,infer').split(',');
const shapes = option('shapes', '0,1').split(',').map((i) => RNN_SHAPES[Number(i)]);
await initBackend();
// --no-take-back: the calling thread waits for the workers' parts instead of running those not yet
// begun, so that its CPU time does not grow with the load (where a worker waits for a core).
if (args.includes('--no-take-back')) setNativeThreads(nativeThreads(), { takeBack: false });

const k = nativeKernels()! as unknown as Record<string, (...a: number[]) => unknown>;
// --cpu-phases: each phase in the calling thread's CPU time instead of wall time.
const clock = args.includes('--cpu-phases') ? () => threadCpuMs() : () => performance.now();
let phases: Record<string, number> = {};
let flops: Record<string, number> = {};
const add = (name: string, ms: number, f = 0) => {
  phases[name] = (phases[name] ?? 0) + ms;
  flops[name] = (flops[name] ?? 0) + f;
};
function phaseOf(name: string, a: unknown[]): [string, number] {
  const [M, N, K] = a as number[];
  const f = 2 * M * N * K;
  if (name === 'gemm_packed') return [M > 4 * 128 ? 'input projection' : 'other gemm', f];
  if (name === 'gemm') {
    if (M > 1000) return ['dX = δP W_ih', f];
    return ['dW_ih, dU (δPᵀ X, δAᵀ H_prev)', f];
  }
  if (name === 'loop_rows') return [`loop ${a[0]}`, 0];
  return [name, 0];
}
for (const name of ['gemm_packed', 'gemm', 'transpose', 'transpose_sums', 'column_sums', 'pack', 'loop_rows']) {
  const f = k[name];
  k[name] = (...a: number[]) => {
    const t = clock();
    const r = f(...a);
    const [phase, fl] = phaseOf(name, a);
    add(phase, clock() - t, fl);
    return r;
  };
}

for (const cell of cells)
  for (const s of shapes)
    for (const mode of modes) {
      const { step, dispose } = rnnWorkload(cell, s, mode);
      step();
      step();
      const totals: number[] = [];
      const cpu: number[] = [];
      const cpuAll: number[] = [];
      const per: Record<string, number[]> = {};
      for (let r = 0; r < reps; r++) {
        phases = {};
        flops = {};
        const [c0, p0] = [threadCpuMs(), processCpuMs()];
        const t = performance.now();
        step();
        const total = performance.now() - t;
        cpu.push(threadCpuMs() - c0);
        cpuAll.push(processCpuMs() - p0);
        totals.push(total);
        const native = Object.values(phases).reduce((a, b) => a + b, 0);
        phases.glue = (args.includes('--cpu-phases') ? cpu[cpu.length - 1] : total) - native;
        for (const [name, ms] of Object.entries(phases)) (per[name] ??= []).push(ms);
      }
      const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
      console.log(
        `${cell} ${s.L}×${s.H} B${s.B} T${s.T} ${mode}: total ${med(totals).toFixed(1)} ms, CPU ${med(cpu).toFixed(1)} ms calling thread, ${med(cpuAll).toFixed(1)} ms all threads (medians of ${reps})`,
      );
      for (const [name, v] of Object.entries(per)) {
        const gf = flops[name] ? `  ${(flops[name] / med(v) / 1e6).toFixed(1)} GFLOP/s` : '';
        console.log(`  ${name.padEnd(30)} ${med(v).toFixed(2).padStart(7)} ms${gf}`);
      }
      dispose();
    }

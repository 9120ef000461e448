/**
 * RNN stacks (the bench's shapes: LSTM/GRU 2×128 B32 T100 and 1×256 B64 T50, F 13) at several
 * thread settings in one process, alternating, so that load hits every setting alike (README,
 * Threads). Each setting is THREADS:MIN_PART_FLOPS[:LOOP], LOOP the native loop's driver, c
 * (default: src/native/loop.h, on slices of the batch rows, one per thread) or js (SORI_NATIVE_LOOP=js:
 * step by step from JavaScript, only the products split); keep one thread count throughout (a
 * change restarts the workers), and use a huge threshold for "no product split".
 *
 * --cpu also prints CPU time per step (mean): the calling thread's (/proc/thread-self/schedstat,
 * nanoseconds on a CPU) and the whole process's (every thread, spinning included). On a loaded
 * machine the calling thread's CPU time is what a step would take on free cores, where workers
 * keep up (it does not count the time it slept waiting for one).
 *
 *   npx tsx scripts/threads-rnn.ts [--settings 2:1e30,2:1.5e6,2:4e6:js] [--cells lstm,gru] [--reps 15] [--best] [--cpu]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, setNativeThreads } from '../src/index.ts';
import { option, processCpuMs, RNN_SHAPES, rnnWorkload, threadCpuMs } from './rnn-workload.ts';

const args = process.argv.slice(2);
const settings = option('settings', '2:1e30,2:1.5e6,2:4e6').split(',').map((c) => c.split(':'));
const cells = option('cells', 'lstm,gru').split(',') as ('lstm' | 'gru')[];
const reps = Number(option('reps', '15'));
const shapes = RNN_SHAPES;
await initBackend();
for (const cell of cells)
  for (const s of shapes)
    for (const mode of ['train', 'infer']) {
      const { step, dispose } = rnnWorkload(cell, s, mode);
      const times = settings.map(() => [] as number[]);
      const cpu = settings.map(() => ({ thread: 0, process: 0 }));
      const use = ([n, least, loop = 'c']: string[]) => {
        process.env.SORI_NATIVE_LOOP = loop;
        setNativeThreads(Number(n), { minPartFlops: Number(least) });
      };
      for (const setting of settings) {
        use(setting);
        step();
        step();
      }
      for (let r = 0; r < reps; r++)
        settings.forEach((setting, i) => {
          use(setting);
          const [c0, p0] = [threadCpuMs(), processCpuMs()];
          const t = performance.now();
          step();
          times[i].push(performance.now() - t);
          cpu[i].thread += threadCpuMs() - c0;
          cpu[i].process += processCpuMs() - p0;
        });
      const pick = (t: number[]) => t.sort((a, b) => a - b)[args.includes('--best') ? 0 : t.length >> 1];
      const cpuNote = (i: number) => (args.includes('--cpu') ? ` (CPU ${(cpu[i].thread / reps).toFixed(0)} calling thread, ${(cpu[i].process / reps).toFixed(0)} all)` : '');
      console.log(`${cell} ${s.L}×${s.H} ${mode}: ` + settings.map((setting, i) => `${setting.join(':')} ${pick(times[i]).toFixed(1)} ms${cpuNote(i)}`).join('   '));
      dispose();
    }

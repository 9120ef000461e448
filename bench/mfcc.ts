/**
 * MFCC of 60 s of 16 kHz speech (the espeak-ng fixture repeated), Kaldi defaults [T = 5998, 13]:
 * sori's mfcc with its default engine (the WebAssembly SIMD frame loop, src/native/audio-mfcc.c), with
 * the TypeScript reference loop (engine 'js', float64) and with Meyda's power spectrum, against
 * torchaudio.compliance.kaldi.mfcc (dither 0); sori single-threaded, PyTorch on N threads. The
 * note gives seconds of audio per second of compute (the target is ≥ 1000× real time on one core).
 * Resampling is bench/resample.ts.
 */
import { loadAudio } from '../src/audio/load-audio.ts';
import { mfcc } from '../src/audio/mfcc.ts';
import { runTorch, timeMedian, torchNote, type BenchRow } from './util.ts';

const SECONDS = 60;

function tile(x: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i += x.length) y.set(x.subarray(0, Math.min(x.length, n - i)), i);
  return y;
}

const realTime = (ms: number) => `${Math.round(SECONDS / (ms / 1000))}× real time`;

/** CPU milliseconds of one call: on a loaded machine, wall time overstates the cost. */
async function cpuMs(fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
const both = (ms: number, cpu: number) => `${realTime(ms)} (wall), ${realTime(cpu)} (cpu time)`;

const TORCH_SCRIPT = `
import json, sys, time, statistics, torch, torchaudio
import torchaudio.compliance.kaldi as kaldi
a = json.load(sys.stdin)
x16, _ = torchaudio.load(a['file16'])
x16 = x16.repeat(1, a['n16'] // x16.shape[1] + 1)[:, :a['n16']] * 32768.0
def med(f):
    for _ in range(a['warmup']):
        f()
    t = []
    for _ in range(a['reps']):
        t0 = time.perf_counter(); f(); t.append((time.perf_counter() - t0) * 1000)
    c0 = time.process_time(); f(); cpu = (time.process_time() - c0) * 1000
    return statistics.median(t), cpu
mfcc_ms, mfcc_cpu = med(lambda: kaldi.mfcc(x16, dither=0.0))
out = {
    'mfcc': mfcc_ms, 'mfccCpu': mfcc_cpu,
    'frames': kaldi.mfcc(x16, dither=0.0).shape[0],
}
print(json.dumps(out))
`;

export default async function run(opts: { reps: number }): Promise<BenchRow[]> {
  const reps = Math.max(opts.reps, 5);
  const file16 = 'test/fixtures/audio/annyeong_16k.wav';
  const x16 = tile((await loadAudio(file16)).samples, SECONDS * 16000);
  const frames = mfcc(x16).numFrames;
  const workload = `mfcc ${SECONDS} s 16 kHz [${frames}, 13]`;
  const rows: BenchRow[] = [];
  const fftMs = await timeMedian(() => mfcc(x16), { warmup: 2, reps });
  rows.push({ workload, system: 'sori', medianMs: fftMs, note: `wasm SIMD frame loop, ${both(fftMs, await cpuMs(() => mfcc(x16)))}` });
  const js = () => mfcc(x16, { engine: 'js' });
  const jsMs = await timeMedian(js, { warmup: 2, reps });
  rows.push({ workload, system: 'sori (js)', medianMs: jsMs, note: `TypeScript reference loop, ${both(jsMs, await cpuMs(js))}` });
  const meyda = () => mfcc(x16, { spectrum: 'meyda' });
  const meydaMs = await timeMedian(meyda, { warmup: 1, reps: 3 });
  rows.push({ workload, system: 'sori (meyda)', medianMs: meydaMs, note: `Meyda power spectrum, ${both(meydaMs, await cpuMs(meyda))}` });

  const ran = await runTorch(TORCH_SCRIPT, { file16, n16: x16.length, warmup: 2, reps });
  if (ran) {
    const { out: torch, env } = ran;
    if (torch.frames !== frames) throw new Error(`bench mfcc: torchaudio made ${torch.frames} frames, sori ${frames}`);
    rows.push({ workload, system: 'pytorch', medianMs: torch.mfcc, note: torchNote(env, `torchaudio kaldi.mfcc, ${both(torch.mfcc, torch.mfccCpu)}`), torch: env });
  }
  return rows;
}

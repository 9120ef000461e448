/**
 * Resampling 60 s of speech (the espeak-ng fixture repeated) from 22.05 kHz to 16 kHz (sori on one
 * thread, torchaudio on N):
 *   - against torchaudio.functional.resample with its defaults (Hann window, 6 zero crossings):
 *     sori's default 'kaiser', sori's 'hann' (the same kernel as torchaudio's) and libsamplerate
 *     'medium' (the default before sori had its own resampler);
 *   - against torchaudio with sori's Kaiser parameters (β 12.3, 26 zero crossings, rolloff 0.95):
 *     the same quality on both sides.
 * Quality of each kernel (SNR against the ideal band-limited result, alias rejection):
 * src/audio/resample.ts and test/audio/resample.test.ts.
 */
import { loadAudio } from '../src/audio/load-audio.ts';
import { resample, type ResampleQuality } from '../src/audio/resample.ts';
import { runTorch, timeMedian, torchNote, type BenchRow } from './util.ts';

const SECONDS = 60;

const TORCH_SCRIPT = `
import json, sys, time, statistics, torch, torchaudio
a = json.load(sys.stdin)
x, _ = torchaudio.load(a['file22'])
x = x.repeat(1, a['n'] // x.shape[1] + 1)[:, :a['n']]
def med(f):
    for _ in range(a['warmup']):
        f()
    t = []
    for _ in range(a['reps']):
        t0 = time.perf_counter(); f(); t.append((time.perf_counter() - t0) * 1000)
    return statistics.median(t)
out = {
    'hann': med(lambda: torchaudio.functional.resample(x, 22050, 16000)),
    'kaiser': med(lambda: torchaudio.functional.resample(x, 22050, 16000, lowpass_filter_width=26, rolloff=0.95,
                                                         resampling_method='kaiser_window', beta=12.3)),
}
print(json.dumps(out))
`;

export default async function run(opts: { reps: number }): Promise<BenchRow[]> {
  const reps = Math.max(opts.reps, 9);
  const file22 = 'test/fixtures/audio/annyeong_22k.wav';
  const one = (await loadAudio(file22, { sampleRate: 22050 })).samples;
  const x = new Float32Array(SECONDS * 22050);
  for (let i = 0; i < x.length; i += one.length) x.set(one.subarray(0, Math.min(one.length, x.length - i)), i);
  const hannWorkload = `resample ${SECONDS} s 22.05 → 16 kHz (torchaudio default: hann, 6 zero crossings)`;
  const kaiserWorkload = `resample ${SECONDS} s 22.05 → 16 kHz (kaiser β 12.3, 26 zero crossings)`;
  const rows: BenchRow[] = [];
  const time = async (quality: ResampleQuality, workload: string, note: string, runs = reps) => {
    const ms = await timeMedian(() => resample(x, 22050, 16000, { quality }), { warmup: 2, reps: runs });
    rows.push({ workload, system: `sori (${quality})`, medianMs: ms, note });
  };
  await time('kaiser', hannWorkload, "sori's default, wasm SIMD polyphase");
  await time('hann', hannWorkload, "torchaudio's kernel, wasm SIMD polyphase");
  await time('medium', hannWorkload, "libsamplerate 'medium' (the default before)", 3);
  await time('kaiser', kaiserWorkload, "sori's default, wasm SIMD polyphase");
  const torch = await runTorch(TORCH_SCRIPT, { file22, n: x.length, warmup: 2, reps });
  if (torch) {
    const { out, env } = torch;
    rows.push({ workload: hannWorkload, system: 'pytorch', medianMs: out.hann, note: torchNote(env, 'torchaudio resample defaults'), torch: env });
    rows.push({ workload: kaiserWorkload, system: 'pytorch', medianMs: out.kaiser, note: torchNote(env, "torchaudio resample, sori's kaiser parameters"), torch: env });
  }
  return rows;
}

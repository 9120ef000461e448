// The two engines of the MFCC frame loop: the TypeScript reference ('js', float64) and the
// WebAssembly SIMD kernel ('wasm', float32, four frames per SIMD lane, src/native/audio-mfcc.c).
// Each is checked against torchaudio.compliance.kaldi (reference.json), and against each other on
// the shapes the kernel handles specially (radix-2 stage, frame lengths not a multiple of 4, frame
// counts not a multiple of 4, odd and even mel counts).
import { describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/audio/load-audio.ts';
import { fbank, mfcc, type FrameEngine, type MfccOptions } from '../../src/audio/mfcc.ts';
import { wasmFramesAvailable } from '../../src/audio/mfcc-wasm.ts';
import type { Features } from '../../src/audio/features.ts';
import { fixture, maxAbsDiff, reference } from './helpers.ts';

const utterances = Object.keys(reference.utterances);
const samples = new Map<string, Float32Array>();
for (const name of utterances) samples.set(name, (await loadAudio(fixture(name))).samples);
const speech = samples.get('annyeong_16k.wav')!;

function maxDiff(a: Features, b: Features): number {
  expect([a.numFrames, a.dim]).toEqual([b.numFrames, b.dim]);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

/**
 * A deterministic test signal at `rate`: a chirp and a tone in [-0.5, 0.5] over a noise floor 35 dB
 * down (a fixed LCG). The floor matters: float32 FFT errors are relative to the whole frame's
 * energy, so a band 100 dB below the peak (pure tones in digital silence) keeps only a few digits
 * in float32 (wasm, torchaudio, Kaldi) — real recordings always have such a floor.
 */
function signal(n: number, rate: number): Float32Array {
  let seed = 12345;
  return Float32Array.from({ length: n }, (_, j) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const noise = (seed / 2 ** 32 - 0.5) * 1e-2;
    const t = j / rate;
    return 0.3 * Math.sin(2 * Math.PI * (150 + 400 * t) * t) + 0.1 * Math.sin(2 * Math.PI * 1234 * t) + noise;
  });
}

// SORI_NATIVE=0 turns the native kernels off (then only the js engine runs).
const native = process.env.SORI_NATIVE !== '0';

it('the WebAssembly SIMD kernel loads here (Node 20) unless SORI_NATIVE=0', () => {
  expect(wasmFramesAvailable()).toBe(native);
});

describe.each((native ? ['js', 'wasm'] : ['js']) as FrameEngine[])('engine %s against torchaudio.compliance.kaldi', (engine) => {
  it.each(utterances)('%s: mfcc, Hamming mfcc, useEnergy mfcc within 2e-3; fbank within 1e-3', (name) => {
    const x = samples.get(name)!;
    const ref = reference.utterances[name];
    expect(maxAbsDiff(mfcc(x, { engine }), ref.mfcc)).toBeLessThan(2e-3);
    expect(maxAbsDiff(mfcc(x, { engine, window: 'hamming' }), ref.mfccHamming)).toBeLessThan(2e-3);
    expect(maxAbsDiff(mfcc(x, { engine, useEnergy: true }), ref.mfccUseEnergy)).toBeLessThan(2e-3);
    expect(maxAbsDiff(fbank(x, { engine }), ref.fbank)).toBeLessThan(1e-3);
  });

  it('digital silence: c0 = √23 · ln ε and the rest 0, as torchaudio', () => {
    const ours = mfcc(new Float32Array(1600), { engine });
    expect(maxAbsDiff(ours, reference.silence)).toBeLessThan(1e-3);
  });
});

describe.skipIf(!native)('the wasm kernel agrees with the TypeScript reference', () => {
  it.each([
    ['16 kHz defaults (N = 512, radix 4 only)', 16000, {}],
    ['8 kHz (N = 256: one radix-2 stage)', 8000, { sampleRate: 8000 }],
    ['22.05 kHz (L = 551, not a multiple of 4; N = 1024)', 22050, { sampleRate: 22050 }],
    ['40 mel bins (even M), 20 cepstra, no lifter', 16000, { numMelBins: 40, numCeps: 20, cepstralLifter: 0 }],
    ['Hamming window, no pre-emphasis, useEnergy', 16000, { window: 'hamming', preemphasis: 0, useEnergy: true }],
  ] as [string, number, MfccOptions][])('%s', (_, rate, options) => {
    const x = signal(rate, rate);
    const js = mfcc(x, { ...options, engine: 'js' });
    expect(maxDiff(mfcc(x, { ...options, engine: 'wasm' }), js)).toBeLessThan(1e-3);
    const { numCeps: _n, cepstralLifter: _q, useEnergy: _e, ...fbankOptions } = options;
    expect(maxDiff(fbank(x, { ...fbankOptions, engine: 'wasm' }), fbank(x, { ...fbankOptions, engine: 'js' }))).toBeLessThan(1e-3);
  });

  it('on white noise (every band far above the float32 rounding) the log mel energies agree within 1e-4', () => {
    let seed = 1;
    const x = Float32Array.from({ length: 16000 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32 - 0.5;
    });
    expect(maxDiff(fbank(x, { engine: 'wasm' }), fbank(x, { engine: 'js' }))).toBeLessThan(1e-4);
  });

  it.each([1, 2, 3, 4, 5, 7, 8, 9])('T = %i frames (the last group of four is partly empty)', (T) => {
    const x = speech.subarray(4000, 4000 + 400 + 160 * (T - 1));
    const wasm = mfcc(x, { engine: 'wasm' });
    expect(wasm.numFrames).toBe(T);
    expect(maxDiff(wasm, mfcc(x, { engine: 'js' }))).toBeLessThan(1e-3);
  });

  it('each frame is computed alone: a frame gives the same numbers in any SIMD lane', () => {
    const whole = mfcc(speech, { engine: 'wasm' });
    for (const t of [36, 37, 38, 39]) {
      const alone = mfcc(speech.subarray(160 * t, 160 * t + 400), { engine: 'wasm' });
      expect(Array.from(alone.data)).toEqual(Array.from(whole.data.subarray(13 * t, 13 * t + 13)));
    }
  });

  it('long audio goes through the kernel in chunks of 16384 frames: frames at and past the seam are unchanged', () => {
    const T = 16384 + 7;
    const x = new Float32Array((T - 1) * 160 + 400);
    for (let i = 0; i < x.length; i += speech.length) x.set(speech.subarray(0, Math.min(speech.length, x.length - i)), i);
    const whole = mfcc(x, { engine: 'wasm' });
    expect(whole.numFrames).toBe(T);
    for (const t of [0, 16383, 16384, 16385, T - 1]) {
      const alone = mfcc(x.subarray(160 * t, 160 * t + 400), { engine: 'wasm' });
      expect(Array.from(alone.data)).toEqual(Array.from(whole.data.subarray(13 * t, 13 * t + 13)));
    }
  });

  it('empty and short audio give zero frames', () => {
    for (const n of [0, 399]) expect(mfcc(new Float32Array(n), { engine: 'wasm' }).numFrames).toBe(0);
  });
});

describe.skipIf(!native)('engine option', () => {
  it("defaults to 'wasm' with the real FFT: the default equals engine 'wasm' exactly", () => {
    expect(Array.from(mfcc(speech).data)).toEqual(Array.from(mfcc(speech, { engine: 'wasm' }).data));
  });

  it("runs Meyda's spectrum in the js engine by default, and refuses 'wasm' with it", () => {
    expect(mfcc(speech, { spectrum: 'meyda' }).numFrames).toBe(mfcc(speech).numFrames);
    expect(() => mfcc(speech, { spectrum: 'meyda', engine: 'wasm' })).toThrow(/spectrum 'meyda' needs engine 'js'/);
  });

  it('refuses an unknown engine, naming it', () => {
    expect(() => mfcc(speech, { engine: 'gpu' as never })).toThrow(/engine must be one of wasm, js, got 'gpu'/);
  });
});

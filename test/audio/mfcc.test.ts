// Kaldi MFCCs against torchaudio.compliance.kaldi (reference.json, made by
// make_audio_fixtures.py from espeak-ng speech), plus the pieces checked by hand.
import { describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/audio/load-audio.ts';
import { fbank, mfcc } from '../../src/audio/mfcc.ts';
import { frameCount, windowFunction } from '../../src/audio/frames.ts';
import { melFilterbank, melScale, melSegments } from '../../src/audio/mel-filterbank.ts';
import { powerSpectrumFn } from '../../src/audio/power-spectrum.ts';
import { fixture, maxAbsDiff, meanPearson, reference } from './helpers.ts';

const utterances = Object.keys(reference.utterances);
const samples = new Map<string, Float32Array>();
for (const name of utterances) samples.set(name, (await loadAudio(fixture(name))).samples);

describe('mfcc against torchaudio.compliance.kaldi.mfcc (dither 0, Kaldi defaults)', () => {
  it.each(utterances)('%s: same frame count, max |diff| < 2e-3, mean Pearson > 0.9999', (name) => {
    const ref = reference.utterances[name];
    const x = samples.get(name)!;
    expect(x.length).toBe(ref.numSamples);
    const ours = mfcc(x);
    expect(ours.numFrames).toBe(ref.mfcc.length);
    expect(ours.dim).toBe(13);
    expect(maxAbsDiff(ours, ref.mfcc)).toBeLessThan(2e-3);
    expect(meanPearson(ours, ref.mfcc)).toBeGreaterThan(0.9999);
  });

  it.each(utterances)('%s: the Hamming window matches too', (name) => {
    const ours = mfcc(samples.get(name)!, { window: 'hamming' });
    expect(maxAbsDiff(ours, reference.utterances[name].mfccHamming)).toBeLessThan(2e-3);
  });

  it.each(utterances)('%s: useEnergy puts the floored log raw energy in c0', (name) => {
    const ours = mfcc(samples.get(name)!, { useEnergy: true });
    expect(maxAbsDiff(ours, reference.utterances[name].mfccUseEnergy)).toBeLessThan(2e-3);
  });

  it.each(utterances)('%s: log mel filterbank (fbank) matches', (name) => {
    const ours = fbank(samples.get(name)!);
    expect(ours.dim).toBe(23);
    expect(maxAbsDiff(ours, reference.utterances[name].fbank)).toBeLessThan(1e-3);
  });

  it.each(utterances)("%s: Meyda's power spectrum gives the same MFCCs", (name) => {
    const ours = mfcc(samples.get(name)!, { spectrum: 'meyda' });
    expect(maxAbsDiff(ours, reference.utterances[name].mfcc)).toBeLessThan(2e-3);
  });

  it('digital silence gives finite numbers: c0 = √23 · ln ε, the rest 0 (as torchaudio)', () => {
    const ours = mfcc(new Float32Array(1600));
    expect(ours.numFrames).toBe(reference.silence.length);
    for (const v of ours.data) expect(Number.isFinite(v)).toBe(true);
    expect(ours.data[0]).toBeCloseTo(Math.sqrt(23) * Math.log(2 ** -23), 4);
    expect(maxAbsDiff(ours, reference.silence)).toBeLessThan(1e-3);
  });

  it('padded silence inside real speech stays finite (sori_16k_padded.wav starts with 0.2 s of zeros)', () => {
    const ours = mfcc(samples.get('sori_16k_padded.wav')!);
    expect(ours.data.every(Number.isFinite)).toBe(true);
  });
});

describe('framing (snip edges)', () => {
  it('counts T = 1 + ⌊(N − 400)/160⌋ for N ≥ 400, else 0', () => {
    expect(frameCount(0, 400, 160)).toBe(0);
    expect(frameCount(399, 400, 160)).toBe(0);
    expect(frameCount(400, 400, 160)).toBe(1);
    expect(frameCount(559, 400, 160)).toBe(1);
    expect(frameCount(560, 400, 160)).toBe(2);
    expect(frameCount(16000, 400, 160)).toBe(98);
  });

  it('gives zero frames (not an error) for empty or short audio', () => {
    for (const n of [0, 1, 399]) {
      const f = mfcc(new Float32Array(n));
      expect([f.numFrames, f.dim, f.data.length]).toEqual([0, 13, 0]);
    }
  });

  it('frames are independent: frame t of the whole equals frame 0 of the samples from 160·t', () => {
    const x = samples.get('annyeong_16k.wav')!;
    const whole = mfcc(x);
    const t = 37;
    const alone = mfcc(x.subarray(160 * t, 160 * t + 400));
    expect(alone.numFrames).toBe(1);
    expect(Array.from(alone.data)).toEqual(Array.from(whole.data.subarray(13 * t, 13 * t + 13)));
  });

  it('windows by hand: Povey is Hann^0.85, zero at both ends; Hamming ends at 0.08', () => {
    const povey = windowFunction('povey', 5); // Hann(5) = 0, ½, 1, ½, 0
    [0, 0.5 ** 0.85, 1, 0.5 ** 0.85, 0].forEach((v, n) => expect(povey[n]).toBeCloseTo(v, 12));
    const hamming = windowFunction('hamming', 3);
    expect(hamming[0]).toBeCloseTo(0.08, 12);
    expect(hamming[1]).toBeCloseTo(1, 12);
  });
});

describe('spectrum and filterbank pieces', () => {
  it.each([64, 512])('the real FFT power spectrum equals a brute-force DFT (N = %i: radix 2, radix 4)', (N) => {
    const x = Float64Array.from({ length: N }, (_, n) => Math.sin(0.3 * n) + 0.25 * Math.cos(2.1 * n) + (n % 5) / 7);
    const P = new Float64Array(N / 2 + 1);
    powerSpectrumFn(N)(x, P);
    for (let k = 0; k <= N / 2; k++) {
      let re = 0, im = 0;
      for (let n = 0; n < N; n++) {
        re += x[n] * Math.cos((2 * Math.PI * k * n) / N);
        im -= x[n] * Math.sin((2 * Math.PI * k * n) / N);
      }
      expect(Math.abs(P[k] - (re * re + im * im))).toBeLessThan(1e-9 * (1 + re * re + im * im));
    }
  });

  it('Meyda and the real FFT agree on a frame of speech', () => {
    const x = samples.get('annyeong_16k.wav')!;
    const frame = Float64Array.from({ length: 512 }, (_, n) => (n < 400 ? x[5000 + n] * 32768 : 0));
    const a = new Float64Array(257);
    const b = new Float64Array(257);
    powerSpectrumFn(512, 'fft')(frame, a);
    powerSpectrumFn(512, 'meyda')(frame, b);
    const total = a.reduce((s, v) => s + v, 0);
    for (let k = 0; k <= 256; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-6 * total);
  });

  it('mel(700 Hz) = 1127 ln 2; the 23 filters peak at 1 and tile between 20 Hz and 8 kHz', () => {
    expect(melScale(700)).toBeCloseTo(1127 * Math.LN2, 10);
    const bank = melFilterbank(23, 512, 16000, 20, 0);
    expect(bank.weights).toHaveLength(23);
    expect(bank.start[0]).toBe(1); // bin 0 (0 Hz) is below 20 Hz
    const last = bank.start[22] + bank.weights[22].length - 1;
    expect(last).toBeLessThan(256); // the Nyquist bin has weight 0, as in Kaldi
    for (const w of bank.weights) {
      expect(Math.max(...w)).toBeGreaterThan(0.5);
      expect(Math.max(...w)).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    [23, 512, 16000, 20, 0],
    [40, 256, 8000, 0, 0],
    [10, 1024, 22050, 100, -400],
  ])('the segments (u on the rise, 1 − u on the fall) rebuild every filter weight (M = %i, N = %i)', (M, N, rate, low, high) => {
    const bank = melFilterbank(M, N, rate, low, high);
    const seg = melSegments(M, N, rate, low, high);
    for (let m = 0; m < M; m++) {
      for (let k = 0; k < N / 2; k++) {
        const j = k - bank.start[m];
        const expected = j >= 0 && j < bank.weights[m].length ? bank.weights[m][j] : 0;
        let got = 0;
        if (k >= seg.first[m] && k < seg.end[m]) got = seg.u[k];
        if (k >= seg.first[m + 1] && k < seg.end[m + 1]) got = 1 - seg.u[k];
        expect(Math.abs(got - expected)).toBeLessThan(1e-12);
      }
    }
  });

  it('the sample scale moves only c0 (by 2√23 ln 2 for x · 2) in frames above the ε floor', () => {
    const x = samples.get('annyeong_16k.wav')!;
    const a = mfcc(x);
    const b = mfcc(x.map((v) => v * 2));
    let checked = 0;
    for (let t = 0; t < a.numFrames; t++) {
      if (fbank(x.subarray(160 * t, 160 * t + 400)).data.some((e) => e < 0)) continue; // a band near ln ε
      checked++;
      expect(b.data[t * 13] - a.data[t * 13]).toBeCloseTo(2 * Math.sqrt(23) * Math.LN2, 2);
      for (let i = 1; i < 13; i++) expect(b.data[t * 13 + i]).toBeCloseTo(a.data[t * 13 + i], 2);
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('mfcc options', () => {
  it('refuses unknown options and bad values, naming them', () => {
    const x = new Float32Array(800);
    expect(() => mfcc(x, { dither: 1 } as never)).toThrow(/mfcc options: unknown option 'dither'/);
    expect(() => mfcc(x, { numCeps: 30 })).toThrow(/numCeps must be an integer in \[1, numMelBins = 23\], got 30/);
    expect(() => mfcc(x, { window: 'kaiser' as never })).toThrow(/window must be one of povey, hamming, hanning, rectangular, got 'kaiser'/);
    expect(() => mfcc(x, { highFreq: 9000 })).toThrow(/lowFreq < highFreq ≤ Nyquist \(8000 Hz\)/);
    expect(() => mfcc(Array.from(x) as never)).toThrow(/mfcc: samples must be a Float32Array/);
  });

  it('other rates: 8 kHz audio uses 200-sample frames, an FFT of 256, and 80-sample shifts', () => {
    const x = new Float32Array(8000).map((_, n) => Math.sin(n * 0.2) * 0.1);
    const f = mfcc(x, { sampleRate: 8000 });
    expect(f.numFrames).toBe(1 + Math.floor((8000 - 200) / 80));
  });
});

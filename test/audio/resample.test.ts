// Resampling is band-limited: tones below the new Nyquist pass unchanged, tones above it vanish
// (linear interpolation would fold them back), and speech matches sox's own resampler.
import { describe, expect, it } from 'vitest';
import { resample } from '../../src/audio/resample.ts';
import { loadAudio } from '../../src/audio/load-audio.ts';
import { fixture } from './helpers.ts';

const tone = (hz: number, rate: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, n) => amplitude * Math.sin((2 * Math.PI * hz * n) / rate));

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  it('keeps a 1 kHz tone: 44.1 kHz → 16 kHz gives the 16 kHz sine', async () => {
    const y = await resample(tone(1000, 44100, 0.5), 44100, 16000);
    expect(Math.abs(y.length - 8000)).toBeLessThanOrEqual(1);
    const expected = tone(1000, 16000, 0.5);
    let err = 0;
    for (let n = 400; n < 7600; n++) err = Math.max(err, Math.abs(y[n] - expected[n])); // away from the edges
    expect(err).toBeLessThan(2e-3);
  });

  it('removes a 10 kHz tone above the new Nyquist (8 kHz) instead of aliasing it to 6 kHz', async () => {
    const y = await resample(tone(10000, 44100, 0.5), 44100, 16000);
    expect(rms(y, 400, 7600)).toBeLessThan(1e-3); // the input's rms is 0.35
  });

  it('upsamples 8 kHz → 16 kHz keeping a 1 kHz tone', async () => {
    const y = await resample(tone(1000, 8000, 0.5), 8000, 16000, { quality: 'best' });
    const expected = tone(1000, 16000, 0.5);
    let err = 0;
    for (let n = 400; n < 7600; n++) err = Math.max(err, Math.abs(y[n] - expected[n]));
    expect(err).toBeLessThan(2e-3);
  });

  it('calls do not leak state into each other (the converter is reused across rates)', async () => {
    const x = tone(1000, 44100, 0.2);
    const first = await resample(x, 44100, 16000);
    await resample(tone(300, 8000, 0.3), 8000, 16000);
    expect(Array.from(await resample(x, 44100, 16000))).toEqual(Array.from(first));
  });

  it('returns the input unchanged when the rates are equal', async () => {
    const x = tone(440, 16000, 0.1);
    expect(await resample(x, 16000, 16000)).toBe(x);
  });

  it('checks its arguments', async () => {
    await expect(resample(new Float32Array(10), 0, 16000)).rejects.toThrow(/rateIn must be an integer in \[1, 192000\] Hz, got 0/);
    await expect(resample(new Float32Array(10), 8000, 16000, { quality: 'great' as never })).rejects.toThrow(/quality must be one of best, medium, fastest, got 'great'/);
  });
});

describe('loadAudio resampling', () => {
  it("matches sox's resampling of espeak-ng speech, 22.05 → 16 kHz (correlation > 0.999)", async () => {
    const ours = (await loadAudio(fixture('annyeong_22k.wav'))).samples;
    const sox = (await loadAudio(fixture('annyeong_16k.wav'))).samples;
    expect(Math.abs(ours.length - sox.length)).toBeLessThanOrEqual(1);
    let xy = 0, xx = 0, yy = 0;
    for (let n = 0; n < Math.min(ours.length, sox.length); n++) {
      xy += ours[n] * sox[n];
      xx += ours[n] * ours[n];
      yy += sox[n] * sox[n];
    }
    expect(xy / Math.sqrt(xx * yy)).toBeGreaterThan(0.999);
    expect(Math.sqrt(xx / yy)).toBeCloseTo(1, 2); // same level
  });
});

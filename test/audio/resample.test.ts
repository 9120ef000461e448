/**
 * sori's polyphase windowed-sinc resampler (sinc-resample.ts, qualities 'kaiser' and 'hann' of
 * resample) against torchaudio.functional.resample (fixtures made by
 * test/fixtures/audio/make_resample_fixtures.py) and against the ideal band-limited result of a
 * sum of tones, sampled analytically at the new rate; the WebAssembly kernel against its
 * TypeScript reference loop; input checks; no growth of the module's memory.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { resample } from '../../src/audio/resample.ts';

interface Case { rateIn: number; rateOut: number; quality: 'hann' | 'kaiser'; input: number[]; output: number[] }
const reference: { cases: Case[]; torchaudioQuality: Record<'hann' | 'kaiser', { inbandSnrDb: number; outOfBandDb: number }> } =
  JSON.parse(readFileSync(new URL('../fixtures/audio/resample_reference.json', import.meta.url), 'utf8'));

/** 10·log10(Σ ref² / Σ (y − ref)²) over [edge, length − edge). */
function snrDb(y: ArrayLike<number>, ref: ArrayLike<number>, edge = 0): number {
  let e = 0;
  let p = 0;
  for (let i = edge; i < ref.length - edge; i++) {
    e += (y[i] - ref[i]) ** 2;
    p += ref[i] ** 2;
  }
  return 10 * Math.log10(p / e);
}

/** Σ_k sin(2π f_k n / rate + 1.3 k) / K for n < length: the same tones at any rate. */
function tones(freqs: number[], rate: number, length: number): Float32Array {
  const x = new Float32Array(length);
  for (let n = 0; n < length; n++) {
    let s = 0;
    freqs.forEach((f, k) => (s += Math.sin((2 * Math.PI * f * n) / rate + 1.3 * k)));
    x[n] = s / freqs.length;
  }
  return x;
}

describe('resample (kaiser, hann) matches torchaudio.functional.resample', () => {
  for (const c of reference.cases) {
    it(`${c.rateIn} → ${c.rateOut} Hz, ${c.quality}: same length, SNR ≥ 130 dB against torchaudio (float64)`, async () => {
      const y = await resample(Float32Array.from(c.input), c.rateIn, c.rateOut, { quality: c.quality });
      expect(y.length).toBe(c.output.length);
      expect(snrDb(y, c.output)).toBeGreaterThan(130); // measured 138–147 dB
    });
  }
});

describe('resample against the ideal band-limited result, 22.05 → 16 kHz', () => {
  const nyquist = 8000;
  const inband = Array.from({ length: 20 }, (_, k) => 50 + (k * (0.8 * nyquist - 50)) / 19);
  const outband = Array.from({ length: 10 }, (_, k) => 1.1 * nyquist + (k * (0.98 * 11025 - 1.1 * nyquist)) / 9);
  const ideal = tones(inband, 16000, 16000);

  it("'kaiser' (the default) keeps 20 tones up to 0.8 × Nyquist at ≥ 125 dB SNR and torchaudio's quality", async () => {
    const y = await resample(tones(inband, 22050, 22050), 22050, 16000);
    const snr = snrDb(y, ideal, 200);
    expect(snr).toBeGreaterThan(125);
    expect(snr).toBeGreaterThan(reference.torchaudioQuality.kaiser.inbandSnrDb - 3);
  });

  it("'kaiser' pushes tones above 1.1 × Nyquist ≥ 120 dB down (they would alias into the band)", async () => {
    const x = tones(outband, 22050, 22050);
    const y = await resample(x, 22050, 16000);
    let power = 0;
    for (let i = 200; i < y.length - 200; i++) power += y[i] ** 2;
    const down = -10 * Math.log10(power / (y.length - 400) / (0.5 / outband.length));
    expect(down).toBeGreaterThan(120);
    expect(down).toBeGreaterThan(reference.torchaudioQuality.kaiser.outOfBandDb - 3);
  });

  it("'hann' reaches the in-band SNR torchaudio's default reaches (≈ 37 dB: its passband droops near Nyquist)", async () => {
    const y = await resample(tones(inband, 22050, 22050), 22050, 16000, { quality: 'hann' });
    expect(Math.abs(snrDb(y, ideal, 200) - reference.torchaudioQuality.hann.inbandSnrDb)).toBeLessThan(0.5);
  });
});

describe('the resampling kernel', () => {
  it('gives in WebAssembly what the TypeScript loop gives (SORI_NATIVE=0), 44.1 → 16 kHz and 16 → 22.05 kHz', async () => {
    const outputs: Float32Array[][] = [];
    for (const native of [true, false]) {
      vi.resetModules();
      const saved = process.env.SORI_NATIVE;
      process.env.SORI_NATIVE = native ? '1' : '0';
      const fresh = await import('../../src/audio/resample.ts');
      const { resampleKernel } = await import('../../src/native/resample.ts');
      expect(resampleKernel() !== null).toBe(native);
      outputs.push([
        await fresh.resample(tones([440, 5000, 9000], 44100, 4410), 44100, 16000),
        await fresh.resample(tones([440, 5000, 7000], 16000, 1600), 16000, 22050, { quality: 'hann' }),
      ]);
      if (saved === undefined) delete process.env.SORI_NATIVE;
      else process.env.SORI_NATIVE = saved;
    }
    vi.resetModules();
    for (let k = 0; k < 2; k++) {
      expect(outputs[0][k].length).toBe(outputs[1][k].length);
      outputs[0][k].forEach((v, i) => expect(Math.abs(v - outputs[1][k][i])).toBeLessThan(1e-6));
    }
  });

  it('processes long input in chunks: 20 s (two chunks, the seam at 16.38 s) equals the second 16–17 s resampled alone', async () => {
    const x = tones([300, 3000], 22050, 20 * 22050);
    const y = await resample(x, 22050, 16000);
    const part = await resample(x.subarray(16 * 22050, 17 * 22050), 22050, 16000);
    // Far from the part's own edges, its samples are the long output's samples 16 s later.
    for (let i = 200; i < 15800; i++) expect(Math.abs(part[i] - y[16 * 16000 + i])).toBeLessThan(1e-6);
  });

  it.skipIf(process.env.SORI_NATIVE === '0')('does not grow its module memory on repeated calls of one size', async () => {
    const { resampleKernel } = await import('../../src/native/resample.ts');
    const x = tones([440], 48000, 48000);
    await resample(x, 48000, 16000);
    const bytes = resampleKernel()!.memory.buffer.byteLength;
    for (let i = 0; i < 3; i++) await resample(x, 48000, 16000);
    expect(resampleKernel()!.memory.buffer.byteLength).toBe(bytes);
  });

  it('names a non-finite sample and a bad rate', async () => {
    const x = new Float32Array(100);
    x[37] = NaN;
    await expect(resample(x, 22050, 16000)).rejects.toThrow('resample: samples[37] must be finite, got NaN');
    await expect(resample(new Float32Array(10), 22050, 16000.5)).rejects.toThrow(/rateOut must be an integer in \[1, 192000\] Hz, got 16000.5/);
  });
});

describe('resample with rates whose gcd is small', () => {
  it('hands 44101 → 16000 Hz (gcd 1) to libsamplerate and still keeps a 1 kHz tone', async () => {
    const { polyphaseTableSize, MAX_TABLE_TAPS, KAISER_KERNEL } = await import('../../src/audio/sinc-resample.ts');
    expect(polyphaseTableSize(44101, 16000, KAISER_KERNEL)).toBeGreaterThan(MAX_TABLE_TAPS);
    const y = await resample(tones([1000], 44101, 44101), 44101, 16000);
    expect(snrDb(y, tones([1000], 16000, 16000), 200)).toBeGreaterThan(60);
  });
});

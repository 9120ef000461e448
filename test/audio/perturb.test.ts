import { describe, expect, it } from 'vitest';
import { addNoise, bandLimit, coloredNoise, mulberry32, speedPerturb } from '../../src/index.ts';

const tone = (hz: number, seconds: number, rate = 16000) =>
  Float32Array.from({ length: Math.round(seconds * rate) }, (_, n) => Math.sin((2 * Math.PI * hz * n) / rate));
const rms = (x: Float32Array, from = 0, to = x.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
};

describe('speedPerturb', () => {
  it('plays 1 s at 1.25× speed in 0.8 s', async () => {
    const y = await speedPerturb(tone(440, 1), 16000, 1.25);
    expect(Math.abs(y.length - 12800)).toBeLessThanOrEqual(2);
  });

  it('rejects a factor outside (0.5, 2), naming it', async () => {
    await expect(speedPerturb(tone(440, 0.1), 16000, 3)).rejects.toThrow(/factor must be in \(0.5, 2\), got 3/);
  });
});

describe('bandLimit', () => {
  it('removes a 6 kHz tone when limiting 16 kHz audio to the 8 kHz band, keeps a 1 kHz tone', async () => {
    const high = await bandLimit(tone(6000, 0.5), 16000, 8000);
    const low = await bandLimit(tone(1000, 0.5), 16000, 8000);
    expect(high.length).toBeGreaterThan(7900);
    expect(rms(high, 1000, 7000)).toBeLessThan(0.01); // was 0.707
    expect(rms(low, 1000, 7000)).toBeGreaterThan(0.65);
  });
});

describe('coloredNoise', () => {
  const random = mulberry32(3);
  /** Power of the first difference over the power: 2 for white noise, near 0 for low-pass noise. */
  const roughness = (x: Float32Array) => {
    let d = 0;
    for (let i = 1; i < x.length; i++) d += (x[i] - x[i - 1]) ** 2;
    return d / (x.length - 1) / rms(x) ** 2;
  };

  it('has zero mean and unit power in every colour', () => {
    for (const colour of ['white', 'pink', 'brown'] as const) {
      const n = coloredNoise(16000, colour, random);
      expect(rms(n), colour).toBeCloseTo(1, 5);
      expect(n.reduce((a, v) => a + v, 0) / n.length, colour).toBeCloseTo(0, 5);
    }
  });

  it('white noise is uncorrelated (difference power ≈ 2), pink less rough, brown least', () => {
    const [white, pink, brown] = (['white', 'pink', 'brown'] as const).map((c) => roughness(coloredNoise(32000, c, random)));
    expect(white).toBeCloseTo(2, 1);
    expect(pink).toBeLessThan(white * 0.8);
    expect(brown).toBeLessThan(pink * 0.2);
  });
});

describe('addNoise', () => {
  it('adds noise whose power is the signal power times 10^(−snr/10)', () => {
    const x = tone(440, 1);
    for (const snr of [0, 10, 20]) {
      const y = addNoise(x, snr, mulberry32(snr), { colour: 'pink' });
      const noise = y.map((v, i) => v - x[i]);
      expect((rms(noise) / rms(x)) ** 2, `snr ${snr}`).toBeCloseTo(10 ** (-snr / 10), 4);
    }
  });

  it('is a function of the random source: the same seed gives the same samples', () => {
    const x = tone(300, 0.1);
    expect(addNoise(x, 5, mulberry32(9))).toEqual(addNoise(x, 5, mulberry32(9)));
    expect(addNoise(x, 5, mulberry32(9))).not.toEqual(addNoise(x, 5, mulberry32(10)));
  });

  it('rejects an snr that is not a finite number and a colour it does not know, naming them', () => {
    expect(() => addNoise(tone(300, 0.1), Infinity, mulberry32(1))).toThrow(/snr must be a finite number of dB, got Infinity/);
    expect(() => coloredNoise(10, 'blue' as 'white', mulberry32(1))).toThrow(/colour: expected one of white, pink, brown, got 'blue'/);
  });
});

import { describe, expect, it } from 'vitest';
import { bandLimit, speedPerturb } from '../../src/index.ts';

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

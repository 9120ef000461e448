import { describe, expect, it } from 'vitest';
import { silenceSegments } from '../../src/index.ts';

const RATE = 1000;

/** Bursts of a tone, each `on` seconds, separated by `off` seconds of silence. */
function bursts(count: number, on: number, off: number): { samples: Float32Array; silences: [number, number][] } {
  const samples: number[] = [];
  const silences: [number, number][] = [];
  for (let b = 0; b < count; b++) {
    for (let n = 0; n < on * RATE; n++) samples.push(0.5 * Math.sin(n * 0.7));
    const s = samples.length;
    for (let n = 0; n < off * RATE; n++) samples.push(0);
    silences.push([s, samples.length]);
  }
  return { samples: Float32Array.from(samples), silences };
}

describe('silenceSegments', () => {
  it('keeps audio no longer than maxSeconds whole', () => {
    expect(silenceSegments(new Float32Array(3000), RATE, { maxSeconds: 3 })).toEqual([[0, 3000]]);
    expect(silenceSegments(new Float32Array(0), RATE)).toEqual([[0, 0]]);
  });

  it('cuts long audio into contiguous segments of at most maxSeconds, each cut inside a silence', () => {
    const { samples, silences } = bursts(12, 2.3, 0.4); // 32.4 s
    const segments = silenceSegments(samples, RATE, { maxSeconds: 5, searchSeconds: 3 });
    expect(segments[0][0]).toBe(0);
    expect(segments[segments.length - 1][1]).toBe(samples.length);
    for (let i = 0; i < segments.length; i++) {
      const [s, e] = segments[i];
      expect(e - s).toBeLessThanOrEqual(5 * RATE);
      expect(e).toBeGreaterThan(s);
      if (i > 0) expect(s).toBe(segments[i - 1][1]);
      if (i < segments.length - 1) expect(silences.some(([a, b]) => e >= a && e < b), `cut at ${e}`).toBe(true);
    }
  });

  it('checks its options', () => {
    expect(() => silenceSegments(new Float32Array(1), RATE, { maxSeconds: 0 })).toThrow(/maxSeconds: expected a positive number, got 0/);
    expect(() => silenceSegments(new Float32Array(1), RATE, { maxSeconds: 2, searchSeconds: 3 })).toThrow(/searchSeconds/);
  });
});

// splitDevHeldout: dev picks the epoch, heldout is the reported estimate; by movie, the three
// splits share no movie; the same seed gives the same splits; dev is exactly splitDev's.
import { describe, expect, it } from 'vitest';
import { splitDev, splitDevHeldout, type LabelledText } from '../../src/index.ts';

/** 2,000 reviews of 200 movies (10 each), labels alternating; text = the row's number. */
const rows: LabelledText[] = Array.from({ length: 2000 }, (_, i) => ({ text: `review ${i}`, label: String(i % 2), group: `m${i % 200}` }));
const groups = (rs: LabelledText[]) => new Set(rs.map((r) => r.group));

describe('splitDevHeldout', () => {
  it('by movie: train, dev and heldout share no movie and together hold every review once', () => {
    const { train, dev, heldout } = splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: 0.05, seed: 7, byGroup: true });
    const [t, d, h] = [groups(train), groups(dev), groups(heldout)];
    expect([...d].some((g) => t.has(g) || h.has(g))).toBe(false);
    expect([...h].some((g) => t.has(g))).toBe(false);
    const texts = [...train, ...dev, ...heldout].map((r) => r.text);
    expect(new Set(texts).size).toBe(rows.length);
    expect(texts).toHaveLength(rows.length);
  });

  it('holds out the asked share of the movies: 20 of 200 for dev, 10 for heldout', () => {
    const { dev, heldout } = splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: 0.05, seed: 7, byGroup: true });
    expect(groups(dev).size).toBe(20);
    expect(groups(heldout).size).toBe(10);
    expect(heldout).toHaveLength(100);
  });

  it('by sample: the asked share of the reviews, 200 dev and 100 heldout of 2,000', () => {
    const { train, dev, heldout } = splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: 0.05, seed: 7 });
    expect([train.length, dev.length, heldout.length]).toEqual([1700, 200, 100]);
  });

  it('dev is exactly splitDev with the same seed, so adding heldout leaves the epoch choice set alone', () => {
    for (const byGroup of [false, true]) {
      const { dev } = splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: 0.05, seed: 3, byGroup });
      expect(dev).toEqual(splitDev(rows, { devFraction: 0.1, seed: 3, byGroup }).dev);
    }
  });

  it('is seeded: the same seed gives the same splits, another seed other ones', () => {
    const a = splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: 0.05, seed: 7, byGroup: true });
    const b = splitDevHeldout(rows.slice(), { devFraction: 0.1, heldoutFraction: 0.05, seed: 7, byGroup: true });
    const c = splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: 0.05, seed: 8, byGroup: true });
    expect(b).toEqual(a);
    expect([...groups(c.heldout)].sort()).not.toEqual([...groups(a.heldout)].sort());
  });

  it('heldoutFraction 0 gives no heldout and splitDev’s train', () => {
    const { train, heldout } = splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: 0, seed: 7 });
    expect(heldout).toEqual([]);
    expect(train).toEqual(splitDev(rows, { devFraction: 0.1, seed: 7 }).train);
  });

  it('a share that leaves no training data is an error naming heldoutFraction and its value', () => {
    expect(() => splitDevHeldout(rows, { devFraction: 0.5, heldoutFraction: 0.5, seed: 7 })).toThrow(/heldoutFraction.*0\.5/);
    expect(() => splitDevHeldout(rows, { devFraction: 0.1, heldoutFraction: -0.1, seed: 7 })).toThrow(/heldoutFraction.*-0\.1/);
  });
});

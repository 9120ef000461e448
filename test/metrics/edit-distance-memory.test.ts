import { afterEach, describe, expect, it, vi } from 'vitest';
import { editDistance, mulberry32 } from '../../src/index.ts';

/** The textbook full table and walk back (diagonal, then deletion, then insertion): the oracle. */
function fullTable(r: string[], h: string[]) {
  const N = r.length;
  const M = h.length;
  const D = Array.from({ length: N + 1 }, (_, i) => Array.from({ length: M + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= N; i++)
    for (let j = 1; j <= M; j++) D[i][j] = Math.min(D[i - 1][j - 1] + (r[i - 1] === h[j - 1] ? 0 : 1), D[i - 1][j] + 1, D[i][j - 1] + 1);
  const c = { distance: D[N][M], substitutions: 0, deletions: 0, insertions: 0, hits: 0 };
  let [i, j] = [N, M];
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && D[i][j] === D[i - 1][j - 1] + (r[i - 1] === h[j - 1] ? 0 : 1)) {
      if (r[i - 1] === h[j - 1]) c.hits++;
      else c.substitutions++;
      i--;
      j--;
    } else if (i > 0 && D[i][j] === D[i - 1][j] + 1) {
      c.deletions++;
      i--;
    } else {
      c.insertions++;
      j--;
    }
  }
  return c;
}

afterEach(() => vi.unstubAllGlobals());

describe('editDistance in linear memory', () => {
  it('gives the counts of the full-table walk back on 500 random pairs', () => {
    const random = mulberry32(3);
    for (let k = 0; k < 500; k++) {
      const word = () => Array.from({ length: Math.floor(random() * 9) }, () => 'abc'[Math.floor(random() * 3)]);
      const [r, h] = [word(), word()];
      expect(editDistance(r, h), `${r.join('')} / ${h.join('')}`).toEqual(fullTable(r, h));
    }
  });

  it('allocates rows, never the N × M table (24,000 characters took 2.3 GB)', () => {
    let largest = 0;
    const Real = Int32Array;
    vi.stubGlobal(
      'Int32Array',
      new Proxy(Real, {
        construct(target, args) {
          if (typeof args[0] === 'number') largest = Math.max(largest, args[0]);
          return Reflect.construct(target, args);
        },
      }),
    );
    const r = Array.from({ length: 3000 }, (_, i) => String(i % 7));
    const h = Array.from({ length: 2000 }, (_, i) => String(i % 5));
    const counts = editDistance(r, h);
    expect(largest).toBeLessThanOrEqual(2001);
    expect(counts.hits + counts.substitutions + counts.deletions).toBe(3000);
  });
});

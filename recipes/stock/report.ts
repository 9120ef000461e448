/**
 * Stage 5 of the stock recipe: the body of RESULTS.md, one table per target with MAE and RMSE
 * per horizon on dev and test for every method, and the directional accuracy of `return`.
 */
import { resultsTable, TARGETS } from '../../src/index.ts';
import type { FittedBaselines } from './baselines.ts';
import type { MethodScores } from './evaluate.ts';

/** return and range are ~10⁻⁴: shown in basis points (× 10⁴). */
const SCALE: Record<string, number> = { return: 1e4, logvolume: 1, range: 1e4 };
const UNIT: Record<string, string> = {
  return: 'ln(Close_t/Close_{t−1}) × 10⁴ (basis points)',
  logvolume: 'ln(1 + Volume_t)',
  range: 'ln(High_t/Low_t) × 10⁴ (basis points)',
};

/** A share as a percentage; undefined (NaN, which JSON stores as null) as —. */
function direction(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(1)}%`;
}

export function resultsBody(opts: { scores: Record<string, MethodScores>; baselines: FittedBaselines; horizon: number; intro: string }): string {
  const K = opts.horizon;
  const ks = Array.from({ length: K }, (_, k) => k + 1);
  const parts = [opts.intro, ''];
  TARGETS.forEach((target, c) => {
    const tau = opts.baselines.ar[c].order;
    parts.push(`## ${target}: ${UNIT[target]}; AR order τ = ${tau} (chosen on dev)`, '');
    const header = [
      'split',
      'method',
      ...ks.map((k) => `MAE k=${k}`),
      ...ks.map((k) => `RMSE k=${k}`),
      ...(c === 0 ? ks.map((k) => `dir. acc. k=${k}`) : []),
    ];
    const rows: string[][] = [];
    for (const [split, methods] of Object.entries(opts.scores)) {
      for (const [name, s] of Object.entries(methods)) {
        if (name === 'zero' && target !== 'return') continue;
        const f = (v: number) => (v * SCALE[target]).toFixed(target === 'logvolume' ? 4 : 3);
        rows.push([
          split,
          name === 'AR(τ)' ? `AR(${tau})` : name,
          ...ks.map((k) => f(s.mae[k - 1][c])),
          ...ks.map((k) => f(s.rmse[k - 1][c])),
          ...(c === 0 ? ks.map((k) => direction(s.direction[k - 1])) : []),
        ]);
      }
    }
    parts.push(resultsTable(header, rows), '');
  });
  parts.push(
    'k: minutes ahead (k = 1 is the next minute). Every method is scored on the same minutes: each minute of the',
    "split's day, predicted from the bars up to k minutes before it; the return of a day's first bar (overnight) is",
    'excluded. Directional accuracy: share of minutes with sign(ŷ) = sign(y) among those where both are non-zero',
    '(— for a forecast that is always 0). The training mean of `return` is positive, so its directional accuracy is',
    'the share of up-minutes: the level a forecast must beat to show any skill at direction.',
  );
  return parts.join('\n');
}

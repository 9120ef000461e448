/**
 * The multivariate series built from one-minute bars: per bar n, the targets
 *
 *   return_n    = ln(Close_n / Close_{n−1})
 *   logvolume_n = ln(1 + Volume_n)
 *   range_n     = ln(High_n / Low_n)          (the bar's high–low range, a volatility proxy)
 *
 * and the input features of bar n (F = 7): the three targets, then the clock
 *
 *   session  = (minuteOfDay − 570) / 390      (09:30 → 0, 16:00 → 1)
 *   clockSin = sin(2π · session),  clockCos = cos(2π · session)
 *   open     = 1 on a day's first bar, else 0
 *
 * The overnight gap: the series runs across days (a window ending at 15:59 predicts the next
 * day's 09:30), and the `open` feature marks where a day starts. The `return` of a day's first
 * bar spans the night (news, not a minute's trading): it is masked as a target (excluded from
 * every loss and metric) and entered as 0 in the return feature. The first bar of the file has
 * no previous close and is treated the same way.
 */
import type { Bar } from './bars.ts';

export const TARGETS = ['return', 'logvolume', 'range'] as const;
export type Target = (typeof TARGETS)[number];
/** C: targets per minute. */
export const C = TARGETS.length;

export const FEATURES = ['return', 'logvolume', 'range', 'session', 'clockSin', 'clockCos', 'open'] as const;
/** F: input features per minute; the first C are the targets' values. */
export const F = FEATURES.length;

/** 09:30, the regular session's first minute, in minutes since midnight. */
export const SESSION_OPEN = 570;
/** Minutes in the regular session (09:30–16:00). */
export const SESSION_MINUTES = 390;

export interface Series {
  bars: Bar[];
  /** N: bars. */
  length: number;
  /** [N, F] row-major. */
  features: Float64Array;
  /** [N, C] row-major, in the targets' own units. */
  targets: Float64Array;
  /** [N, C]: 1 where the target is defined (0: the return across a night or of the first bar). */
  targetMask: Uint8Array;
}

/** The clock features [session, clockSin, clockCos, open] of a bar at `minuteOfDay`. */
export function clockFeatures(minuteOfDay: number, dayStart: boolean): [number, number, number, number] {
  const session = (minuteOfDay - SESSION_OPEN) / SESSION_MINUTES;
  return [session, Math.sin(2 * Math.PI * session), Math.cos(2 * Math.PI * session), dayStart ? 1 : 0];
}

/** Features and targets of every bar. */
export function barSeries(bars: Bar[]): Series {
  const N = bars.length;
  const features = new Float64Array(N * F);
  const targets = new Float64Array(N * C);
  const targetMask = new Uint8Array(N * C);
  for (let n = 0; n < N; n++) {
    const bar = bars[n];
    const dayStart = n === 0 || bars[n - 1].day !== bar.day;
    const values = [
      dayStart ? 0 : Math.log(bar.close / bars[n - 1].close),
      Math.log1p(bar.volume),
      Math.log(bar.high / bar.low),
    ];
    for (let c = 0; c < C; c++) {
      targets[n * C + c] = values[c];
      targetMask[n * C + c] = c === 0 && dayStart ? 0 : 1;
    }
    features.set([...values, ...clockFeatures(bar.minuteOfDay, dayStart)], n * F);
  }
  return { bars, length: N, features, targets, targetMask };
}

/** The bars' indices whose day is one of `days`, in order. */
export function indicesOfDays(bars: Bar[], days: readonly string[]): number[] {
  const wanted = new Set(days);
  const out: number[] = [];
  bars.forEach((b, n) => wanted.has(b.day) && out.push(n));
  return out;
}

/** The distinct trading days in order of appearance. */
export function tradingDays(bars: Bar[]): string[] {
  return [...new Set(bars.map((b) => b.day))];
}

/**
 * Timestamps from a CTC forced alignment: when each output symbol and each word is spoken.
 *
 * Output frame t of a model with frame stacking k covers feature frames t·k … t·k + k − 1, whose
 * hops start every `frameShift` ms, so it spans
 *
 *   [t · k · shift,  (t + 1) · k · shift)   seconds (shift in s), clipped to the audio's duration D.
 *
 * A symbol l_u spans from the start of the first frame the alignment gives it to the end of the
 * last one; a word (symbols between '<space>'s) from its first symbol's start to its last one's
 * end. Symbols and words come in time order and lie inside [0, D].
 */
import type { CtcAlignment } from './forced-align.ts';

/** A stretch of audio with what is said in it; times in seconds. */
export interface TimedText {
  text: string;
  start: number;
  end: number;
}

/**
 * The time span of each label of an alignment.
 *
 * @param alignment from ctcForcedAlign: labelIndex [T] (u of the label frame t emits, −1 for blank)
 * @param numLabels U, the number of labels aligned
 * @param frameSeconds the duration of one output frame, k · shift
 * @param duration D, the audio's length in seconds (spans are clipped to it)
 * @returns [U] spans { start, end } in seconds, start ≤ end, in order
 */
export function labelSpans(
  alignment: Pick<CtcAlignment, 'labelIndex'>,
  numLabels: number,
  frameSeconds: number,
  duration: number,
): { start: number; end: number }[] {
  const first = new Array<number>(numLabels).fill(-1);
  const last = new Array<number>(numLabels).fill(-1);
  alignment.labelIndex.forEach((u, t) => {
    if (u < 0) return;
    if (first[u] < 0) first[u] = t;
    last[u] = t;
  });
  return first.map((t0, u) => {
    if (t0 < 0) throw new Error(`labelSpans: label ${u} of ${numLabels} gets no frame of the alignment`);
    const clip = (s: number) => Math.min(duration, Math.max(0, s));
    return { start: clip(t0 * frameSeconds), end: clip((last[u] + 1) * frameSeconds) };
  });
}

/**
 * Words with their spans: symbols [U] (strings, `space` between words) and their spans [U] →
 * one TimedText per word (a run of symbols other than `space`).
 */
export function wordSpans(
  symbols: readonly string[],
  spans: readonly { start: number; end: number }[],
  space = '<space>',
): TimedText[] {
  const words: TimedText[] = [];
  let current: TimedText | null = null;
  symbols.forEach((s, u) => {
    if (s === space) {
      current = null;
      return;
    }
    if (!current) {
      current = { text: '', start: spans[u].start, end: spans[u].end };
      words.push(current);
    }
    current.text += s;
    current.end = spans[u].end;
  });
  return words;
}

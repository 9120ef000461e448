/**
 * A top-N vocabulary for classifiers, and fitting id rows to a maximum length.
 *
 *   topVocabulary(units, N):  the N − 4 most frequent units of the training texts, after the four
 *                             special symbols of Vocabulary (<pad> = 0, <sos>, <eos>, <unk> = 3);
 *                             V = N (or fewer when the texts hold fewer distinct units).
 *   encodeUnits(vocab, u):    ids, with <unk> for units outside the vocabulary.
 *   fitLength(ids, T_max):    at most T_max ids, keeping the head, the tail, or both ends.
 *
 * Padding to a common length happens per batch (see classify/batches.ts), never here, so a short
 * review costs only its own steps.
 */
import { checkInt } from '../check.ts';
import { SPECIAL_TOKENS, Vocabulary } from './vocabulary.ts';
import type { TokenLevel } from './tokenize.ts';

/**
 * The vocabulary of the `size` most frequent units of `texts` (each an array of units), ties in
 * code-point order so that the result does not depend on the order of the texts.
 * `level` is the tokenize level recorded with it ('word' for words, 'character' for syllables).
 */
export function topVocabulary(texts: Iterable<readonly string[]>, size: number, level: TokenLevel): Vocabulary {
  checkInt(size, SPECIAL_TOKENS.length, Number.MAX_SAFE_INTEGER, 'size');
  const counts = new Map<string, number>();
  for (const units of texts) for (const u of units) counts.set(u, (counts.get(u) ?? 0) + 1);
  for (const special of SPECIAL_TOKENS) counts.delete(special);
  const kept = [...counts]
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, size - SPECIAL_TOKENS.length)
    .map(([unit]) => unit);
  return new Vocabulary(level, [...SPECIAL_TOKENS, ...kept]);
}

/** Units → ids [T] (<unk> for a unit outside the vocabulary). */
export function encodeUnits(vocabulary: Vocabulary, units: readonly string[]): number[] {
  return units.map((u) => vocabulary.id(u));
}

export const KEEP_MODES = ['head', 'tail', 'both'] as const;
/** Which part of a long text is kept: its start, its end, or a quarter of T_max from the start and the rest from the end. */
export type KeepMode = (typeof KEEP_MODES)[number];

/** At most `maxLength` ids of `ids` [T]; `keep` picks which (default 'head'). */
export function fitLength(ids: readonly number[], maxLength: number, keep: KeepMode = 'head'): number[] {
  checkInt(maxLength, 1, Number.MAX_SAFE_INTEGER, 'maxLength');
  if (!KEEP_MODES.includes(keep)) throw new Error(`keep: expected one of ${KEEP_MODES.join(', ')}, got '${String(keep)}'`);
  if (ids.length <= maxLength) return ids.slice();
  if (keep === 'head') return ids.slice(0, maxLength);
  if (keep === 'tail') return ids.slice(ids.length - maxLength);
  const head = Math.floor(maxLength / 4);
  return [...ids.slice(0, head), ...ids.slice(ids.length - (maxLength - head))];
}

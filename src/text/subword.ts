/**
 * Subword units by byte-pair encoding (Sennrich et al., 2016) in SentencePiece's form (Kudo &
 * Richardson, 2018, model_type=bpe): text is normalised (NFC, white space collapsed), every
 * space becomes '▁' (U+2581) and one '▁' is put in front, so that the pieces spell the text
 * exactly and decoding needs no rules:
 *
 *   "the cat" → "▁the▁cat" → [▁the, ▁c, at]          decode: join, '▁' → ' ', drop the first ' '
 *
 * Training (on the training side of a corpus only): words are the runs that start at a '▁'
 * ("▁the", "▁cat"), counted; every character seen is a piece; then, while there are fewer than
 * `pieces` pieces, the adjacent pair (a, b) that occurs most often in the counted words becomes
 * the piece ab (ties: the pair that comes first in code-point order of a, then b), and every
 * occurrence of a b in the words is merged. The k-th merge (k = 0, 1, …) gets score −k; the
 * characters get scores below every merge, −(merges + i) in order of frequency.
 *
 * Segmenting (SentencePiece's BPE rule, bpe_model.cc): start from the characters of each word
 * and repeatedly join the adjacent pair whose concatenation is a piece with the highest score
 * (leftmost on ties), until no adjacent pair forms a piece. A character that is not a piece stays
 * on its own (the vocabulary maps it to <unk>).
 *
 * Pieces and scores are SentencePiece's: `toSentencePieceVocab` writes the `.vocab` text file
 * (`piece<TAB>score` per line) that `spm_train` writes, and `fromSentencePieceVocab` reads one;
 * sentencepiece-model.ts reads and writes the binary `.model` file (a model written there
 * segments identically in SentencePiece itself: test/text/sentencepiece-model.test.ts).
 * Differences from spm_train's training: no splitting by Unicode script or digits, no byte
 * fallback, character coverage 1, and ties between equally frequent pairs broken by code point.
 */
import { checkInt, checkKeys } from '../check.ts';
import { normalizeText } from './tokenize.ts';

/** SentencePiece's meta symbol for a space ('▁', U+2581). */
export const SPACE_PIECE = '\u2581';

/** A trained BPE segmenter: pieces[i] with score scores[i] (higher joins first). */
export interface SubwordModel {
  pieces: string[];
  scores: number[];
}

export interface SubwordTrainOptions {
  /** The number of pieces to learn, characters included (specials not included). */
  pieces: number;
}

/** Text → the words BPE works in: '▁' + each space-separated word of normalizeText(text). */
export function subwordWords(text: string): string[] {
  const s = normalizeText(text);
  return s === '' ? [] : s.split(' ').map((w) => SPACE_PIECE + w);
}

/**
 * Learn a BPE model of `options.pieces` pieces from `texts` (see the module comment). Throws if
 * the texts have more distinct characters than that; stops early when no pair is left to merge.
 */
export function trainSubwords(texts: readonly string[], options: SubwordTrainOptions): SubwordModel {
  checkKeys(options, ['pieces'], 'trainSubwords options');
  checkInt(options.pieces, 1, 1e7, 'pieces');
  const wordCounts = new Map<string, number>();
  for (const text of texts) for (const w of subwordWords(text)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const charCounts = new Map<string, number>();
  for (const [w, c] of wordCounts) for (const ch of w) charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
  const chars = [...charCounts].sort(([a, ca], [b, cb]) => cb - ca || compare(a, b)).map(([ch]) => ch);
  if (chars.length > options.pieces) {
    throw new Error(`pieces: ${options.pieces} is fewer than the ${chars.length} distinct characters of the training text`);
  }

  // words[i]: the current symbols of distinct word i; counts[i]: its frequency.
  const words = [...wordCounts.keys()].map((w) => Array.from(w));
  const counts = [...wordCounts.values()];
  // pairs: "a\u0000b" → frequency; where: the words that (may) hold the pair.
  const pairs = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const key = (a: string, b: string) => `${a}\u0000${b}`;
  const addPairs = (i: number, sign: 1 | -1) => {
    const w = words[i];
    for (let j = 0; j + 1 < w.length; j++) {
      const k = key(w[j], w[j + 1]);
      pairs.set(k, (pairs.get(k) ?? 0) + sign * counts[i]);
      if (sign > 0) {
        let set = where.get(k);
        if (!set) where.set(k, (set = new Set()));
        set.add(i);
      }
    }
  };
  words.forEach((_, i) => addPairs(i, 1));

  const merges: string[] = [];
  while (chars.length + merges.length < options.pieces) {
    let best: string | undefined;
    let bestCount = 0;
    for (const [k, c] of pairs) {
      if (c > bestCount || (c === bestCount && c > 0 && best !== undefined && comparePairs(k, best) < 0)) [best, bestCount] = [k, c];
    }
    if (best === undefined || bestCount <= 0) break;
    const [a, b] = best.split('\u0000');
    const merged = a + b;
    merges.push(merged);
    for (const i of where.get(best) ?? []) {
      const w = words[i];
      let has = false;
      for (let j = 0; j + 1 < w.length; j++) if (w[j] === a && w[j + 1] === b) has = true;
      if (!has) continue;
      addPairs(i, -1);
      const out: string[] = [];
      for (let j = 0; j < w.length; j++) {
        if (j + 1 < w.length && w[j] === a && w[j + 1] === b) {
          out.push(merged);
          j++;
        } else out.push(w[j]);
      }
      words[i] = out;
      addPairs(i, 1);
    }
    pairs.delete(best);
    where.delete(best);
  }
  return {
    pieces: [...merges, ...chars],
    scores: [...merges.map((_, k) => (k === 0 ? 0 : -k)), ...chars.map((_, i) => -(merges.length + i))],
  };
}

/** Code-point order (not UTF-16 order, which differs past U+FFFF). */
function compare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Order of pair keys "a\0b": by a, then by b. */
function comparePairs(p: string, q: string): number {
  const [a, b] = p.split('\u0000');
  const [c, d] = q.split('\u0000');
  return compare(a, c) || compare(b, d);
}

/** A segmenter ready to use: the model plus a piece → score index. */
export interface Subwords {
  model: SubwordModel;
  /** Text → pieces (see the module comment). */
  segment(text: string): string[];
  /** Pieces → text: join, '▁' → ' ', no leading space. */
  join(pieces: readonly string[]): string;
}

/** The segmenter of `model`. */
export function subwords(model: SubwordModel): Subwords {
  if (!model || !Array.isArray(model.pieces) || !Array.isArray(model.scores) || model.pieces.length !== model.scores.length) {
    throw new Error(`subword model: expected { pieces: string[], scores: number[] } of equal length`);
  }
  const score = new Map<string, number>();
  model.pieces.forEach((p, i) => {
    if (typeof p !== 'string' || p === '') throw new Error(`subword model: pieces[${i}] is '${String(p)}', expected a non-empty string`);
    if (score.has(p)) throw new Error(`subword model: pieces[${i}] '${p}' appears twice`);
    score.set(p, model.scores[i]);
  });
  const segmentWord = (word: string): string[] => {
    const symbols = Array.from(word);
    for (;;) {
      let best = -1;
      let bestScore = -Infinity;
      for (let j = 0; j + 1 < symbols.length; j++) {
        const s = score.get(symbols[j] + symbols[j + 1]);
        if (s !== undefined && s > bestScore) [best, bestScore] = [j, s];
      }
      if (best < 0) return symbols;
      symbols.splice(best, 2, symbols[best] + symbols[best + 1]);
    }
  };
  return {
    model,
    segment: (text) => subwordWords(text).flatMap(segmentWord),
    join: (pieces) => pieces.join('').replaceAll(SPACE_PIECE, ' ').replace(/^ /, ''),
  };
}

/** The model as SentencePiece's `.vocab` file: `piece<TAB>score` per line (specials first if given). */
export function toSentencePieceVocab(model: SubwordModel, specials: readonly string[] = []): string {
  return [...specials.map((s) => `${s}\t0`), ...model.pieces.map((p, i) => `${p}\t${model.scores[i]}`)].join('\n') + '\n';
}

/**
 * Read a SentencePiece `.vocab` file (`piece<TAB>score` lines, as spm_train writes them for
 * model_type=bpe); lines whose piece is in `specials` (e.g. <unk>, <s>, </s>) are left out.
 */
export function fromSentencePieceVocab(text: string, specials: readonly string[] = ['<unk>', '<s>', '</s>', '<pad>']): SubwordModel {
  const pieces: string[] = [];
  const scores: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const [piece, value] = line.split('\t');
    const s = Number(value);
    if (value === undefined || !Number.isFinite(s)) throw new Error(`.vocab line ${i + 1}: expected piece<TAB>score, got '${line}'`);
    if (!specials.includes(piece)) {
      pieces.push(piece);
      scores.push(s);
    }
  });
  return { pieces, scores };
}

/**
 * A vocabulary: the V symbols a model reads or writes, each with an id in [0, V).
 *
 *   0 = <pad>   padding after the end of a shorter sequence in a batch
 *   1 = <sos>   start of sentence: the decoder's first input
 *   2 = <eos>   end of sentence: the decoder's last output
 *   3 = <unk>   any symbol not in the vocabulary
 *   4 … V−1     symbols of the training corpus, most frequent first
 *
 * The vocabulary also carries its unit (VocabularyLevel: 'character', 'word', or 'subword' with its BPE
 * model), so that a saved model segments new text exactly as its training text was segmented
 * (toJSON / fromJSON). For 'subword', symbols 4 … V−1 are the model's pieces in its order.
 */
import { checkKeys } from '../check.ts';
import { detokenize, tokenize, TOKEN_LEVELS, type TokenLevel } from './tokenize.ts';
import { subwords, trainSubwords, type SubwordModel, type Subwords } from './subword.ts';

/** The unit a vocabulary's symbols are: characters, words, or BPE subwords. */
export const VOCABULARY_LEVELS = [...TOKEN_LEVELS, 'subword'] as const;
export type VocabularyLevel = (typeof VOCABULARY_LEVELS)[number];

export const PAD = '<pad>';
export const SOS = '<sos>';
export const EOS = '<eos>';
export const UNK = '<unk>';
export const SPECIAL_TOKENS = [PAD, SOS, EOS, UNK] as const;
export const PAD_ID = 0;
export const SOS_ID = 1;
export const EOS_ID = 2;
export const UNK_ID = 3;

export interface VocabularyBuildOptions {
  /** Keep symbols seen at least this often; default 1. */
  minCount?: number;
  /**
   * At most this many symbols in all (special symbols included); default unlimited. For
   * 'subword' it is required: V, the BPE model learns V − 4 pieces (minCount does not apply).
   */
  maxSize?: number;
}

/** The saved form of a vocabulary (vocabulary.json beside the model). */
export interface VocabularyJSON {
  level: VocabularyLevel;
  tokens: string[];
  /** The BPE model, for level 'subword' only. */
  subword?: SubwordModel;
}

export class Vocabulary {
  readonly level: VocabularyLevel;
  /** tokens[id] = symbol; the first four are SPECIAL_TOKENS. */
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;
  /** The segmenter, for level 'subword'. */
  readonly subwords?: Subwords;

  /**
   * `tokens` must start with <pad>, <sos>, <eos>, <unk> and hold no symbol twice; level 'subword'
   * needs `subword` (its pieces are tokens 4 … V−1).
   */
  constructor(level: VocabularyLevel, tokens: readonly string[], { subword }: { subword?: SubwordModel } = {}) {
    if (!VOCABULARY_LEVELS.includes(level)) {
      throw new Error(`level: expected one of ${VOCABULARY_LEVELS.join(', ')}, got '${String(level)}'`);
    }
    if ((level === 'subword') !== (subword !== undefined)) {
      throw new Error(`subword: a BPE model goes with level 'subword' and only with it (level '${level}', model ${subword ? 'given' : 'missing'})`);
    }
    if (subword) {
      this.subwords = subwords(subword);
      subword.pieces.forEach((piece, i) => {
        if (tokens[SPECIAL_TOKENS.length + i] !== piece) throw new Error(`tokens[${SPECIAL_TOKENS.length + i}]: expected the piece '${piece}', got '${tokens[SPECIAL_TOKENS.length + i]}'`);
      });
    }
    SPECIAL_TOKENS.forEach((special, id) => {
      if (tokens[id] !== special) throw new Error(`tokens[${id}]: expected '${special}', got '${tokens[id]}'`);
    });
    this.level = level;
    this.tokens = tokens.slice();
    this.ids = new Map();
    this.tokens.forEach((token, id) => {
      if (this.ids.has(token)) throw new Error(`tokens[${id}]: '${token}' appears twice`);
      this.ids.set(token, id);
    });
  }

  /**
   * Count the symbols of `texts` at `level` and keep those seen ≥ minCount times, most frequent
   * first (ties in code-point order, so the result does not depend on the order of `texts`).
   */
  static build(texts: readonly string[], level: VocabularyLevel, options: VocabularyBuildOptions = {}): Vocabulary {
    checkKeys(options, ['minCount', 'maxSize'], 'Vocabulary.build options');
    const { minCount = 1, maxSize = Infinity } = options;
    if (maxSize < SPECIAL_TOKENS.length) {
      throw new Error(`maxSize: must be ≥ ${SPECIAL_TOKENS.length} (the special symbols), got ${maxSize}`);
    }
    if (level === 'subword') {
      if (!Number.isFinite(maxSize)) throw new Error(`maxSize: level 'subword' needs the vocabulary size V, got ${maxSize}`);
      const model = trainSubwords(texts, { pieces: maxSize - SPECIAL_TOKENS.length });
      return new Vocabulary(level, [...SPECIAL_TOKENS, ...model.pieces], { subword: model });
    }
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const token of tokenize(text, level)) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    for (const special of SPECIAL_TOKENS) counts.delete(special);
    const kept = [...counts]
      .filter(([, count]) => count >= minCount)
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxSize - SPECIAL_TOKENS.length)
      .map(([token]) => token);
    return new Vocabulary(level, [...SPECIAL_TOKENS, ...kept]);
  }

  /** V: the number of symbols, special ones included. */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or UNK_ID if it is not in the vocabulary. */
  id(token: string): number {
    return this.ids.get(token) ?? UNK_ID;
  }

  /** The symbol with id `id`; throws for an id outside [0, V). */
  token(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
      throw new Error(`id: expected an integer in [0, ${this.tokens.length - 1}], got ${id}`);
    }
    return this.tokens[id];
  }

  /** Text → ids [U] (no <sos>/<eos>; add them where the model needs them). */
  encode(text: string): number[] {
    return this.tokenize(text).map((token) => this.id(token));
  }

  /** Text → symbols of this vocabulary's unit (symbols not in it included, as they are). */
  tokenize(text: string): string[] {
    return this.subwords ? this.subwords.segment(text) : tokenize(text, this.level as TokenLevel);
  }

  /**
   * Ids → text: stops at the first <eos>, skips <pad> and <sos>, writes <unk> for unknown symbols.
   */
  decode(ids: readonly number[]): string {
    const tokens = this.decodeTokens(ids);
    return this.subwords ? this.subwords.join(tokens) : detokenize(tokens, this.level as TokenLevel);
  }

  /** Ids → symbols, with the same rules as {@link decode}. */
  decodeTokens(ids: readonly number[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (id === EOS_ID) break;
      if (id === PAD_ID || id === SOS_ID) continue;
      out.push(this.token(id));
    }
    return out;
  }

  toJSON(): VocabularyJSON {
    return { level: this.level, tokens: this.tokens.slice(), ...(this.subwords ? { subword: this.subwords.model } : {}) };
  }

  static fromJSON(json: VocabularyJSON): Vocabulary {
    if (!json || !Array.isArray(json.tokens)) throw new Error(`vocabulary JSON: expected { level, tokens: string[] }`);
    return new Vocabulary(json.level, json.tokens, json.subword ? { subword: json.subword } : {});
  }
}

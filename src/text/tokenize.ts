/**
 * Tokenisation for translation: text → symbols, and symbols → text.
 *
 *   normalise(s)  = NFC(s) with runs of white space collapsed to one space and the ends trimmed
 *   'character':  s ↦ [s_1, s_2, …]     one symbol per Unicode code point (space included)
 *   'word':       s ↦ [w_1, w_2, …]     words, with each punctuation mark split off as its own symbol
 *
 * Unicode NFC first, so that Hangul typed as precomposed syllables (한, U+D55C) and Hangul typed
 * as conjoining jamo (ᄒ ᅡ ᆫ, U+1112 U+1161 U+11AB) give the same symbols.
 */

export const TOKEN_LEVELS = ['character', 'word'] as const;
export type TokenLevel = (typeof TOKEN_LEVELS)[number];

/** NFC, every run of white space → one space, no leading or trailing space. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * A number with inner separators ("3.5", "1,000", "10:30"); a word: letters, marks and digits,
 * with inner apostrophes or hyphens ("wasn't", "well-known"); anything else that is not white
 * space is one punctuation symbol.
 */
const WORD_OR_PUNCTUATION = /\p{N}+(?:[.,:]\p{N}+)+|[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/** Split `text` into symbols at `level` (after {@link normalizeText}). */
export function tokenize(text: string, level: TokenLevel): string[] {
  const s = normalizeText(text);
  if (level === 'character') return Array.from(s);
  if (level === 'word') return s.match(WORD_OR_PUNCTUATION) ?? [];
  throw new Error(`level: expected one of ${TOKEN_LEVELS.join(', ')}, got '${String(level)}'`);
}

/** Punctuation written against the preceding word ("man." not "man .") and after which… */
const CLOSING = new Set(['.', ',', '!', '?', ';', ':', ')', ']', '}', '%', '…', '」', '』', '”', '’']);
/** …and punctuation written against the following word ("(a" not "( a"). */
const OPENING = new Set(['(', '[', '{', '「', '『', '“', '‘', '¿', '¡']);

/**
 * Symbols back to text: 'character' concatenates; 'word' joins with spaces except before closing
 * punctuation and after opening punctuation. detokenize(tokenize(s)) = normalizeText(s) for text
 * written with that spacing.
 */
export function detokenize(tokens: readonly string[], level: TokenLevel): string {
  if (level === 'character') return tokens.join('');
  if (level !== 'word') throw new Error(`level: expected one of ${TOKEN_LEVELS.join(', ')}, got '${String(level)}'`);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (i > 0 && !CLOSING.has(token) && !OPENING.has(tokens[i - 1])) out += ' ';
    out += token;
  }
  return out;
}

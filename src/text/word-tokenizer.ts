/**
 * Text → units for classification.
 *
 *   'word'      English reviews: NFC, HTML line breaks (`<br />`) removed, lower-cased, then
 *               words with each punctuation mark split off (tokenize(·, 'word')):
 *               "Great<br /><br />film!" ↦ [great, film, !]
 *   'syllable'  Korean: one unit per character (a Hangul syllable block, a letter, a digit, a
 *               mark); a space between words is its own unit '▁'; runs of one character longer
 *               than 3 are cut to 3 ("ㅋㅋㅋㅋㅋ" ↦ ㅋ ㅋ ㅋ), so laughter does not cost 30 steps.
 */
import { normalizeText, tokenize } from './tokenize.ts';

export const TEXT_UNITS = ['word', 'syllable'] as const;
export type TextUnit = (typeof TEXT_UNITS)[number];

/** The unit written for a space in 'syllable' mode. */
export const SPACE_UNIT = '▁';

/** Strip HTML line breaks (`<br />`, `<br>`, `<BR/>`), which IMDB reviews keep as written. */
export function stripLineBreaks(text: string): string {
  return text.replace(/<br\s*\/?>/giu, ' ');
}

/** English words and punctuation, lower-cased, `<br />` removed. */
export function wordTokens(text: string): string[] {
  return tokenize(stripLineBreaks(text).toLowerCase(), 'word');
}

/** Korean (or any) text as characters, '▁' for a space, runs longer than `maxRun` cut. */
export function syllableTokens(text: string, maxRun = 3): string[] {
  const out: string[] = [];
  let run = 0;
  for (const ch of normalizeText(text)) {
    const unit = ch === ' ' ? SPACE_UNIT : ch;
    run = out.length > 0 && out[out.length - 1] === unit ? run + 1 : 1;
    if (run <= maxRun) out.push(unit);
  }
  return out;
}

/** Split `text` into units of kind `unit`. */
export function textUnits(text: string, unit: TextUnit): string[] {
  if (unit === 'word') return wordTokens(text);
  if (unit === 'syllable') return syllableTokens(text);
  throw new Error(`unit: expected one of ${TEXT_UNITS.join(', ')}, got '${String(unit)}'`);
}

/**
 * Character and word error rates.
 *
 *   CER = (S + D + I) / N_chars,   WER = (S + D + I) / N_words
 *
 * where S, D, I count the substitutions, deletions and insertions of a minimal edit (see
 * edit-distance.ts) and N is the length of the reference. CER works on characters, spaces
 * included (a space is the symbol '<space>' of the recognisers, so a missing word boundary is
 * an error); WER on the words between runs of whitespace. Over a corpus the rate is total edits
 * over total reference length (not the mean of per-utterance rates), which `totalErrorRate` gives.
 */
import { editDistance } from './edit-distance.ts';

/** Edit counts of a hypothesis against a reference and the rate they make. */
export interface ErrorRate {
  /** errors / referenceLength; 0 when both are 0, Infinity when only the reference is empty. */
  rate: number;
  /** S + D + I. */
  errors: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** N: characters (spaces included) or words of the reference. */
  referenceLength: number;
}

/**
 * The characters of `text` as CER counts them: Unicode code points after NFC normalisation
 * (so a Hangul syllable is one character whether or not it arrived as separate jamo), spaces kept.
 */
export function splitCharacters(text: string): string[] {
  return [...text.normalize('NFC')];
}

/** The words of `text` as WER counts them: NFC-normalised, split on runs of whitespace. */
export function splitWords(text: string): string[] {
  return text.normalize('NFC').split(/\s+/).filter((word) => word.length > 0);
}

function rateOf(errors: number, referenceLength: number): number {
  if (referenceLength > 0) return errors / referenceLength;
  return errors === 0 ? 0 : Infinity;
}

function errorRateOfTokens(reference: string[], hypothesis: string[]): ErrorRate {
  const { distance, substitutions, deletions, insertions } = editDistance(reference, hypothesis);
  return {
    rate: rateOf(distance, reference.length),
    errors: distance,
    substitutions,
    deletions,
    insertions,
    referenceLength: reference.length,
  };
}

/** Character error rate of `hypothesis` against `reference`, spaces counted as characters. */
export function characterErrorRate(reference: string, hypothesis: string): ErrorRate {
  return errorRateOfTokens(splitCharacters(reference), splitCharacters(hypothesis));
}

/** Word error rate of `hypothesis` against `reference`, words split on whitespace. */
export function wordErrorRate(reference: string, hypothesis: string): ErrorRate {
  return errorRateOfTokens(splitWords(reference), splitWords(hypothesis));
}

/** Corpus-level rate: the sums of the counts of `parts`, rate = total errors / total length. */
export function totalErrorRate(parts: readonly ErrorRate[]): ErrorRate {
  const total = { errors: 0, substitutions: 0, deletions: 0, insertions: 0, referenceLength: 0 };
  for (const p of parts) {
    total.errors += p.errors;
    total.substitutions += p.substitutions;
    total.deletions += p.deletions;
    total.insertions += p.insertions;
    total.referenceLength += p.referenceLength;
  }
  return { rate: rateOf(total.errors, total.referenceLength), ...total };
}

/** Corpus-level CER and WER of paired lists, with the counts behind them. */
export interface CorpusErrorRates {
  /** Total character edits / total reference characters (spaces counted). */
  cer: number;
  /** Total word edits / total reference words. */
  wer: number;
  characters: ErrorRate;
  words: ErrorRate;
}

/**
 * CER and WER of `hypotheses` [n] against `references` [n] (paired by index), each the total
 * edits over the total reference length.
 */
export function errorRates(references: readonly string[], hypotheses: readonly string[]): CorpusErrorRates {
  if (references.length !== hypotheses.length) {
    throw new Error(
      `errorRates: references and hypotheses must pair up, got ${references.length} references and ${hypotheses.length} hypotheses`,
    );
  }
  const characters = totalErrorRate(references.map((r, n) => characterErrorRate(r, hypotheses[n])));
  const words = totalErrorRate(references.map((r, n) => wordErrorRate(r, hypotheses[n])));
  return { cer: characters.rate, wer: words.rate, characters, words };
}

/**
 * Scoring transcript files (what `sori score --ref text --hyp hyp.txt` prints): corpus CER and
 * WER of hypotheses against references.
 *
 * Both files hold one utterance per line, either Kaldi style `utt-id transcript` (id up to the
 * first whitespace) or `key<TAB>transcript` as `sori transcribe` prints it (key up to the first
 * tab, e.g. a WAV path). Leading and trailing whitespace of a transcript is dropped; spaces inside
 * are kept and counted by CER. Blank lines are skipped. A hypothesis key matches the reference
 * id equal to it, else the reference id equal to its file name without directory and extension
 * (`corpora/annyeong/wav/test/test-0001.wav` → `test-0001`). Every reference needs exactly one
 * hypothesis and every hypothesis a reference; otherwise the error names the file and the id.
 */
import { characterErrorRate, totalErrorRate, wordErrorRate, type ErrorRate } from './error-rate.ts';

/** One line of a transcript file. */
export interface TranscriptLine {
  key: string;
  text: string;
  /** 1-based line number in its file. */
  line: number;
}

/** Parse the lines of a transcript file; `file` names it in errors. Keys are unique. */
export function parseTranscripts(content: string, file: string): Map<string, TranscriptLine> {
  const out = new Map<string, TranscriptLine>();
  const lines = content.split(/\r\n|\n|\r/); // LF, CR LF or a lone CR (a CR-only file is not one line)
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.trim() === '') continue;
    let key: string;
    let text: string;
    const tab = raw.indexOf('\t');
    if (tab >= 0) {
      key = raw.slice(0, tab).trim();
      text = raw.slice(tab + 1).trim();
    } else {
      const m = /^\s*(\S+)\s*(.*)$/.exec(raw) as RegExpExecArray;
      key = m[1];
      text = m[2].trim();
    }
    if (key === '') throw new Error(`${file}:${n + 1}: empty utterance id before the tab`);
    const first = out.get(key);
    if (first) throw new Error(`${file}:${n + 1}: utterance '${key}' appears twice (first on line ${first.line})`);
    out.set(key, { key, text, line: n + 1 });
  }
  return out;
}

/** A path-like key's file name without directory and extension; other keys unchanged. */
function uttIdOfKey(key: string): string {
  const base = key.slice(Math.max(key.lastIndexOf('/'), key.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The score of a set of hypotheses. */
export interface Score {
  cer: ErrorRate;
  wer: ErrorRate;
  utterances: number;
  /** Utterances whose hypothesis differs from the reference in any character. */
  utterancesWithErrors: number;
}

/**
 * Pair every reference with its hypothesis (see the file comment for how keys match) and sum
 * the character and word edits. `refFile` and `hypFile` name the sources in errors.
 */
export function scoreTranscripts(
  references: Map<string, TranscriptLine>,
  hypotheses: Map<string, TranscriptLine>,
  files: { refFile: string; hypFile: string },
): Score {
  const { refFile, hypFile } = files;
  if (references.size === 0) throw new Error(`${refFile}: no utterances`);
  const hypothesisOf = new Map<string, TranscriptLine>();
  for (const hyp of hypotheses.values()) {
    const id = references.has(hyp.key) ? hyp.key : uttIdOfKey(hyp.key);
    if (!references.has(id)) {
      throw new Error(`${hypFile}:${hyp.line}: utterance '${hyp.key}' has no reference in ${refFile}`);
    }
    const other = hypothesisOf.get(id);
    if (other) {
      throw new Error(
        `${hypFile}:${hyp.line}: '${hyp.key}' and '${other.key}' (line ${other.line}) both name utterance '${id}' of ${refFile}`,
      );
    }
    hypothesisOf.set(id, hyp);
  }
  const cers: ErrorRate[] = [];
  const wers: ErrorRate[] = [];
  let utterancesWithErrors = 0;
  for (const ref of references.values()) {
    const hyp = hypothesisOf.get(ref.key);
    if (!hyp) throw new Error(`${hypFile}: no hypothesis for utterance '${ref.key}' (${refFile}:${ref.line})`);
    const cer = characterErrorRate(ref.text, hyp.text);
    cers.push(cer);
    wers.push(wordErrorRate(ref.text, hyp.text));
    if (cer.errors > 0) utterancesWithErrors++;
  }
  return { cer: totalErrorRate(cers), wer: totalErrorRate(wers), utterances: references.size, utterancesWithErrors };
}

/**
 * One line in the form of Kaldi's compute-wer: `%WER 5.17 [ 3 / 58, 0 ins, 1 del, 2 sub ]`
 * (name 'WER', 'CER'; the percentage with two decimals, `inf` for errors against an empty
 * reference). `suffix`, when given, follows after a space (Kaldi's RESULTS put the decode
 * directory there).
 */
export function kaldiErrorLine(name: string, r: ErrorRate, suffix?: string): string {
  const percent = Number.isFinite(r.rate) ? (100 * r.rate).toFixed(2) : 'inf';
  const line = `%${name} ${percent} [ ${r.errors} / ${r.referenceLength}, ${r.insertions} ins, ${r.deletions} del, ${r.substitutions} sub ]`;
  return suffix ? `${line} ${suffix}` : line;
}

/**
 * The report `sori score` prints, as Kaldi's compute-wer does (plus the CER line):
 *
 *   %WER 25.00 [ 1 / 4, 0 ins, 0 del, 1 sub ]
 *   %CER 7.69 [ 1 / 13, 0 ins, 1 del, 0 sub ]
 *   %SER 33.33 [ 1 / 3 ]
 *   Scored 3 sentences, 0 not present in hyp.
 */
export function formatScore(score: Score): string {
  const ser = (100 * score.utterancesWithErrors) / score.utterances;
  return [
    kaldiErrorLine('WER', score.wer),
    kaldiErrorLine('CER', score.cer),
    `%SER ${ser.toFixed(2)} [ ${score.utterancesWithErrors} / ${score.utterances} ]`,
    `Scored ${score.utterances} sentences, 0 not present in hyp.`,
  ].join('\n');
}

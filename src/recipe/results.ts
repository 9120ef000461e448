/**
 * What every recipe's decode and score stages share: hypotheses written one file per split
 * (exp/NAME/decode/SPLIT/hyp.txt), read back, and the results written as a Markdown table in
 * exp/NAME/RESULTS.md with the same figures in exp/NAME/scores.json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.ts';
import { readTextFile } from '../io/read-file.ts';

/** Where split `split`'s hypotheses go under `decodeDir`. */
export function hypothesisPath(decodeDir: string, split: string): string {
  return join(decodeDir, split, 'hyp.txt');
}

/**
 * For each split, `decode(split)` → its output lines, written atomically to
 * decodeDir/SPLIT/hyp.txt and logged.
 */
export async function decodeSplits(
  splits: readonly string[],
  decodeDir: string,
  decode: (split: string) => Promise<string[]> | string[],
  log: (line: string) => void = console.log,
): Promise<void> {
  for (const split of splits) {
    const lines = await decode(split);
    const path = hypothesisPath(decodeDir, split);
    writeFileAtomic(path, lines.map((l) => `${l}\n`).join(''));
    log(`  ${split}: ${lines.length} lines → ${path}`);
  }
}

/** The lines of split `split`'s hypotheses (as decodeSplits wrote them). */
export function readHypotheses(decodeDir: string, split: string): string[] {
  const path = hypothesisPath(decodeDir, split);
  if (!existsSync(path)) throw new Error(`${path} is missing: run the decode stage first`);
  const lines = readTextFile(path).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Kaldi-style hypotheses, `utt-id text` per line, as a map from id to text (a line with only an
 * id is an empty transcript).
 */
export function readKeyedHypotheses(decodeDir: string, split: string): Map<string, string> {
  return new Map(
    readHypotheses(decodeDir, split)
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const sp = l.indexOf(' ');
        return sp < 0 ? [l, ''] : [l.slice(0, sp), l.slice(sp + 1)];
      }),
  );
}

/** A Markdown table: `header` names the columns, each row gives one cell per column. */
export function resultsTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  for (const [i, row] of rows.entries()) {
    if (row.length !== header.length) throw new Error(`resultsTable: row ${i + 1} has ${row.length} cells, the header ${header.length}`);
  }
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Write exp/NAME/RESULTS.md (`# title`, then `body`) and exp/NAME/scores.json (`scores`), both
 * atomically, and print the report.
 */
export function writeResults(
  expDir: string,
  { title, body, scores }: { title: string; body: string; scores: unknown },
  log: (line: string) => void = console.log,
): void {
  const report = `# ${title}\n\n${body.trimEnd()}\n`;
  writeFileAtomic(join(expDir, 'RESULTS.md'), report);
  writeJsonAtomic(join(expDir, 'scores.json'), scores);
  log(report);
}

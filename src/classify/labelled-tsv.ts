/**
 * Labelled texts from a TSV with a header line (IMDB: id, rating, label, text; NSMC: id, movie,
 * rating, label, text), and a dev split drawn from it with a seed — by sample, or by group (all
 * reviews of one movie on the same side).
 */
import { existsSync } from 'node:fs';
import { readTextFile } from '../io/read-file.ts';
import { mulberry32, shuffled } from '../random.ts';

export interface LabelledText {
  text: string;
  /** The label as written in the label column. */
  label: string;
  /** The group column's value ('' without one), e.g. the movie id. */
  group: string;
}

export interface TsvColumns {
  textColumn: string;
  labelColumn: string;
  /** '' for none. */
  groupColumn?: string;
}

/** Read `path`; errors name the file, the line and the column. */
export function readLabelledTsv(path: string, { textColumn, labelColumn, groupColumn = '' }: TsvColumns): LabelledText[] {
  if (!existsSync(path)) throw new Error(`${path}: no such file (a TSV with a header line and columns ${labelColumn}, ${textColumn})`);
  const lines = readTextFile(path).split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0 || lines[0].trim() === '') throw new Error(`${path}: the file is empty (expected a header line with columns ${labelColumn}, ${textColumn})`);
  const header = lines[0].split('\t');
  const column = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column '${name}' in the header line (columns: ${header.join(', ')})`);
    return i;
  };
  const ti = column(textColumn);
  const li = column(labelColumn);
  const gi = groupColumn ? column(groupColumn) : -1;
  const rows: LabelledText[] = [];
  for (let n = 1; n < lines.length; n++) {
    if (lines[n] === '') continue;
    const fields = lines[n].split('\t');
    if (fields.length < header.length) {
      throw new Error(`${path}:${n + 1}: expected ${header.length} tab-separated columns (${header.join(', ')}), got ${fields.length}`);
    }
    const label = fields[li].trim();
    if (label === '') throw new Error(`${path}:${n + 1}: the '${labelColumn}' column is empty`);
    rows.push({ text: fields[ti], label, group: gi >= 0 ? fields[gi] : '' });
  }
  if (rows.length === 0) throw new Error(`${path}: no data lines after the header`);
  return rows;
}

/**
 * Split rows into train and dev with `seed`: `devFraction` of the samples (by sample), or of the
 * groups (`byGroup`: every row of a group lands on the same side).
 */
export function splitDev(
  rows: readonly LabelledText[],
  { devFraction, seed, byGroup = false }: { devFraction: number; seed: number; byGroup?: boolean },
): { train: LabelledText[]; dev: LabelledText[] } {
  if (!(devFraction > 0 && devFraction < 1)) throw new Error(`devFraction: expected a fraction in (0, 1), got ${devFraction}`);
  const random = mulberry32(seed);
  if (!byGroup) {
    const order = shuffled(
      rows.map((_, i) => i),
      random,
    );
    const nDev = Math.max(1, Math.round(devFraction * rows.length));
    return { dev: order.slice(0, nDev).map((i) => rows[i]), train: order.slice(nDev).map((i) => rows[i]) };
  }
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  const devGroups = new Set(shuffled(groups, random).slice(0, Math.max(1, Math.round(devFraction * groups.length))));
  return { dev: rows.filter((r) => devGroups.has(r.group)), train: rows.filter((r) => !devGroups.has(r.group)) };
}

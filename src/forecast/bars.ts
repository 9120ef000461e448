/**
 * One-minute OHLCV bars read from a CSV with the header
 *
 *   Datetime,Open,High,Low,Close[,Adj Close],Volume
 *
 * (the layout of ../shared/corpora/stock-aapl-1min/AAPL_1min.csv; columns are found by name,
 * in any order, extra columns ignored). `Datetime` is the minute's start in exchange time with
 * its UTC offset, e.g. `2024-05-09 09:30:00-04:00`; the minutes must be strictly increasing.
 * Errors name the file, the line (1-based, the header is line 1) and the value found.
 */
import { readTextFile } from '../io/read-file.ts';

export interface Bar {
  /** The Datetime field exactly as written in the CSV. */
  datetime: string;
  /** The trading day, 'YYYY-MM-DD' in exchange time. */
  day: string;
  /** Minutes since midnight in exchange time (09:30 → 570). */
  minuteOfDay: number;
  /** Milliseconds since the epoch (the offset applied), for the ordering check. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const REQUIRED = ['Datetime', 'Open', 'High', 'Low', 'Close', 'Volume'] as const;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parse CSV text into bars; `source` names the file in errors. */
export function parseBarsCsv(text: string, source = 'CSV'): Bar[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new Error(`${source}: empty file (expected a header line ${REQUIRED.join(',')})`);
  const header = lines[0].replace(/^\uFEFF/, '').split(',').map((h) => h.trim());
  const column: Record<string, number> = {};
  for (const name of REQUIRED) {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${source}, line 1: no column '${name}' in the header '${lines[0]}' (needs ${REQUIRED.join(', ')})`);
    column[name] = i;
  }
  const bars: Bar[] = [];
  for (let n = 1; n < lines.length; n++) {
    const where = `${source}, line ${n + 1}`;
    const fields = lines[n].split(',').map((f) => f.trim());
    if (fields.length < header.length) {
      throw new Error(`${where}: ${fields.length} fields, the header has ${header.length} ('${lines[n]}')`);
    }
    const datetime = fields[column.Datetime];
    const m = DATETIME.exec(datetime);
    const time = m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${m[5] ?? 'Z'}`) : NaN;
    if (!m || !Number.isFinite(time)) throw new Error(`${where}: Datetime '${datetime}' is not 'YYYY-MM-DD HH:MM[:SS][±HH:MM]'`);
    const number = (name: (typeof REQUIRED)[number]): number => {
      const raw = fields[column[name]];
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v)) throw new Error(`${where}: ${name} '${raw}' is not a number`);
      return v;
    };
    const bar: Bar = {
      datetime,
      day: m[1],
      minuteOfDay: Number(m[2]) * 60 + Number(m[3]),
      time,
      open: number('Open'),
      high: number('High'),
      low: number('Low'),
      close: number('Close'),
      volume: number('Volume'),
    };
    if (!(bar.low > 0 && bar.close > 0 && bar.high >= bar.low)) {
      throw new Error(`${where}: prices must be positive with High ≥ Low, got High ${bar.high}, Low ${bar.low}, Close ${bar.close}`);
    }
    if (bar.volume < 0) throw new Error(`${where}: Volume ${bar.volume} is negative`);
    const previous = bars[bars.length - 1];
    if (previous && bar.time <= previous.time) {
      throw new Error(`${where}: minute '${datetime}' is not after the previous line's '${previous.datetime}' (minutes out of order)`);
    }
    bars.push(bar);
  }
  return bars;
}

/** Read and parse a bars CSV file. */
export function readBarsCsv(path: string): Bar[] {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    throw new Error(`cannot read bars CSV '${path}': ${(err as Error).message}`);
  }
  return parseBarsCsv(text, path);
}

/**
 * A speech recipe's output symbols, read from a Kaldi `tokens.txt` ("symbol id" per line). The
 * toy recogniser's table is the lecture's:
 *
 *   '<space>' 0, '안' 1, '녕' 2, '하' 3, '세' 4, '요' 5, '<blank>' 6
 *
 * Transcripts are strings of characters; a space maps to '<space>'.
 */
export interface SymbolTable {
  /** symbols[i] is the symbol with id i. */
  symbols: string[];
  /** The id of '<blank>' (the CTC blank). */
  blank: number;
}

export const SPACE = '<space>';
export const BLANK = '<blank>';

/** Parse "symbol id" lines; ids must be 0 … V−1, each once; `source` names the file in errors. */
export function parseSymbolTable(text: string, source = 'tokens.txt'): SymbolTable {
  const entries = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((line, i) => {
      const m = /^(\S+)\s+(\d+)$/.exec(line);
      if (!m) throw new Error(`${source}:${i + 1}: expected "symbol id", got '${line}'`);
      return { symbol: m[1], id: Number(m[2]) };
    });
  const symbols: string[] = new Array(entries.length);
  for (const { symbol, id } of entries) {
    if (id >= entries.length || symbols[id] !== undefined) {
      throw new Error(`${source}: id ${id} of '${symbol}' is repeated or outside 0…${entries.length - 1}`);
    }
    symbols[id] = symbol;
  }
  const blank = symbols.indexOf(BLANK);
  if (blank < 0) throw new Error(`${source}: no '${BLANK}' symbol`);
  return { symbols, blank };
}

/**
 * A transcript as label ids [U]: each character one symbol, a space '<space>' (runs of spaces
 * and the ends are trimmed). `what` names the utterance in errors.
 */
export function encodeTranscript(text: string, table: SymbolTable, what = 'transcript'): number[] {
  const chars = [...text.normalize('NFC').trim().replace(/\s+/g, ' ')];
  return chars.map((ch) => {
    const id = table.symbols.indexOf(ch === ' ' ? SPACE : ch);
    if (id < 0 || id === table.blank) throw new Error(`${what}: '${ch}' is not in the symbol table`);
    return id;
  });
}

/**
 * Label ids [U] back to a transcript: '<space>' becomes a space, the blank is dropped, and
 * spaces are normalised as encodeTranscript expects them (none at the ends, no runs), so a
 * recogniser's stray leading or trailing '<space>' does not count as an error.
 */
export function decodeLabels(ids: ArrayLike<number>, table: SymbolTable): string {
  let out = '';
  for (const id of Array.from(ids)) {
    if (id === table.blank) continue;
    const s = table.symbols[id];
    if (s === undefined) throw new Error(`label id ${id} is outside the symbol table (0…${table.symbols.length - 1})`);
    out += s === SPACE ? ' ' : s;
  }
  return out.trim().replace(/ +/g, ' ');
}

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitLines, streamLines } from '../../src/index.ts';

async function collect(chunks: (string | Uint8Array)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of streamLines(Readable.from(chunks))) out.push(line);
  return out;
}

describe('lines', () => {
  it('CR-only line endings give one line per line (5 lines, not 1)', () => {
    expect(splitLines('a\rb\rc\rd\re\r')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('LF, CR LF and CR mix; empty lines are kept; a final ending adds no empty line', () => {
    expect(splitLines('a\r\nb\n\nc\rd')).toEqual(['a', 'b', '', 'c', 'd']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
  });

  it('a stream splits the same way, whatever the chunk boundaries (CR LF across two chunks is one break)', async () => {
    const text = 'one\r\ntwo\rthree\n\n넷\r\n';
    const want = splitLines(text);
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at ${cut}`).toEqual(want);
    }
    expect(await collect(['a\r', '\nb\r', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('yields a line before the stream ends', async () => {
    let ended = false;
    async function* source() {
      yield 'first\n';
      await new Promise((r) => setTimeout(r, 10));
      ended = true;
      yield 'second\n';
    }
    for await (const line of streamLines(source())) {
      expect(line).toBe('first');
      expect(ended).toBe(false);
      break;
    }
  });
});

describe('escapeForLine', () => {
  it('writes newlines, ANSI escapes and backslashes as escapes, so a name takes one line', async () => {
    const { escapeForLine } = await import('../../src/index.ts');
    expect(escapeForLine('a\nb.wav')).toBe('a\\nb.wav');
    expect(escapeForLine('\x1b[2Jclear.wav')).toBe('\\x1b[2Jclear.wav');
    expect(escapeForLine('c:\\x\ty\r\u2028')).toBe('c:\\\\x\\ty\\r\\u2028');
    expect(escapeForLine('안녕하세요 file.wav')).toBe('안녕하세요 file.wav');
    expect(escapeForLine('a\nb').split('\n')).toHaveLength(1);
  });
});

describe("the CLI's standard-input reader (sori translate)", () => {
  it('reads a CR-only input of 5 lines as 5 lines', async () => {
    const { readLines } = await import('../../src/cli/stdin.ts');
    expect(await readLines(Readable.from([Buffer.from('one\rtwo\rthree\rfour\rfive\r')]))).toEqual(['one', 'two', 'three', 'four', 'five']);
  });
});

describe("sori transcribe's one-line-per-file output", () => {
  it('keeps a file name with a newline or an ANSI escape on one line', async () => {
    const { formatTranscript } = await import('../../src/cli/transcript-formats.ts');
    const line = formatTranscript({ key: 'evil\n\x1b[2J.wav', text: '안녕', duration: 1, words: [], symbols: [] }, 'tsv');
    expect(line).toBe('evil\\n\\x1b[2J.wav\t안녕\n');
  });
});

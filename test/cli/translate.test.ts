/**
 * `sori translate`: one output line per input, empty in → empty out, unknown symbols still get an
 * answer, --attention writes the matrices, and stdin mode reads line by line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Seq2Seq, Vocabulary, saveTranslator, seq2seqDefaults } from '../../src/index.ts';
import { readLines, translateCommand, translateLines } from '../../src/cli/translate.ts';
import { Readable } from 'node:stream';

let root: string;
let modelDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-translate-'));
  modelDir = join(root, 'model');
  const source = Vocabulary.build(['the cat eats the apple .', 'a dog'], 'word');
  const target = Vocabulary.build(['고양이가 사과를 먹는다.'], 'character');
  // An untrained model: these tests are about the command's plumbing, not the translations.
  const model = new Seq2Seq({ ...seq2seqDefaults, embeddingSize: 4, hiddenSize: 4, sourceVocabSize: source.size, targetVocabSize: target.size });
  saveTranslator(modelDir, model, { source, target });
  model.dispose();
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sori translate', () => {
  it('gives one line per input and an empty line for an empty (or blank) input', () => {
    const out = translateLines(['the cat', '', '   ', 'a dog .'], { model: modelDir });
    expect(out).toHaveLength(4);
    expect(out[1]).toBe('');
    expect(out[2]).toBe('');
  });

  it('answers a line made only of unknown symbols (they read as <unk>)', () => {
    const attention = join(root, 'unknown.json');
    const [line] = translateLines(['zebra xylophone qux'], { model: modelDir, attention });
    expect(typeof line).toBe('string');
    const [entry] = JSON.parse(readFileSync(attention, 'utf8'));
    expect(entry.sourceTokens).toEqual(['<unk>', '<unk>', '<unk>', '<eos>']);
    expect(entry.attention.length).toBeGreaterThan(0); // the model ran: at least one output step
  });

  it('--attention writes source/target tokens and one row of T weights summing to 1 per output step', () => {
    const attention = join(root, 'attention.json');
    const texts = ['the cat eats the apple .', ''];
    const out = translateLines(texts, { model: modelDir, beam: 3, attention });
    const entries = JSON.parse(readFileSync(attention, 'utf8'));
    expect(entries).toHaveLength(2);
    expect(entries[0].source).toBe(texts[0]);
    expect(entries[0].translation).toBe(out[0]);
    expect(entries[0].sourceTokens).toEqual(['the', 'cat', 'eats', 'the', 'apple', '.', '<eos>']);
    expect(entries[0].attention).toHaveLength(entries[0].targetTokens.length);
    for (const row of entries[0].attention) {
      expect(row).toHaveLength(7);
      expect(row.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(entries[1]).toEqual({ source: '', translation: '', sourceTokens: [], targetTokens: [], attention: [] });
  });

  it('rejects a beam width that is not a positive integer, naming the flag', () => {
    expect(() => translateLines(['the cat'], { model: modelDir, beam: 2.5 })).toThrow(/--beam: .* got 2\.5/);
  });

  it('refuses --beam 0, the old spelling of greedy search, naming the new one', () => {
    expect(() => translateLines(['the cat'], { model: modelDir, beam: 0 })).toThrow(/--beam: 0 is no longer greedy search: use --beam 1/);
  });

  it('names the missing file of a model directory', () => {
    expect(() => translateLines(['the cat'], { model: root })).toThrow(/no model\.json/);
  });

  it('--json prints one { source, translation } object per input', async () => {
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
    try {
      await (translateCommand.handler as (a: unknown) => Promise<void>)({ model: modelDir, beam: 1, texts: ['the cat', ''], json: true });
    } finally {
      spy.mockRestore();
    }
    const objects = chunks.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(objects.map((o) => o.source)).toEqual(['the cat', '']);
    expect(objects.map((o) => o.translation)).toEqual(translateLines(['the cat', ''], { model: modelDir }));
  });

  it('reads standard input as lines, keeping empty lines and dropping only the final newline', async () => {
    expect(await readLines(Readable.from(['a\n\nb', '\r\nc\n']))).toEqual(['a', '', 'b', 'c']);
    expect(await readLines(Readable.from([]))).toEqual([]);
  });

  it('with no text on the command line, translates stdin line by line (one output line per input line)', () => {
    const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'translate', '--model', modelDir], {
      input: 'the cat\n\nqux qux\n',
      encoding: 'utf8',
    });
    expect(result.stderr).not.toMatch(/sori:/);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(4); // three lines and the final newline
    expect(lines[1]).toBe('');
    expect(lines[3]).toBe('');
  });
});

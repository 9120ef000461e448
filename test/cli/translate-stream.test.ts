/**
 * `sori translate` on standard input: lines end at LF, CR LF or a lone CR, every answer is
 * printed, and a failing --attention file (a side output) takes none of them down with it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seq2Seq, Vocabulary, saveTranslator, seq2seqDefaults } from '../../src/index.ts';

let root: string;
let modelDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-translate-stream-'));
  modelDir = join(root, 'model');
  const source = Vocabulary.build(['the cat eats the apple .'], 'word');
  const target = Vocabulary.build(['고양이가 사과를 먹는다.'], 'character');
  const model = new Seq2Seq({ ...seq2seqDefaults, embeddingSize: 4, hiddenSize: 4, sourceVocabSize: source.size, targetVocabSize: target.size });
  saveTranslator(modelDir, model, { source, target });
  model.dispose();
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sori translate on standard input', () => {
  it('prints one answer per CR-only line, and a failing --attention write exits non-zero without losing them', () => {
    const blocker = join(root, 'not-a-directory');
    writeFileSync(blocker, '');
    const result = spawnSync(process.execPath, [resolve('bin/sori.js'), 'translate', '--model', modelDir, '--attention', join(blocker, 'attention.json')], {
      input: 'the cat\reats\r\rthe apple\r',
      encoding: 'utf8',
    });
    expect(result.stdout.split('\n')).toHaveLength(5); // four answers and the final newline
    expect(result.stdout.split('\n')[2]).toBe(''); // the empty line's answer
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/attention\.json.*ENOTDIR|ENOTDIR.*attention\.json|cannot write '.*attention\.json'/);
  });
});

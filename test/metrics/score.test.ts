import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatScore, parseTranscripts, scoreTranscripts } from '../../src/index.ts';
import { scoreCommand } from '../../src/cli/score.ts';

const files = { refFile: 'ref.txt', hypFile: 'hyp.txt' };

describe('parseTranscripts', () => {
  it('reads Kaldi lines: the id up to the first whitespace, the rest the transcript', () => {
    const t = parseTranscripts('test-0001 안녕 하세요\ntest-0002 요\n', 'text');
    expect([...t.values()]).toEqual([
      { key: 'test-0001', text: '안녕 하세요', line: 1 },
      { key: 'test-0002', text: '요', line: 2 },
    ]);
  });

  it('reads tab lines as sori transcribe prints them: a path with spaces keeps them', () => {
    const t = parseTranscripts('my dir/a.wav\t안녕 하세요\n', 'hyp');
    expect(t.get('my dir/a.wav')?.text).toBe('안녕 하세요');
  });

  it('reads an id without a transcript as an empty transcript', () => {
    expect(parseTranscripts('utt1\nutt2\t\n', 'hyp').get('utt1')?.text).toBe('');
    expect(parseTranscripts('utt1\nutt2\t\n', 'hyp').get('utt2')?.text).toBe('');
  });

  it('skips blank lines, accepts CRLF and trims the transcript ends', () => {
    const t = parseTranscripts('\r\nu1  안녕  \r\n\r\n', 'text');
    expect([...t.values()]).toEqual([{ key: 'u1', text: '안녕', line: 2 }]);
  });

  it('rejects an id given twice, naming the file, the line and the id', () => {
    expect(() => parseTranscripts('u1 안\nu2 녕\nu1 하\n', 'data/text')).toThrow(
      "data/text:3: utterance 'u1' appears twice (first on line 1)",
    );
  });
});

describe('scoreTranscripts', () => {
  const refs = parseTranscripts('u1 안녕하세요\nu2 안녕 하세요\nu3 세요\n', 'ref.txt');

  it('sums edits over utterances: 1 inserted space + 1 deleted space + 1 substitution over 13 characters', () => {
    const hyps = parseTranscripts('u3 세세\nu1 안녕 하세요\nu2 안녕하세요\n', 'hyp.txt');
    const score = scoreTranscripts(refs, hyps, files);
    expect(score.cer).toEqual({ rate: 3 / 13, errors: 3, substitutions: 1, deletions: 1, insertions: 1, referenceLength: 13 });
    // words: u1 1 → 2 (S+I), u2 2 → 1 (S+D), u3 1 → 1 (S): 5 errors over 4 words
    expect(score.wer).toEqual({ rate: 5 / 4, errors: 5, substitutions: 3, deletions: 1, insertions: 1, referenceLength: 4 });
    expect([score.utterances, score.utterancesWithErrors]).toEqual([3, 3]);
  });

  it('is 0 for perfect hypotheses', () => {
    const score = scoreTranscripts(refs, refs, files);
    expect([score.cer.rate, score.wer.rate, score.utterancesWithErrors]).toEqual([0, 0, 0]);
  });

  it('matches transcribe output by the WAV file name without directory and extension', () => {
    const hyps = parseTranscripts('wav/test/u1.wav\t안녕하세요\n/x/u2.wav\t안녕 하세요\nu3.wav\t세\n', 'hyp.txt');
    const score = scoreTranscripts(refs, hyps, files);
    expect([score.cer.errors, score.cer.deletions, score.cer.referenceLength]).toEqual([1, 1, 13]);
  });

  it('names the hypothesis file and the id when a hypothesis is missing', () => {
    const hyps = parseTranscripts('u1 안녕하세요\nu3 세요\n', 'hyp.txt');
    expect(() => scoreTranscripts(refs, hyps, files)).toThrow("hyp.txt: no hypothesis for utterance 'u2' (ref.txt:2)");
  });

  it('names both files and the id when a hypothesis has no reference', () => {
    const hyps = parseTranscripts('u1 안녕하세요\nu2 안녕 하세요\nu3 세요\nu9 요\n', 'hyp.txt');
    expect(() => scoreTranscripts(refs, hyps, files)).toThrow("hyp.txt:4: utterance 'u9' has no reference in ref.txt");
  });

  it('rejects two hypotheses that name the same utterance', () => {
    const hyps = parseTranscripts('a/u1.wav\t안\nb/u1.wav\t녕\nu2 요\nu3 요\n', 'hyp.txt');
    expect(() => scoreTranscripts(refs, hyps, files)).toThrow("'b/u1.wav' and 'a/u1.wav' (line 1) both name utterance 'u1'");
  });

  it('rejects an empty reference file', () => {
    expect(() => scoreTranscripts(new Map(), new Map(), files)).toThrow('ref.txt: no utterances');
  });

  it("formats WER and CER as Kaldi's compute-wer does, with the sentence error rate", () => {
    const hyps = parseTranscripts('u1 안녕하세요\nu2 안녕 하세요\nu3 세\n', 'hyp.txt');
    expect(formatScore(scoreTranscripts(refs, hyps, files))).toBe(
      [
        '%WER 25.00 [ 1 / 4, 0 ins, 0 del, 1 sub ]',
        '%CER 7.69 [ 1 / 13, 0 ins, 1 del, 0 sub ]',
        '%SER 33.33 [ 1 / 3 ]',
        'Scored 3 sentences, 0 not present in hyp.',
      ].join('\n'),
    );
  });
});

describe('sori score (command line)', () => {
  let dir: string;
  const run = promisify(execFile);
  const sori = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--backend', 'cpu', ...args], { cwd: process.cwd() });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sori-score-'));
    await writeFile(join(dir, 'text'), 'u1 안녕하세요\nu2 세요\n');
    await writeFile(join(dir, 'hyp.txt'), 'corpus/u1.wav\t안녕 하세요\ncorpus/u2.wav\t세요\n');
    await writeFile(join(dir, 'short.txt'), 'u1 안녕하세요\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints Kaldi's %WER and %CER lines", async () => {
    const { stdout } = await sori(['score', '--ref', join(dir, 'text'), '--hyp', join(dir, 'hyp.txt')]);
    expect(stdout).toContain('%CER 14.29 [ 1 / 7, 1 ins, 0 del, 0 sub ]');
    expect(stdout).toContain('%WER 100.00 [ 2 / 2, 1 ins, 0 del, 1 sub ]');
  });

  it('reads the hypotheses from standard input with --hyp -', async () => {
    const child = run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--backend', 'cpu', 'score', '--ref', join(dir, 'text'), '--hyp', '-']);
    child.child.stdin?.end('u1 안녕하세요\nu2 세요\n');
    const { stdout } = await child;
    expect(stdout).toContain('%CER 0.00 [ 0 / 7, 0 ins, 0 del, 0 sub ]');
  });

  it('prints the counts as JSON with --json', async () => {
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
    try {
      await (scoreCommand.handler as (a: unknown) => Promise<void>)({ ref: join(dir, 'text'), hyp: join(dir, 'hyp.txt'), json: true });
    } finally {
      spy.mockRestore();
    }
    const out = JSON.parse(chunks.join(''));
    expect(out.wer).toMatchObject({ errors: 2, referenceLength: 2, insertions: 1, deletions: 0, substitutions: 1 });
    expect(out.cer.errors).toBe(1);
    expect(out.utterances).toBe(2);
  });

  it("refuses '-' for both --ref and --hyp (standard input can be read once)", async () => {
    await expect((scoreCommand.handler as (a: unknown) => Promise<void>)({ ref: '-', hyp: '-', json: false })).rejects.toThrow(
      "--ref and --hyp: '-' (standard input) given more than once",
    );
  });

  it('fails naming the file and the id of a missing hypothesis', async () => {
    const hyp = join(dir, 'short.txt');
    await expect(sori(['score', '--ref', join(dir, 'text'), '--hyp', hyp])).rejects.toMatchObject({
      stderr: expect.stringContaining(`${hyp}: no hypothesis for utterance 'u2'`),
    });
  });
});

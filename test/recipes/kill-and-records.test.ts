/**
 * A killed run never leaves an experiment stuck, and the records (config.json, RESULTS.md) never
 * describe what was not run, with the stage markers of src/recipe/stages.ts (EXP/stages/N.json
 * written last; EXP/stages/N.started.json at each start). On the toy-translation recipe with six
 * sentence pairs and a model of 8 units (a few seconds a run):
 *
 * (a) a kill between model/weights.safetensors and model/model.json: the next run trains again
 *     (resuming its checkpoint) instead of failing with `no model.json`;
 * (b) temporary files of a killed atomic write are removed;
 * (c) `--stage 4` with another model is refused, and config.json and RESULTS.md stay as they were;
 * (d) `--direction ko-en` on an en-ko experiment prepares ko-en data and trains a new model, even
 *     with --resume, instead of reusing the en-ko one.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import runToy from '../../recipes/toy-translation/run.ts';
import runNsmc from '../../recipes/nsmc/run.ts';

const PAIRS = [
  ['The cat eats the apple.', '고양이가 사과를 먹는다.'],
  ['The dog eats the bread.', '개가 빵을 먹는다.'],
  ['The cat sees the bread.', '고양이가 빵을 본다.'],
  ['The dog reads the book.', '개가 책을 읽는다.'],
];
const tiny = ['--model.embeddingSize=8', '--model.hiddenSize=8', '--train.batchSize=4', '--train.epochs=2', '--decode.demoSentences=1'];

let root: string;
let corpus: string;
let logged: string[] = [];

/** Run the recipe on the toy corpus in `exp` with `extra` flags; returns what it logged. */
async function toy(exp: string, extra: string[] = []): Promise<string[]> {
  logged = [];
  await runToy(['--corpus', corpus, '--exp-dir', exp, ...tiny, ...extra]);
  return logged;
}

const read = (path: string) => readFileSync(path, 'utf8');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-kill-'));
  corpus = join(root, 'corpus');
  mkdirSync(corpus);
  const tsv = PAIRS.map((p) => p.join('\t')).join('\n') + '\n';
  for (const split of ['train', 'dev', 'test']) writeFileSync(join(corpus, `${split}.tsv`), tsv);
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logged.push(a.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('a run killed while the model directory was being written', () => {
  it('(a) the next --resume run finishes training and decodes, instead of failing with no model.json', async () => {
    const exp = join(root, 'exp-a');
    await toy(exp, ['--stop-stage', '3']);
    // The kill: weights.safetensors written, model.json not yet, so stage 2's marker never was.
    rmSync(join(exp, 'model', 'model.json'));
    rmSync(join(exp, 'stages', '2.json'));
    rmSync(join(exp, 'decode'), { recursive: true });

    // A later stage alone is refused with a message, not `no model.json`.
    await expect(toy(exp, ['--stage', '3', '--stop-stage', '3'])).rejects.toThrow(/Stage 2 \(train .*\) started but never finished \(killed\?\): run from --stage 2/);

    const log = await toy(exp, ['--resume', '--stop-stage', '3']);
    expect(log).toContain('Stage 1: prepare (splits, tokenisation, vocabularies) (already done, skipped)');
    expect(log.some((l) => /^Stage 2: train/.test(l) && !l.includes('skipped'))).toBe(true);
    expect(log.some((l) => l.includes('resuming after epoch 2'))).toBe(true); // its checkpoint reused, no epoch trained twice
    expect(existsSync(join(exp, 'model', 'model.json'))).toBe(true);
    expect(existsSync(join(exp, 'decode', 'dev', 'hyp.txt'))).toBe(true);
    expect(existsSync(join(exp, 'stages', '2.json'))).toBe(true);
  });

  it('(b) temporary files a killed atomic write left are removed when the stage runs again', async () => {
    const exp = join(root, 'exp-b');
    await toy(exp, ['--stop-stage', '2']);
    rmSync(join(exp, 'stages', '2.json'));
    const leftovers = [
      join(exp, 'train', `.checkpoint.safetensors.${'a'.repeat(32)}.tmp`),
      join(exp, 'train', `.best.safetensors.${'b'.repeat(32)}.tmp`),
      join(exp, 'model', `.model.json.${'c'.repeat(32)}.tmp`),
    ];
    for (const path of leftovers) writeFileSync(path, 'half a file');
    await toy(exp, ['--resume', '--stop-stage', '2']);
    expect(leftovers.filter((path) => existsSync(path))).toEqual([]);
  });
});

describe('records never describe what was not run', () => {
  it('(c) --stage 4 with another model after training is refused, and config.json and RESULTS.md stay as they were', async () => {
    const exp = join(root, 'exp-c');
    await toy(exp, ['--stop-stage', '4']);
    const config = read(join(exp, 'config.json'));
    const results = read(join(exp, 'RESULTS.md'));
    await expect(toy(exp, ['--stage', '4', '--model.cell=lstm', '--model.hiddenSize=999'])).rejects.toThrow(
      /Stage 2 \(train .*\) last finished with other settings or inputs than those given now: run from --stage 2/,
    );
    expect(read(join(exp, 'config.json'))).toBe(config);
    expect(JSON.parse(config).model.hiddenSize).toBe(8);
    expect(read(join(exp, 'RESULTS.md'))).toBe(results);
    // the same settings are not refused
    await toy(exp, ['--stage', '4', '--stop-stage', '4']);
  });

  it('--stop-stage 1 with another model says the trained model is out of date, and a later --stage past it is refused', async () => {
    const exp = join(root, 'exp-c2');
    await toy(exp, ['--stop-stage', '3']);
    const log = await toy(exp, ['--stop-stage', '1', '--model.hiddenSize=16']);
    expect(log).toContain(
      'Stage 2 (train (encoder-decoder with attention)) was done with other settings or inputs than config.json now holds: run from --stage 2 to bring its outputs up to date',
    );
    await expect(toy(exp, ['--stage', '3', '--model.hiddenSize=16'])).rejects.toThrow(/Stage 2 \(train .*\) last finished with other settings/);
  });

  it('(d) --direction ko-en on an en-ko experiment prepares ko-en data and trains a new model, even with --resume', async () => {
    const exp = join(root, 'exp-d');
    await toy(exp, ['--stop-stage', '3']);
    expect(read(join(exp, 'data', 'train.tsv'))).toMatch(/^The cat eats the apple\.\t고양이가/);

    await expect(toy(exp, ['--stage', '3', '--direction', 'ko-en'])).rejects.toThrow(/Stage 1 \(prepare .*\) last finished with other settings/);

    const log = await toy(exp, ['--direction', 'ko-en', '--resume', '--stop-stage', '3']);
    expect(read(join(exp, 'data', 'train.tsv'))).toMatch(/^고양이가 사과를 먹는다\.\tThe cat/);
    expect(log.some((l) => l.includes('resuming after epoch'))).toBe(false); // the en-ko training is not continued
    expect(log).toContain('Stage 2: removing what its run with other settings or inputs left');
    const source = JSON.parse(read(join(exp, 'model', 'source-vocabulary.json'))) as { tokens: string[] };
    expect(source.tokens).toContain('고양이가');
    expect(source.tokens).not.toContain('cat');
    expect(JSON.parse(read(join(exp, 'config.json'))).data.direction).toBe('ko-en');
    expect(read(join(exp, 'decode', 'dev', 'hyp.txt')).split('\n')[0]).not.toMatch(/[가-힣]/); // English hypotheses
  });

  it('more epochs with --resume continue the training instead of starting over', async () => {
    const exp = join(root, 'exp-e');
    await toy(exp, ['--stop-stage', '2']);
    const log = await toy(exp, ['--resume', '--stop-stage', '2', '--train.epochs=3']);
    expect(log.some((l) => l.includes('resuming after epoch 2'))).toBe(true);
    expect((JSON.parse(read(join(exp, 'train-history.json'))) as { history: unknown[] }).history).toHaveLength(3);
  });
});

describe('the classification recipe, on markers too', () => {
  const reviews = (n: number) =>
    ['id\tmovie\trating\tlabel\ttext', ...Array.from({ length: n }, (_, i) => `${i}\t${i % 10}\t${i % 2 ? 9 : 2}\t${i % 2}\tthe film was ${i % 2 ? 'great' : 'awful'} and ${['long', 'short', 'new'][i % 3]}.`)].join('\n') + '\n';
  const small = ['--text.unit=word', '--text.vocabSize=20', '--text.maxLength=8', '--model.embeddingSize=4', '--model.hiddenSize=4', '--train.epochs=2', '--train.batchSize=16'];

  it('a kill between weights.safetensors and model.json re-runs training; another model at --stage 3 is refused, config.json kept', async () => {
    const exp = join(root, 'exp-classify');
    const data = join(root, 'reviews.tsv');
    writeFileSync(data, reviews(60));
    const nsmc = (extra: string[]) => runNsmc(['--data', data, '--exp-dir', exp, ...small, ...extra]);
    await nsmc(['--stop-stage', '3']);
    rmSync(join(exp, 'model', 'model.json'));
    rmSync(join(exp, 'stages', '2.json'));
    logged = [];
    await nsmc(['--resume', '--stop-stage', '3']);
    expect(logged.some((l) => /^Stage 2: train/.test(l) && !l.includes('skipped'))).toBe(true);
    expect(existsSync(join(exp, 'model', 'model.json'))).toBe(true);

    const config = read(join(exp, 'config.json'));
    const results = read(join(exp, 'RESULTS.md'));
    await expect(nsmc(['--stage', '3', '--model.hiddenSize=16'])).rejects.toThrow(/Stage 2 \(train .*\) last finished with other settings/);
    expect(read(join(exp, 'config.json'))).toBe(config);
    expect(read(join(exp, 'RESULTS.md'))).toBe(results);
  }, 60_000);
});

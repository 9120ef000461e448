/**
 * The classification recipes end to end on a tiny synthetic corpus (reviews whose words carry
 * the sentiment, split by movie): prepare → train → evaluate → demo through the nsmc recipe's
 * run, then `sori classify` on the saved model, a resumed run, and the named errors for bad
 * input. (Accuracy on real reviews is the recipes' business, not this test's.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import runNsmc from '../../recipes/nsmc/run.ts';
import runImdb from '../../recipes/imdb/run.ts';
import { loadTextClassifier, mulberry32, readLabelledTsv, splitDev, textClassifier } from '../../src/index.ts';
import { classifyLines } from '../../src/cli/classify.ts';

const POSITIVE = ['great', 'superb', 'loved', 'wonderful'];
const NEGATIVE = ['awful', 'boring', 'hated', 'dull'];
const NEUTRAL = ['the', 'film', 'plot', 'actor', 'was', 'a', 'and', 'it'];

/** n reviews of 3–9 words over 30 movies: label 1 holds a positive word, label 0 a negative one. */
function corpus(n: number, seed: number): string {
  const random = mulberry32(seed);
  const pick = (words: string[]) => words[Math.floor(random() * words.length)];
  const lines = ['id\tmovie\trating\tlabel\ttext'];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const words = Array.from({ length: 2 + Math.floor(random() * 6) }, () => pick(NEUTRAL));
    words.splice(Math.floor(random() * words.length), 0, pick(label ? POSITIVE : NEGATIVE));
    lines.push(`${i}\t${i % 30}\t${label ? 9 : 2}\t${label}\t${words.join(' ')}.`);
  }
  return lines.join('\n') + '\n';
}

const tiny = [
  '--text.unit=word',
  '--text.vocabSize=40',
  '--text.maxLength=12',
  '--model.embeddingSize=8',
  '--model.hiddenSize=8',
  '--train.epochs=4',
  '--train.batchSize=16',
  '--train.learningRate=0.02',
  '--train.finalLearningRate=0.005',
];

describe('classification recipe end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sori-classify-'));
  const data = join(dir, 'reviews.tsv');
  writeFileSync(data, corpus(400, 1));
  const exp = join(dir, 'exp');

  it('prepare → train → evaluate → demo learns the synthetic sentiment and writes exp/NAME/model', async () => {
    await runNsmc(['--data', data, '--exp-dir', exp, ...tiny]);
    expect(existsSync(join(exp, 'model', 'weights.safetensors'))).toBe(true);
    const scores = JSON.parse(readFileSync(join(exp, 'scores.json'), 'utf8'));
    expect(scores.dev.accuracy).toBeGreaterThan(0.9);
    expect(readFileSync(join(exp, 'RESULTS.md'), 'utf8')).toMatch(/\| dev \| \d+ \| \d+\.\d\d \|/);
    expect(readFileSync(join(exp, 'RESULTS.md'), 'utf8')).toMatch(/\| heldout \| \d+ \| \d+\.\d\d \|/);
    expect(scores.heldout.texts).toBeGreaterThan(0);
    const config = JSON.parse(readFileSync(join(exp, 'config.json'), 'utf8'));
    expect(config.text.maxLength).toBe(12);
  }, 60_000);

  it('the dev split holds out whole movies', () => {
    const rows = readLabelledTsv(data, { textColumn: 'text', labelColumn: 'label', groupColumn: 'movie' });
    const { train, dev } = splitDev(rows, { devFraction: 0.1, seed: 7, byGroup: true });
    const trainMovies = new Set(train.map((r) => r.group));
    expect(dev.length).toBeGreaterThan(0);
    expect(dev.every((r) => !trainMovies.has(r.group))).toBe(true);
    expect(train.length + dev.length).toBe(rows.length);
  });

  it('sori classify writes LABEL<TAB>PROBABILITY per line (empty line included), or every probability with --json', () => {
    const lines = classifyLines(['a superb and wonderful film', 'boring and dull', ''], { model: join(exp, 'model') });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^1\t0\.\d{4}$/);
    expect(lines[1]).toMatch(/^0\t0\.\d{4}$/);
    expect(lines[2]).toMatch(/^[01]\t[01]\.\d{4}$/);
    const json = JSON.parse(classifyLines(['loved it'], { model: join(exp, 'model'), json: true })[0]);
    expect(json.label).toBe('1');
    expect(json.probabilities['0'] + json.probabilities['1']).toBeCloseTo(1, 5);
  });

  it('a rerun skips finished stages; a killed training continues with --resume (and refuses to restart without it)', async () => {
    await runNsmc(['--data', data, '--exp-dir', exp, '--stage', '1', '--stop-stage', '2', ...tiny]);
    rmSync(join(exp, 'model'), { recursive: true }); // as if killed after the last checkpoint
    await expect(runNsmc(['--data', data, '--exp-dir', exp, '--stage', '2', '--stop-stage', '2', ...tiny])).rejects.toThrow(/pass --resume/);
    await runNsmc(['--data', data, '--exp-dir', exp, '--stage', '2', '--stop-stage', '2', '--resume', ...tiny]);
    expect(existsSync(join(exp, 'model', 'weights.safetensors'))).toBe(true);
    expect(JSON.parse(readFileSync(join(exp, 'train-history.json'), 'utf8')).epoch).toBe(4);
  }, 60_000);

  it('train.average=2 saves the mean of the last two epochs; text.readLength is the saved model\'s read length', async () => {
    const exp2 = join(dir, 'exp-average');
    await runNsmc(['--data', data, '--exp-dir', exp2, '--stop-stage', '3', '--train.average=2', '--text.readLength=20', ...tiny]);
    expect(JSON.parse(readFileSync(join(exp2, 'train-history.json'), 'utf8')).average.epochs).toEqual([3, 4]);
    expect(JSON.parse(readFileSync(join(exp2, 'model', 'model.json'), 'utf8')).text.maxLength).toBe(20);
    expect(JSON.parse(readFileSync(join(exp2, 'scores.json'), 'utf8')).dev.accuracy).toBeGreaterThan(0.9);
    await expect(runNsmc(['--data', data, '--exp-dir', join(dir, 'exp-bad'), '--train.average=5', ...tiny])).rejects.toThrow(/train\.average: .*\[1, 4\].*got 5/);
  }, 60_000);

  it('train.members trains an ensemble: in worker processes the members equal those trained one after another, and the model averages their probabilities', async () => {
    const members = '--train.members=[{},{"seed":2,"hiddenSize":6}]';
    const inOne = join(dir, 'exp-members-1');
    const inTwo = join(dir, 'exp-members-2');
    await runNsmc(['--data', data, '--exp-dir', inOne, '--stop-stage', '3', members, ...tiny]);
    await runNsmc(['--data', data, '--exp-dir', inTwo, '--stop-stage', '2', members, '--train.workers=2', ...tiny]);
    for (const file of ['kept.safetensors', 'member-2/kept.safetensors']) {
      expect(readFileSync(join(inTwo, 'train', file)).equals(readFileSync(join(inOne, 'train', file))), file).toBe(true);
    }
    const card = JSON.parse(readFileSync(join(inOne, 'model', 'model.json'), 'utf8'));
    expect(card.members).toEqual([{ weights: 'member-2.safetensors', model: expect.objectContaining({ hiddenSize: 6 }) }]);
    expect(readFileSync(join(inOne, 'RESULTS.md'), 'utf8')).toMatch(/an ensemble of 2/);
    const history = JSON.parse(readFileSync(join(inOne, 'train-history.json'), 'utf8'));
    expect(history.members).toHaveLength(2);
    expect(history.members[1].seed).toBe(2);

    // The ensemble's probability is the mean of its members' (each loaded alone from its kept weights).
    const texts = ['a superb film', 'dull plot', ''];
    const ensemble = loadTextClassifier(join(inOne, 'model'));
    const both = ensemble.probabilities(texts);
    const alone = ensemble.models.map((m) => textClassifier(m, ensemble.vocabulary, ensemble.text, ensemble.labels).probabilities(texts));
    both.forEach((p, i) => p.forEach((v, k) => expect(v).toBeCloseTo((alone[0][i][k] + alone[1][i][k]) / 2, 6)));
    ensemble.dispose();
  }, 120_000);

  it('train.members and train.workers errors name the entry, key or value', async () => {
    const bad = (flag: string) => runNsmc(['--data', data, '--exp-dir', join(dir, 'exp-bad-members'), '--stage', '2', '--stop-stage', '2', flag, ...tiny]);
    await expect(bad('--train.members=[]')).rejects.toThrow(/train.members: expected a non-empty list/);
    await expect(bad('--train.members=[{},{"cell":"lstm"}]')).rejects.toThrow(/train.members\[1\]: unknown key 'cell'/);
    await expect(bad('--train.workers=0')).rejects.toThrow(/train.workers: expected an integer ≥ 1, got 0/);
  });

  it('a test set with a label the model does not know is a named error', async () => {
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'id\tmovie\trating\tlabel\ttext\n1\t1\t5\tneutral\tso so\n');
    await expect(runNsmc(['--data', data, '--exp-dir', exp, '--stage', '3', '--stop-stage', '3', `--eval.testPath=${bad}`, ...tiny])).rejects.toThrow(
      /test row 1: label 'neutral' is not one of the model's labels \(0, 1\)/,
    );
  });
});

describe('bad input is a named error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sori-classify-bad-'));
  it('a TSV without the label column names the column and lists those found', () => {
    const path = join(dir, 'nolabel.tsv');
    writeFileSync(path, 'id\ttext\n1\tgood\n');
    expect(() => readLabelledTsv(path, { textColumn: 'text', labelColumn: 'label' })).toThrow(/nolabel.tsv: no column 'label' in the header line \(columns: id, text\)/);
  });

  it('an empty file', () => {
    const path = join(dir, 'empty.tsv');
    writeFileSync(path, '');
    expect(() => readLabelledTsv(path, { textColumn: 'text', labelColumn: 'label' })).toThrow(/empty.tsv: the file is empty/);
  });

  it('a header and no data lines', () => {
    const path = join(dir, 'header.tsv');
    writeFileSync(path, 'label\ttext\n');
    expect(() => readLabelledTsv(path, { textColumn: 'text', labelColumn: 'label' })).toThrow(/header.tsv: no data lines after the header/);
  });

  it('a line with a missing column names the line', () => {
    const path = join(dir, 'short.tsv');
    writeFileSync(path, 'label\ttext\n1\tgood\n0\n');
    expect(() => readLabelledTsv(path, { textColumn: 'text', labelColumn: 'label' })).toThrow(/short.tsv:3: expected 2 tab-separated columns \(label, text\), got 1/);
  });

  it('a missing file, through the imdb recipe', async () => {
    await expect(runImdb(['--data', join(dir, 'nope.tsv'), '--exp-dir', join(dir, 'exp')])).rejects.toThrow(/nope.tsv: no such file/);
  });

  it('an unknown --config names the configs', async () => {
    await expect(runImdb(['--config', 'lab9', '--exp-dir', join(dir, 'exp')])).rejects.toThrow(/unknown --config 'lab9' \(configs: default, lab1, lab2, lab3\)/);
  });
});

/**
 * The annyeong recipe end to end on a few utterances of the committed corpus and a tiny model:
 * prepare → features → train → decode → score → demo, then a resumed training and the
 * recogniser the CLI uses. (Quality is the recipe's business, not this test's.)
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import run from '../../recipes/annyeong/run.ts';
import { miniCorpus } from './mini-corpus.ts';
import { loadAudio, loadRecognizer, readKaldiTable } from '../../src/index.ts';

const source = 'corpora/annyeong';


const tiny = ['--model.hiddenSize=8', '--model.numLayers=1', '--train.batchSize=4', '--decode.demoFiles=1'];

describe('annyeong recipe', () => {
  const corpus = miniCorpus(6, ['train', 'dev', 'test']);
  const exp = mkdtempSync(join(tmpdir(), 'sori-annyeong-exp-'));
  const args = ['--exp-dir', exp, `--data.corpus=${corpus}`, '--data.validSets=dev', '--data.evalSets=dev,test', ...tiny];

  it('runs every stage and writes the config, the model directory, hypotheses and results', async () => {
    await run([...args, '--train.epochs=2']);
    for (const f of ['config.json', 'model/model.json', 'model/weights.safetensors', 'decode/test/hyp.txt', 'RESULTS.md']) {
      expect(existsSync(join(exp, f)), f).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(exp, 'config.json'), 'utf8')).model.hiddenSize).toBe(8);
    const hyp = readKaldiTable(join(exp, 'decode/test/hyp.txt'));
    expect([...hyp.keys()]).toEqual([...readKaldiTable(join(corpus, 'test/text')).keys()]);
    expect(readFileSync(join(exp, 'RESULTS.md'), 'utf8')).toMatch(/\| test \| 6 \|/);
  });

  it('skips finished stages, and a resumed training continues from its last epoch', async () => {
    rmSync(join(exp, 'model'), { recursive: true });
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    try {
      await run([...args, '--train.epochs=3', '--resume', '--stop-stage=3']);
    } finally {
      console.log = log;
    }
    expect(lines).toContain('Stage 2: features (MFCC 13 + CMVN) (already done, skipped)');
    expect(lines.some((l) => l.startsWith('resuming after epoch 2'))).toBe(true);
    const history = JSON.parse(readFileSync(join(exp, 'train-history.json'), 'utf8')).history;
    expect(history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2, 3]);
  });

  it('trains to the same weights twice from the same seeds (shuffles, copies, noise, masks and dropout all seeded)', async () => {
    // one layer: every dropout is the model's own, seeded per batch
    const augment = ['--augment.fraction=1', '--augment.snrs=[10]', '--augment.noiseOnTop=0.5', '--model.dropout=0.3'];
    const train = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sori-annyeong-exp-'));
      await run([...args, '--exp-dir', dir, '--train.epochs=2', '--stop-stage=3', ...augment]); // --exp-dir: the last one given
      return readFileSync(join(dir, 'model/weights.safetensors'));
    };
    const [one, two] = [await train(), await train()];
    expect(two.equals(one)).toBe(true);
  });

  it('loads the saved model and transcribes audio at another sample rate into the symbol alphabet', async () => {
    const recognizer = loadRecognizer(join(exp, 'model'));
    const { samples } = await loadAudio(join(source, 'wav/test-unseen/test-unseen-0001.wav'), { sampleRate: recognizer.sampleRate });
    expect(recognizer.transcribe(samples)).toMatch(/^[안녕하세요 ]*$/u);
    expect(recognizer.transcribe(samples, { beam: 4 })).toMatch(/^[안녕하세요 ]*$/u);
    recognizer.dispose();
  });
});

/**
 * A side output that cannot be written (attention JSON, a picture of the report) never takes
 * the main output down: the translations, captions, other pictures and report.html are written,
 * and the exit status and message say which side output failed. The failing path is a file
 * under a regular file (mkdir fails with EEXIST), which fails for root too.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveTranslator, Seq2Seq, seq2seqDefaults, Vocabulary, writeExperimentReport, type PlotSpec } from '../../src/index.ts';
import { createCaptioner, disposeCaptioner } from '../../src/caption/captioner.ts';
import { saveCaptioner } from '../../src/caption/model-files.ts';
import { captionFiles } from '../../src/cli/caption.ts';

let root: string;
let unwritable: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sori-side-'));
  writeFileSync(join(root, 'a-file'), '');
  unwritable = join(root, 'a-file', 'attention.json'); // its directory is a file: mkdir fails (EEXIST)
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Run sori with `stdin`; returns the exit code and both streams. */
function sori(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('sori translate --attention', () => {
  it('an unwritable attention file: every translation is printed, exit 1, the message names --attention and the path', async () => {
    const modelDir = join(root, 'translator');
    const source = Vocabulary.build(['the cat eats the apple .'], 'word');
    const target = Vocabulary.build(['고양이가 사과를 먹는다.'], 'character');
    const model = new Seq2Seq({ ...seq2seqDefaults, embeddingSize: 4, hiddenSize: 4, sourceVocabSize: source.size, targetVocabSize: target.size });
    saveTranslator(modelDir, model, { source, target });
    model.dispose();
    const r = await sori(['translate', '--model', modelDir, '--attention', unwritable], 'the cat\nthe apple\nthe cat eats\n');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toHaveLength(4); // three lines and the final newline
    expect(r.stderr).toMatch(/sori translate: --attention: cannot write '.*a-file\/attention\.json': E[A-Z]+: .*; the 3 translations were written/);
  }, 60_000);
});

describe('sori caption --attention', () => {
  it('an unwritable attention file: the captions are returned, and the failure is one more error naming --attention', () => {
    const S = 8;
    const vocabulary = Vocabulary.build(['a red square'], 'word');
    const model = createCaptioner({
      vocabSize: vocabulary.size, imageSize: S, cnn: { channels: [4], kernelSize: 3, coordinates: false, layerNorm: false, spaceToDepth: false },
      embeddingSize: 4, hiddenSize: 4, numLayers: 1, cell: 'gru', attention: 'luong-general', dropout: 0, seed: 1,
    });
    saveCaptioner(join(root, 'captioner'), model, vocabulary);
    disposeCaptioner(model);
    const image = join(root, 'image.png');
    const png = new PNG({ width: S, height: S });
    png.data.fill(200);
    writeFileSync(image, PNG.sync.write(png));
    const out = captionFiles([image, image], { model: join(root, 'captioner'), attention: unwritable });
    expect(out.lines).toHaveLength(2);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatch(/^--attention: cannot write '.*attention\.json': E[A-Z]+: .*; the 2 captions were written$/);
  });
});

describe("a recipe's report (writeExperimentReport)", () => {
  const spec = (title: string) =>
    ({
      title,
      data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
      mark: 'line',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    }) as unknown as PlotSpec;

  it('a picture that cannot be written does not stop the other pictures or report.html; the error names it', async () => {
    const expDir = join(root, 'exp');
    mkdirSync(join(expDir, 'plots', 'broken.svg'), { recursive: true }); // a directory where the picture goes
    writeFileSync(join(expDir, 'RESULTS.md'), '# results\n');
    await expect(
      writeExperimentReport({ expDir, title: 't', plots: [{ name: 'broken', spec: spec('a') }, { name: 'curves', spec: spec('b') }] }),
    ).rejects.toThrow(/^1 of 2 pictures failed \(the others and .*report\.html were written\): picture 'broken': cannot write '.*broken\.svg'/);
    expect(existsSync(join(expDir, 'plots', 'curves.svg'))).toBe(true);
    expect(existsSync(join(expDir, 'plots', 'curves.png'))).toBe(true);
    expect(existsSync(join(expDir, 'report.html'))).toBe(true);
  });
});

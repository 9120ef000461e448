/**
 * `sori transcribe` end to end on the committed corpus, with a tiny model trained here by the
 * annyeong recipe (a few utterances, 2 epochs: what it says is not the point, only that it says
 * something and the plumbing carries it): --scp, a directory, '-', --output-format srt/vtt/json,
 * --output-dir, a broken pipe; and the recipe's portable experiment directory and honest stage
 * skips.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import run from '../../recipes/annyeong/run.ts';
import { miniCorpus } from '../recipes/mini-corpus.ts';
import { loadAudio, loadRecognizer, readKaldiTable } from '../../src/index.ts';
import { transcribe } from '../../src/cli/transcribe.ts';

const source = 'corpora/annyeong';
let corpus: string; // relative to the current directory, as a user would give it
let exp: string;
let model: string;


/** Run the CLI; `stdin` is written to its standard input. */
function sori(args: string[], { stdin }: { stdin?: Uint8Array | string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--backend', 'cpu', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** The command's handler in this process (no start-up cost): what it writes to stdout, or its error. */
async function transcribeHere(args: Record<string, unknown>): Promise<string> {
  const chunks: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await transcribe({ model, beam: 1, json: false, ...args });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join('');
}

const recipeArgs = () => [
  '--exp-dir', exp, `--data.corpus=${corpus}`, '--data.validSets=dev', '--data.evalSets=test',
  '--model.hiddenSize=8', '--model.numLayers=1', '--train.batchSize=4', '--train.epochs=2', '--train.average=1', '--augment.fraction=0',
];

beforeAll(async () => {
  corpus = relative(process.cwd(), miniCorpus(6, ['train', 'dev', 'test']));
  exp = mkdtempSync(join(tmpdir(), 'sori-transcribe-exp-'));
  model = join(exp, 'model');
  await run([...recipeArgs(), '--stop-stage=4']);
});

/** SRT cues: [index, start s, end s, text]. */
function parseSrt(text: string): { index: number; start: number; end: number; text: string }[] {
  const seconds = (t: string) => {
    const [h, m, s] = t.replace(',', '.').split(':').map(Number);
    return h * 3600 + m * 60 + s;
  };
  return text
    .trim()
    .split(/\n\n/)
    .filter((b) => b !== '')
    .map((block) => {
      const [index, times, ...words] = block.split('\n');
      const [start, end] = times.split(' --> ');
      return { index: Number(index), start: seconds(start), end: seconds(end), text: words.join('\n') };
    });
}

describe('sori transcribe (end to end, tiny trained model)', () => {
  it("--scp prints Kaldi's `utt-id text` for every utterance of a wav.scp, in order", async () => {
    const scp = join(corpus, 'test', 'wav.scp');
    const stdout = await transcribeHere({ scp });
    const ids = stdout.trim().split('\n').map((l) => l.split(' ')[0]);
    expect(ids).toEqual([...readKaldiTable(scp).keys()]);
  });

  it("reads a directory's .wav files in sorted order and '-' as a WAV on standard input", async () => {
    const dir = join(corpus, 'wav', 'test');
    const first = readdirSync(dir).sort()[0];
    const { code, stdout } = await sori(['transcribe', '--model', model, dir, '-'], { stdin: readFileSync(join(dir, first)) });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(lines.map(([key]) => key)).toEqual([...readdirSync(dir).sort().map((f) => join(dir, f)), '-']);
    expect(lines[lines.length - 1][1]).toBe(lines[0][1]); // the same audio through stdin
  });

  it('--output-format srt --output-dir: one file per input, cues numbered, times monotone and inside the audio', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sori-srt-'));
    const dir = join(corpus, 'wav', 'test');
    await transcribeHere({ 'output-format': 'srt', 'output-dir': out, files: [dir] });
    const files = readdirSync(dir).sort();
    expect(readdirSync(out).sort()).toEqual(files.map((f) => f.replace(/\.wav$/, '.srt')));
    const recognizer = loadRecognizer(model);
    let cues = 0;
    for (const f of files) {
      const { samples } = await loadAudio(join(dir, f), { sampleRate: recognizer.sampleRate });
      const duration = samples.length / recognizer.sampleRate;
      const srt = parseSrt(readFileSync(join(out, f.replace(/\.wav$/, '.srt')), 'utf8'));
      expect(srt.map((c) => c.text).join(' ')).toBe(recognizer.transcribe(samples));
      srt.forEach((c, i) => {
        expect(c.index).toBe(i + 1);
        expect(c.start).toBeGreaterThanOrEqual(i > 0 ? srt[i - 1].end : 0);
        expect(c.end).toBeGreaterThanOrEqual(c.start);
        expect(c.end).toBeLessThanOrEqual(duration + 0.0005); // milliseconds, rounded
      });
      cues += srt.length;
    }
    recognizer.dispose();
    expect(cues).toBeGreaterThan(0); // the model said something, so the checks above checked something
  });

  it('--json prints one object per input: key, text, duration, words and symbols with times', async () => {
    const scp = join(corpus, 'test', 'wav.scp');
    const stdout = await transcribeHere({ scp, json: true });
    const objects = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(objects.map((o) => o.key)).toEqual([...readKaldiTable(scp).keys()]);
    const recognizer = loadRecognizer(model);
    for (const [i, path] of [...readKaldiTable(scp).values()].entries()) {
      const { samples } = await loadAudio(join(corpus, path), { sampleRate: recognizer.sampleRate });
      expect(objects[i].text).toBe(recognizer.transcribe(samples));
      expect(objects[i].duration).toBeCloseTo(samples.length / recognizer.sampleRate, 6);
    }
    recognizer.dispose();
    for (const o of objects) {
      expect(o.words.map((w: { text: string }) => w.text).join(' ')).toBe(o.text);
      for (const s of o.symbols) expect(0 <= s.start && s.start <= s.end && s.end <= o.duration).toBe(true);
    }
  });

  it('Recognizer.recognize (transcript, forced alignment, timestamps) leaves no tensor behind', async () => {
    const recognizer = loadRecognizer(model);
    const { samples } = await loadAudio(join(source, 'wav/test/test-0009.wav'), { sampleRate: recognizer.sampleRate });
    recognizer.recognize(samples, { beam: 4 }); // first call: kernels compiled, constants made
    const before = tf.memory().numTensors;
    const result = recognizer.recognize(samples, { beam: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.symbols.map((s) => (s.text === '<space>' ? ' ' : s.text)).join('').trim().replace(/ +/g, ' ')).toBe(result.text);
    recognizer.dispose();
  });

  it('ends quietly with status 0 when its reader closes the pipe early', async () => {
    const dir = join(corpus, 'wav', 'test');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'transcribe', '--model', model, dir, dir, dir, dir]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy()); // `| head -1`
    const code = await new Promise((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('refuses to run with no input at all (instead of printing nothing and exiting 0)', async () => {
    await expect(transcribeHere({})).rejects.toThrow('no audio to transcribe');
  });
});

describe('the annyeong experiment directory', () => {
  it('holds no absolute path (it can be moved)', () => {
    const text = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? text(p) : /\.(json|jsonl|txt|md)$/.test(f) ? [readFileSync(p, 'utf8')] : [];
      });
    const all = text(exp).join('\n');
    expect(all).toContain('test-0001'); // the lists are there
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const absolute of [resolve(corpus), process.cwd(), exp, tmpdir()]) {
      expect(all).not.toMatch(new RegExp(`(^|["\\s])${escape(absolute)}`, 'm')); // a path that starts there
    }
  });

  it('re-runs a requested stage whose config changed (decode with another beam), then skips it when nothing changed', async () => {
    const logged = async (args: string[]) => {
      const lines: string[] = [];
      const log = console.log;
      console.log = (...a: unknown[]) => void lines.push(a.join(' '));
      try {
        await run([...recipeArgs(), ...args]);
      } finally {
        console.log = log;
      }
      return lines;
    };
    const beam = await logged(['--stage=4', '--stop-stage=5', '--decode.beam=4']);
    expect(beam).toContain('Stage 4: decode (beam 4) (config or inputs changed since it last ran)');
    expect(readFileSync(join(exp, 'RESULTS.md'), 'utf8')).toMatch(/^# annyeong results \(beam 4\)/);
    expect(readFileSync(join(exp, 'RESULTS.md'), 'utf8')).toMatch(/^%CER \d+\.\d\d \[ \d+ \/ \d+, \d+ ins, \d+ del, \d+ sub \] decode\/test$/m);
    const again = await logged(['--stage=4', '--stop-stage=4', '--decode.beam=4']);
    expect(again).toContain('Stage 4: decode (beam 4) (already done, skipped)');
  });
});

// Model directories (sori transcribe / translate --model DIR): loading frees what it allocates,
// refuses what it cannot trust, and names the file and field of every fault.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  createCtcModel,
  ctcModelDefaults,
  decodeSafetensors,
  encodeSafetensors,
  loadRecognizer,
  loadTranslator,
  saveCtcModel,
  saveTranslator,
  Seq2Seq,
  seq2seqDefaults,
  speechFeatureDefaults,
  Vocabulary,
} from '../../src/index.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'sori-modeldir-'));

function ctcDir(): string {
  const dir = scratch();
  const model = createCtcModel({ ...ctcModelDefaults, hiddenSize: 8, numLayers: 1, numClasses: 4 });
  saveCtcModel(dir, model, { symbols: ['<blank>', '안', '녕', ' '], blank: 0, features: { ...speechFeatureDefaults } });
  model.rnn.dispose();
  tf.dispose([model.output.weight, model.output.bias].filter(Boolean) as tf.Tensor[]);
  return dir;
}

function translatorDir(): string {
  const dir = scratch();
  const source = Vocabulary.build(['a b c'], 'word');
  const target = Vocabulary.build(['x y'], 'word');
  const model = new Seq2Seq({ ...seq2seqDefaults, sourceVocabSize: source.size, targetVocabSize: target.size, hiddenSize: 8, embeddingSize: 4 });
  saveTranslator(dir, model, { source, target });
  model.dispose();
  return dir;
}

const editJson = (path: string, edit: (j: any) => void) => {
  const j = JSON.parse(readFileSync(path, 'utf8'));
  edit(j);
  writeFileSync(path, JSON.stringify(j));
};

describe('loading a model directory leaks no tensor', () => {
  it('loadTranslator(...).dispose() frees everything', () => {
    const dir = translatorDir();
    const before = tf.memory().numTensors;
    loadTranslator(dir).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loadRecognizer(...).dispose() frees everything', () => {
    const dir = ctcDir();
    const before = tf.memory().numTensors;
    loadRecognizer(dir).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a failed loadRecognizer (weights of the wrong shape) frees everything', () => {
    const dir = ctcDir();
    editJson(join(dir, 'model.json'), (j) => (j.model.hiddenSize = 6));
    const before = tf.memory().numTensors;
    expect(() => loadRecognizer(dir)).toThrow(/weights.safetensors/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a failed decodeSafetensors (a NaN in the second tensor) frees the first', () => {
    const bytes = encodeSafetensors({ a: tf.tensor1d([1, 2]), b: tf.tensor1d([3, NaN]) });
    const before = tf.memory().numTensors;
    expect(() => decodeSafetensors(bytes, 'w.safetensors')).toThrow(/w.safetensors: tensor 'b' holds NaN at flat index 1/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('model directories refuse what they cannot trust', () => {
  it('a symlinked model.json is refused, and its target is never quoted', () => {
    const dir = ctcDir();
    const secret = join(scratch(), 'shadow');
    writeFileSync(secret, 'root:$6$secret-hash:19000:0:99999:7:::\n');
    rmSync(join(dir, 'model.json'));
    symlinkSync(secret, join(dir, 'model.json'));
    let message = '';
    try {
      loadRecognizer(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/model.json' is a symbolic link/);
    expect(message).not.toContain('root');
  });

  it('invalid JSON is named by file and position, never quoted', () => {
    const dir = ctcDir();
    writeFileSync(join(dir, 'model.json'), 'root:x:0:0:secret');
    expect(() => loadRecognizer(dir)).toThrow(/model.json' is not valid JSON/);
    expect(() => loadRecognizer(dir)).not.toThrow(/secret/);
    writeFileSync(join(dir, 'model.json'), '');
    expect(() => loadRecognizer(dir)).toThrow(/model.json' is not valid JSON \(the file is empty\)/);
  });

  it('a FIFO or a device as weights.safetensors is refused at once (never read, never waited on)', () => {
    const dir = ctcDir();
    rmSync(join(dir, 'weights.safetensors'));
    execFileSync('mkfifo', [join(dir, 'weights.safetensors')]);
    expect(() => loadRecognizer(dir)).toThrow(/weights.safetensors' is a FIFO: only regular files are read/);
    rmSync(join(dir, 'weights.safetensors'));
    symlinkSync('/dev/zero', join(dir, 'weights.safetensors'));
    expect(() => loadRecognizer(dir)).toThrow(/weights.safetensors' is a symbolic link/);
  });

  it('a huge hiddenSize or numLayers in model.json is refused before any tensor is allocated', () => {
    const dir = ctcDir();
    const before = tf.memory().numTensors;
    editJson(join(dir, 'model.json'), (j) => (j.model.hiddenSize = 20000));
    expect(() => loadRecognizer(dir)).toThrow(/model.json: model.hiddenSize must be an integer in \[1, 4096\], got 20000/);
    editJson(join(dir, 'model.json'), (j) => ((j.model.hiddenSize = 4096), (j.model.numLayers = 16)));
    expect(() => loadRecognizer(dir)).toThrow(/describes a model of \d+ weights .* but .*weights.safetensors holds \d+ bytes/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    [(j: any) => delete j.blank, /model.json: required field 'blank' is missing/],
    [(j: any) => (j.blank = 9), /model.json: blank must be an index in \[0, 3\], got 9/],
    [(j: any) => (j.symbols = ['a']), /model.json: symbols must be 4 strings/],
    [(j: any) => delete j.model.cell, /model.json: model: required field 'cell' is missing/],
    [(j: any) => (j.model.cell = 'lstn'), /model.json: model.cell must be one of simple, lstm, gru, mgu/],
    [(j: any) => (j.features.sampleRate = 1), /model.json: features.sampleRate must be an integer in \[4000, 192000\], got 1/],
    [(j: any) => delete j.features.numCeps, /model.json: features: required field 'numCeps' is missing/],
  ])('model.json faults are named by file and field (%#)', (edit, message) => {
    const dir = ctcDir();
    editJson(join(dir, 'model.json'), edit);
    const before = tf.memory().numTensors;
    expect(() => loadRecognizer(dir)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a trailing slash on the directory still names the file whole', () => {
    const dir = scratch();
    expect(() => loadTranslator(dir + '/')).toThrow(/no model.json/);
    expect(() => loadTranslator(dir + '/')).not.toThrow(/no odel/);
  });

  it('translator vocabularies must match the sizes model.json states', () => {
    const dir = translatorDir();
    editJson(join(dir, 'source-vocabulary.json'), (j) => j.tokens.pop());
    expect(() => loadTranslator(dir)).toThrow(/source-vocabulary.json: holds \d+ tokens, model.json says \d+/);
  });
});

describe('safetensors headers are checked before any tensor is made', () => {
  const header = (h: object, dataBytes: number) => {
    let json = JSON.stringify(h);
    json += ' '.repeat((8 - (json.length % 8)) % 8);
    const out = new Uint8Array(8 + json.length + dataBytes);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(Buffer.from(json), 8);
    return out;
  };
  it.each([
    [{ a: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, 8, /tensor 'a': dtype "F64" is not one of F32, I32/],
    [{ a: { dtype: 'F32', shape: 'x', data_offsets: [0, 4] } }, 4, /tensor 'a': shape must be a list of non-negative integers/],
    [{ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4, /tensor 'a': shape \[2\] needs 8 bytes, data_offsets give 4/],
    [{ a: { dtype: 'F32', shape: [1], data_offsets: [0, 400] } }, 4, /data_offsets \[0, 400\] lie outside the 4 data bytes/],
    [{ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8, /starts at byte 4, expected 8/],
    [{ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8, /the tensors cover 4 of the 8 data bytes/],
    [{ a: { dtype: 'F32', shape: [1] } }, 4, /tensor 'a': data_offsets must be two non-negative integers/],
  ])('refuses a bad header, naming the tensor and field (%#)', (h, bytes, message) => {
    const before = tf.memory().numTensors;
    expect(() => decodeSafetensors(header(h, bytes), 'w.safetensors')).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the file when the header is not JSON, without quoting it', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 8n, true);
    bytes.set(Buffer.from('secret!!'), 8);
    expect(() => decodeSafetensors(bytes, 'w.safetensors')).toThrow(/^w.safetensors: the header is not valid JSON( \(at byte \d+\))?$/);
  });
});

describe('translateStream', () => {
  it('answers each batch before the input ends, in input order, as translate would', async () => {
    const { translateStream } = await import('../../src/index.ts');
    const dir = translatorDir();
    const translator = loadTranslator(dir);
    const inputs = ['a b', 'c', '', 'b a c', 'a'];
    const want = translator.translate(inputs, { maxLength: 12 }).map((t) => t.text);
    let read = 0;
    async function* lines() {
      for (const l of inputs) {
        read++;
        yield l;
      }
    }
    const got: string[] = [];
    const readWhenAnswered: number[] = [];
    for await (const { source, translation } of translateStream(translator, lines(), { batchSize: 2, maxLength: 12 })) {
      expect(source).toBe(inputs[got.length]);
      got.push(translation.text);
      readWhenAnswered.push(read);
    }
    expect(got).toEqual(want);
    expect(readWhenAnswered[0]).toBe(2); // the first answer came after 2 of the 5 lines were read
    translator.dispose();
  });
});

describe('saving a model directory', () => {
  it('removes the temporaries a killed save left there', () => {
    const dir = translatorDir();
    const stale = `.weights.safetensors.${'0f'.repeat(16)}.tmp`;
    writeFileSync(join(dir, stale), 'half a file');
    const source = Vocabulary.build(['a b c'], 'word');
    const target = Vocabulary.build(['x y'], 'word');
    const model = new Seq2Seq({ ...seq2seqDefaults, sourceVocabSize: source.size, targetVocabSize: target.size, hiddenSize: 8, embeddingSize: 4 });
    saveTranslator(dir, model, { source, target });
    model.dispose();
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'source-vocabulary.json', 'target-vocabulary.json', 'weights.safetensors']);
  });
});

/**
 * Recordings longer than 30 s are recognised in segments cut at silences (each with its own
 * features and CMVN), with times on the whole recording's clock; shorter ones in one piece.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createCtcModel, ctcModelDefaults, loadRecognizer, mulberry32, saveCtcModel, silenceSegments, speechFeatureDefaults } from '../../src/index.ts';

function recognizer() {
  const dir = mkdtempSync(join(tmpdir(), 'sori-long-'));
  const model = createCtcModel({ ...ctcModelDefaults, hiddenSize: 8, numLayers: 1, numClasses: 4, seed: 3 });
  saveCtcModel(dir, model, { symbols: ['<blank>', 'a', 'b', '<space>'], blank: 0, features: { ...speechFeatureDefaults } });
  model.rnn.dispose();
  tf.dispose([model.output.weight, model.output.bias].filter(Boolean) as tf.Tensor[]);
  return loadRecognizer(dir);
}

/** 65 s at 16 kHz: 2.5 s noise bursts separated by 0.5 s of silence. */
function longAudio(): Float32Array {
  const random = mulberry32(4);
  const x = new Float32Array(65 * 16000);
  for (let n = 0; n < x.length; n++) if (n % 48000 < 40000) x[n] = 0.3 * (random() - 0.5);
  return x;
}

describe('long recordings', () => {
  it('are recognised segment by segment (each ≤ 30 s, cut in silence), the times shifted to the whole recording', () => {
    const r = recognizer();
    const audio = longAudio();
    const segments = silenceSegments(audio, 16000, { maxSeconds: 30 });
    expect(segments.length).toBeGreaterThan(2);
    for (const [, end] of segments.slice(0, -1)) expect(end % 48000).toBeGreaterThanOrEqual(40000); // a silent stretch
    const before = tf.memory().numTensors;
    const whole = r.recognize(audio);
    expect(tf.memory().numTensors).toBe(before);
    const parts = segments.map(([s, e]) => ({ start: s / 16000, r: r.recognize(audio.subarray(s, e)) }));
    expect(whole.duration).toBeCloseTo(65, 6);
    expect(whole.text).toBe(parts.map((p) => p.r.text.trim()).filter((t) => t !== '').join(' '));
    expect(whole.symbols.map((s) => s.start)).toEqual(parts.flatMap((p) => p.r.symbols.map((s) => s.start + p.start)));
    for (const s of whole.symbols) expect(s.end).toBeLessThanOrEqual(65 + 1e-9);
    expect(r.transcribe(audio)).toBe(whole.text);
    r.dispose();
  });

  it('up to 30 s are recognised in one piece', () => {
    const r = recognizer();
    const audio = longAudio().subarray(0, 30 * 16000);
    expect(silenceSegments(audio, 16000, { maxSeconds: 30 })).toEqual([[0, audio.length]]);
    r.dispose();
  });
});

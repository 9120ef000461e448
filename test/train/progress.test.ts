/** Progress lines (elapsed time, ETA) and the labelled epoch summary. */
import { describe, expect, it } from 'vitest';
import { epochSummary, formatDuration, progressLine } from '../../src/train/progress.ts';

describe('progress', () => {
  it('formats durations as M:SS, then H:MM:SS', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75.4)).toBe('1:15');
    expect(formatDuration(3 * 3600 + 62)).toBe('3:01:02');
    expect(formatDuration(NaN)).toBe('--:--');
  });

  it('shows elapsed time and an ETA at the mean pace so far (none once done)', () => {
    // 30 of 120 steps in 12 s: 90 more at 0.4 s each is 36 s
    const line = progressLine('epoch 2/24', { done: 30, total: 120, fields: { loss: 1.5 }, units: 480, unit: 'utt', elapsed: 12 });
    expect(line).toBe('epoch 2/24: 30/120  loss 1.5000  40.0 utt/s  elapsed 0:12  ETA 0:36');
    const end = progressLine('epoch 2/24', { done: 120, total: 120, fields: {}, units: 120, unit: 'batch', elapsed: 48 });
    expect(end).toBe('epoch 2/24: 120/120  2.5 batch/s  elapsed 0:48');
  });

  it('labels the epoch summary: dev CER as a percentage, hidden fields left out, others by name', () => {
    const line = epochSummary(
      { epoch: 3, epochs: 24, loss: 0.43214, fields: { score: 0.0038, devBleu: 12.3456, raw: 0.5 }, best: true, seconds: 12 },
      { score: { label: 'dev CER', percent: true }, devBleu: { label: 'dev BLEU' }, raw: { hide: true } },
    );
    expect(line).toBe('epoch 3/24: train loss 0.4321  dev CER 0.38 %  dev BLEU 12.3456  (best)  elapsed 0:12');
    expect(epochSummary({ epoch: 1, epochs: 2, loss: 1, fields: { score: 0.25 }, best: false, seconds: 1 })).toBe(
      'epoch 1/2: train loss 1.0000  score 0.2500  elapsed 0:01',
    );
  });
});

// `sori mfcc`: the handler prints frame count, dims and per-coefficient statistics, and --json
// writes the frames (the same numbers mfcc() gives).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mfccCommand } from '../../src/cli/mfcc.ts';
import { loadAudio } from '../../src/audio/load-audio.ts';
import { mfcc } from '../../src/audio/mfcc.ts';
import { fixture } from './helpers.ts';

async function run(args: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await (mfccCommand.handler as (a: unknown) => Promise<void>)({ cmvn: false, deltas: false, 'sample-rate': 16000, ...args });
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('sori mfcc', () => {
  it('prints frames, dims and 13 rows of mean and std', async () => {
    const lines = await run({ file: fixture('annyeong_16k.wav') });
    expect(lines).toContain('frames\t128');
    expect(lines).toContain('dims\t13');
    const stats = lines.slice(lines.indexOf('coef\tmean\tstd') + 1);
    expect(stats).toHaveLength(13);
    const ours = mfcc((await loadAudio(fixture('annyeong_16k.wav'))).samples);
    let c1 = 0;
    for (let t = 0; t < ours.numFrames; t++) c1 += ours.data[t * 13 + 1];
    expect(stats[1].split('\t')[1]).toBe((c1 / ours.numFrames).toFixed(4));
  });

  it('--json writes the frames atomically (no temp file left); --deltas --cmvn give 39 dims', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sori-mfcc-'));
    const out = join(dir, 'frames.json');
    const lines = await run({ file: fixture('annyeong_22k.wav'), json: out, deltas: true, cmvn: true });
    expect(lines).toContain('dims\t39');
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect([written.numFrames, written.dim, written.frames.length, written.frames[0].length]).toEqual([128, 39, 128, 39]);
    expect(readdirSync(dir)).toEqual(['frames.json']);
  });

  it('fails naming the file when it cannot be read', async () => {
    await expect(run({ file: fixture('clip_ulaw.wav') })).rejects.toThrow(/clip_ulaw\.wav: cannot read μ-law/);
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStages } from '../../src/index.ts';

function recorder() {
  const ran: number[] = [];
  const lines: string[] = [];
  const stages = [1, 2, 3].map((n) => ({ n, name: `s${n}`, done: () => n === 2, run: () => void ran.push(n) }));
  return { ran, lines, stages, log: (l: string) => lines.push(l) };
}

describe('runStages', () => {
  it('runs only the stages in [stage, stopStage] and logs each as "Stage N: name"', async () => {
    const r = recorder();
    await runStages(r.stages, { stage: 3, stopStage: 3 }, r.log);
    expect(r.ran).toEqual([3]);
    expect(r.lines[0]).toBe('Stage 3: s3');
  });

  it('skips a stage whose work is already done', async () => {
    const r = recorder();
    await runStages(r.stages, { stage: 1, stopStage: 3 }, r.log);
    expect(r.ran).toEqual([1, 3]);
    expect(r.lines).toContain('Stage 2: s2 (already done, skipped)');
  });

  it('rejects an empty or inverted range', async () => {
    const r = recorder();
    await expect(runStages(r.stages, { stage: 3, stopStage: 1 }, r.log)).rejects.toThrow(/after --stop-stage/);
    await expect(runStages(r.stages, { stage: 7, stopStage: 9 }, r.log)).rejects.toThrow(/no stage in \[7, 9\]/);
  });
});

describe('runStages with markers (exp/stages/N.json)', () => {
  const fresh = () => mkdtempSync(join(tmpdir(), 'sori-stages-'));
  /** Two skippable stages (config a, b) and one that always runs; `ran` records what ran. */
  function recipe(expDir: string, config: { a: number; b: unknown }, input?: string) {
    const ran: number[] = [];
    const lines: string[] = [];
    const stages = [
      { n: 1, name: 'one', config: config.a, inputs: () => (input ? [input] : []), run: () => void ran.push(1) },
      { n: 2, name: 'two', config: config.b, run: () => void ran.push(2) },
      { n: 3, name: 'score', run: () => void ran.push(3) },
    ];
    const go = (range: { stage?: number; stopStage?: number; force?: boolean } = {}) =>
      runStages(stages, { stage: 1, stopStage: 9, expDir, ...range }, (l) => void lines.push(l));
    return { ran, lines, go };
  }

  it('skips a requested stage only when its config is the one its marker records', async () => {
    const exp = fresh();
    await recipe(exp, { a: 1, b: 1 }).go();
    const same = recipe(exp, { a: 1, b: 1 });
    await same.go();
    expect(same.ran).toEqual([3]);
    expect(same.lines).toContain('Stage 2: two (already done, skipped)');
    const changed = recipe(exp, { a: 1, b: 2 });
    await changed.go({ stage: 2 });
    expect(changed.ran).toEqual([2, 3]);
    expect(changed.lines).toContain('Stage 2: two (config or inputs changed since it last ran)');
  });

  it("records in each stage's marker the config it ran with, which a --stop-stage run with other settings leaves alone", async () => {
    const exp = fresh();
    await recipe(exp, { a: 1, b: { hiddenSize: 64 } }).go();
    await recipe(exp, { a: 1, b: { hiddenSize: 999 } }).go({ stopStage: 1 });
    const marker = JSON.parse(readFileSync(join(exp, 'stages', '2.json'), 'utf8'));
    expect(marker.config).toEqual({ hiddenSize: 64 });
  });

  it('re-runs the later stages when an earlier one ran again with other settings', async () => {
    const exp = fresh();
    await recipe(exp, { a: 1, b: 1 }).go();
    await recipe(exp, { a: 2, b: 1 }).go({ stopStage: 1 });
    const after = recipe(exp, { a: 2, b: 1 });
    await after.go({ stage: 2 });
    expect(after.ran).toEqual([2, 3]);
  });

  it('re-runs a stage when the contents of one of its input files change', async () => {
    const exp = fresh();
    const input = join(exp, 'wav.scp');
    writeFileSync(input, 'u1 a.wav\n');
    await recipe(exp, { a: 1, b: 1 }, input).go();
    writeFileSync(input, 'u1 b.wav\n');
    const r = recipe(exp, { a: 1, b: 1 }, input);
    await r.go({ stopStage: 1 });
    expect(r.ran).toEqual([1]);
  });

  it('--force re-runs the stages in range although their markers match', async () => {
    const exp = fresh();
    await recipe(exp, { a: 1, b: 1 }).go();
    const r = recipe(exp, { a: 1, b: 1 });
    await r.go({ stage: 2, stopStage: 2, force: true });
    expect(r.ran).toEqual([2]);
    expect(r.lines[0]).toBe('Stage 2: two (--force)');
  });

  it('counts a stage that failed half-way as not done: its marker is written only after it finishes', async () => {
    const exp = fresh();
    await recipe(exp, { a: 1, b: 1 }).go();
    const failing = [{ n: 1, name: 'one', config: 5, run: () => Promise.reject(new Error('killed')) }];
    await expect(runStages(failing, { stage: 1, stopStage: 1, expDir: exp }, () => {})).rejects.toThrow('killed');
    expect(existsSync(join(exp, 'stages', '1.json'))).toBe(false);
    const again = recipe(exp, { a: 5, b: 1 });
    await again.go({ stopStage: 1 });
    expect(again.ran).toEqual([1]);
  });

  it('with help, prints the stages and the help text and runs nothing', async () => {
    const r = recorder();
    await runStages(r.stages, { stage: 1, stopStage: 3, help: 'Usage: sori recipe toy\n\nConfig:\n  a.b  number  1' }, r.log);
    expect(r.ran).toEqual([]);
    expect(r.lines[0]).toMatch(/^Usage: sori recipe toy\n\nStages:\n {3}1 {2}s1/);
    expect(r.lines[0]).toContain('a.b  number  1');
  });
});

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

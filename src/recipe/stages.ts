/**
 * Numbered recipe stages in the manner of Kaldi, ESPnet and icefall: `--stage` and
 * `--stop-stage` pick a range; each stage logs "Stage N: name" and skips work already done.
 */

export interface Stage {
  /** The stage number (stages run in increasing order). */
  n: number;
  name: string;
  /** True when the stage's outputs already exist; it is then skipped. */
  done?: () => boolean;
  run: () => Promise<void> | void;
}

export interface StageRange {
  stage: number;
  stopStage: number;
}

/** Run the stages whose number lies in [stage, stopStage], logging each. */
export async function runStages(stages: Stage[], { stage, stopStage }: StageRange, log = console.log): Promise<void> {
  if (stage > stopStage) throw new Error(`--stage ${stage} is after --stop-stage ${stopStage}`);
  const numbers = stages.map((s) => s.n);
  if (!stages.some((s) => s.n >= stage && s.n <= stopStage)) {
    throw new Error(`no stage in [${stage}, ${stopStage}] (stages: ${numbers.join(', ')})`);
  }
  for (const s of [...stages].sort((a, b) => a.n - b.n)) {
    if (s.n < stage || s.n > stopStage) continue;
    if (s.done?.()) {
      log(`Stage ${s.n}: ${s.name} (already done, skipped)`);
      continue;
    }
    log(`Stage ${s.n}: ${s.name}`);
    const t0 = performance.now();
    await s.run();
    log(`Stage ${s.n}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/**
 * Numbered recipe stages in the manner of Kaldi, ESPnet and icefall: `--stage` and
 * `--stop-stage` pick a range; each stage logs "Stage N: name".
 *
 * A stage that declares `config` (the config sections it reads) is skipped only when it is
 * known to be done with the same inputs: after it finishes, its marker
 * EXP/stages/N.json is written (last, atomically) with
 *
 *   hash = sha256(stage number, config, sha256 of each file of `inputs()`,
 *                 the hashes recorded in the markers of the stages before it)
 *
 * A stage in range runs unless its marker holds the hash computed now (and `done()`, if given,
 * agrees); `--force` runs it anyway. Its marker is removed before it runs and EXP/stages/N.started.json
 * (the same hash) written, so a stage killed half-way counts as not done, and the next start
 * knows what its leftovers were made with: when that was another `resumeWith` hash (the same
 * hash with `resumeWith` in place of `config`: a changed model, data or input), the stage's
 * `clean()` removes them first, so a `--resume` never continues a training
 * of other settings or data as if it were this one. Because each hash includes the earlier
 * stages' recorded hashes, re-running a stage with other settings makes the stages after it run
 * again.
 *
 * The records stay true: before anything runs, every stage before `--stage` whose marker or
 * start record exists must have finished with the hash computed now; otherwise the run is
 * refused with a message (say, `--stage 4 --model.hiddenSize=999` after training with 64 would
 * describe a model that was never trained). The resolved config (`config` of the options) is
 * written to EXP/config.json only after that check. A stage without
 * `config` runs every time it is in range (scoring, a demo), or, if it has `done()`, whenever
 * `done()` is false (the older rule, kept for recipes that declare no config yet).
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../io/atomic.ts';
import { readJsonFile, readRegularFile } from '../io/read-file.ts';

export interface Stage {
  /** The stage number (stages run in increasing order). */
  n: number;
  name: string;
  /**
   * What the stage's work depends on besides earlier stages' outputs, typically the config
   * sections it reads. Declaring it makes the stage skippable (see the file comment).
   */
  config?: unknown;
  /** Files outside the experiment that the stage reads (e.g. a corpus's wav.scp and text); their contents are hashed. */
  inputs?: () => string[];
  /** Optional extra check that the outputs are in place; false makes a stage with a matching marker run. */
  done?: () => boolean;
  run: () => Promise<void> | void;
  /**
   * Remove what an earlier run of this stage left with another hash (other config or inputs),
   * finished or killed, before it runs again: e.g. a training directory that `--resume` would
   * otherwise continue.
   */
  clean?: () => void;
  /**
   * The part of `config` that leftovers must share to be reused (default: all of it); e.g. the
   * train section without `epochs`, so that `--train.epochs=20 --resume` continues a training
   * of 10 epochs, while another hidden size or other data starts over.
   */
  resumeWith?: unknown;
}

export interface StageOptions {
  stage: number;
  stopStage: number;
  /** Where the markers go (EXP/stages/N.json). Without it, a stage counts as done when `done()` says so. */
  expDir?: string;
  /** Run the stages in range even when their markers match. */
  force?: boolean;
  /** Print this help text (RecipeArgs.help) with the list of stages, and run nothing. */
  help?: string;
  /** The resolved config, written to EXP/config.json once the stages before the range agree with it (see the file comment). */
  config?: unknown;
}

/** The range alone (older name). */
export type StageRange = Pick<StageOptions, 'stage' | 'stopStage'>;

/** What a stage's marker records. */
export interface StageMarker {
  stage: number;
  name: string;
  hash: string;
  /** The hash with `resumeWith` in place of `config` (absent in markers of older runs). */
  reuse?: string;
  finished: string;
  /**
   * The config sections the stage ran with: what its outputs really are, even when a later
   * `--stop-stage` run has rewritten config.json with settings no stage has run yet.
   */
  config?: unknown;
}

/** Where stage `n`'s marker lives under `expDir`. */
export function stageMarkerPath(expDir: string, n: number): string {
  return join(expDir, 'stages', `${n}.json`);
}

/** Where the record of stage `n`'s last start lives under `expDir`. */
function startedPath(expDir: string, n: number): string {
  return join(expDir, 'stages', `${n}.started.json`);
}

/** Stage `n`'s marker, or null when it has none (never finished, or running now). */
export function readStageMarker(expDir: string, n: number): StageMarker | null {
  return readRecord(stageMarkerPath(expDir, n));
}

function readRecord(path: string): StageMarker | null {
  if (!existsSync(path)) return null;
  try {
    return readJsonFile(path) as StageMarker;
  } catch {
    return null; // an unreadable marker counts as none: the stage runs again
  }
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The hash stage `s` would record now (see the file comment). */
function stageHash(s: Stage, earlier: readonly Stage[], expDir: string, config: unknown = s.config): string {
  // a missing input hashes as null: the stage then runs and reports it in its own words
  const inputs = (s.inputs?.() ?? []).map((path) => (existsSync(path) ? sha256(readRegularFile(path, { what: 'stage input' })) : null));
  const previous = earlier.filter((e) => e.config !== undefined).map((e) => readStageMarker(expDir, e.n)?.hash ?? null);
  return sha256(JSON.stringify({ stage: s.n, config: config ?? null, inputs, previous }));
}

/** The stage list and help text that `--help` prints. */
function stageHelp(stages: readonly Stage[], help: string): string {
  const lines = stages.map((s) => `  ${String(s.n).padStart(2)}  ${s.name}${s.config !== undefined ? '' : s.done ? '  (skipped when its outputs exist)' : '  (runs every time)'}`);
  const [usage, ...rest] = help.split('\n');
  return [usage, '', 'Stages:', ...lines, ...rest].join('\n');
}

/**
 * Refuse a range whose earlier stages finished with other settings or inputs than those now, or
 * started and never finished (see the file comment).
 */
function checkEarlierStages(sorted: readonly Stage[], stage: number, expDir: string): void {
  for (const [i, s] of sorted.entries()) {
    if (s.n >= stage || s.config === undefined) continue;
    const marker = readStageMarker(expDir, s.n);
    const started = readRecord(startedPath(expDir, s.n));
    const redo = `run from --stage ${s.n} to redo it with these settings, or drop the overrides that changed`;
    if (marker === null && started !== null) throw new Error(`Stage ${s.n} (${s.name}) started but never finished (killed?): ${redo.replace(' with these settings', '')}`);
    if (marker !== null && marker.hash !== stageHash(s, sorted.slice(0, i), expDir)) {
      throw new Error(`Stage ${s.n} (${s.name}) last finished with other settings or inputs than those given now: ${redo}`);
    }
  }
}

/** Run the stages whose number lies in [stage, stopStage], logging each. */
export async function runStages(stages: Stage[], options: StageOptions, log = console.log): Promise<void> {
  const { stage, stopStage, expDir, force = false } = options;
  const sorted = [...stages].sort((a, b) => a.n - b.n);
  if (options.help !== undefined) {
    log(stageHelp(sorted, options.help));
    return;
  }
  if (stage > stopStage) throw new Error(`--stage ${stage} is after --stop-stage ${stopStage}`);
  const numbers = sorted.map((s) => s.n);
  if (!sorted.some((s) => s.n >= stage && s.n <= stopStage)) {
    throw new Error(`no stage in [${stage}, ${stopStage}] (stages: ${numbers.join(', ')})`);
  }
  if (expDir !== undefined) {
    checkEarlierStages(sorted, stage, expDir);
    if (options.config !== undefined) writeJsonAtomic(join(expDir, 'config.json'), options.config);
  }
  for (const [i, s] of sorted.entries()) {
    if (s.n < stage || s.n > stopStage) continue;
    const hash = expDir !== undefined && s.config !== undefined ? stageHash(s, sorted.slice(0, i), expDir) : null;
    const reuse = hash !== null && expDir !== undefined && s.resumeWith !== undefined ? stageHash(s, sorted.slice(0, i), expDir, s.resumeWith) : hash;
    let why = '';
    if (hash !== null && expDir !== undefined) {
      const marker = readStageMarker(expDir, s.n);
      const done = marker?.hash === hash && (s.done?.() ?? true);
      if (done && !force) {
        log(`Stage ${s.n}: ${s.name} (already done, skipped)`);
        continue;
      }
      if (done) why = ' (--force)';
      else if (marker) why = ' (config or inputs changed since it last ran)';
      const last = readRecord(startedPath(expDir, s.n)) ?? marker;
      rmSync(stageMarkerPath(expDir, s.n), { force: true });
      if (last !== null && (last.reuse ?? last.hash) !== reuse && s.clean) {
        log(`Stage ${s.n}: removing what its run with other settings or inputs left`);
        s.clean();
      }
      writeJsonAtomic(startedPath(expDir, s.n), { stage: s.n, name: s.name, hash, reuse: reuse ?? undefined, finished: '' } satisfies StageMarker);
    } else if (s.done?.() && !force) {
      // no config declared: the older rule, done when its outputs exist (declare `config` to get the hash)
      log(`Stage ${s.n}: ${s.name} (already done, skipped)`);
      continue;
    }
    log(`Stage ${s.n}: ${s.name}${why}`);
    const t0 = performance.now();
    await s.run();
    if (hash !== null && expDir !== undefined) {
      writeJsonAtomic(stageMarkerPath(expDir, s.n), { stage: s.n, name: s.name, hash, reuse: reuse ?? undefined, finished: new Date().toISOString(), config: s.config } satisfies StageMarker);
    }
    log(`Stage ${s.n}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (expDir !== undefined) warnStaleLaterStages(sorted, stopStage, expDir, log);
}

/**
 * Say which finished stages after `stopStage` were done with other settings than config.json now
 * holds (e.g. `--stop-stage 1 --model.hiddenSize=999` after training): their outputs are kept,
 * and a later `--stage` past them is refused until they run again.
 */
function warnStaleLaterStages(sorted: readonly Stage[], stopStage: number, expDir: string, log: (line: string) => void): void {
  for (const [i, s] of sorted.entries()) {
    if (s.n <= stopStage || s.config === undefined) continue;
    const marker = readStageMarker(expDir, s.n);
    if (marker !== null && marker.hash !== stageHash(s, sorted.slice(0, i), expDir)) {
      log(`Stage ${s.n} (${s.name}) was done with other settings or inputs than config.json now holds: run from --stage ${s.n} to bring its outputs up to date`);
    }
  }
}

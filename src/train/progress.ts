/**
 * A progress bar for training (cli-progress on a terminal; on a pipe or in CI, where a
 * redrawn bar would flood the log, one line at the end instead).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /**
   * Advance to `done` steps, showing `fields` (e.g. { loss: 1.23 }); speed counts `units`
   * (e.g. utterances) when given, else steps.
   */
  update(done: number, fields: Record<string, number>, units?: number): void;
  stop(): void;
}

/** A bar over `total` items labelled `label`; speed is shown in `unit`s per second. */
export function progressBar(total: number, label: string, unit = 'it'): Progress {
  const t0 = performance.now();
  let last: Record<string, number> = {};
  let done = 0;
  let unitsDone = 0;
  const fmt = (fields: Record<string, number>) =>
    Object.entries(fields)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join('  ');
  const speed = () => (unitsDone / Math.max(1e-9, (performance.now() - t0) / 1000)).toFixed(1);
  if (!process.stderr.isTTY) {
    return {
      update(d, fields, units) {
        done = d;
        unitsDone = units ?? d;
        last = fields;
      },
      stop() {
        console.log(`${label}: ${done}/${total}  ${fmt(last)}  ${speed()} ${unit}/s`);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total}  {fields}  {speed} ${unit}/s`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { fields: '', speed: '0' });
  return {
    update(d, fields, units) {
      done = d;
      unitsDone = units ?? d;
      last = fields;
      bar.update(d, { fields: fmt(fields), speed: speed() });
    },
    stop() {
      bar.stop();
    },
  };
}

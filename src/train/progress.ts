/**
 * Training progress: a bar with elapsed time and ETA (cli-progress on a terminal; on a pipe or
 * in CI, where a redrawn bar would flood the log, a plain line every `every` seconds and one at
 * the end), and the epoch summary line with labelled numbers (`dev CER 0.38 %`).
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

/** `seconds` as M:SS, or H:MM:SS from an hour on. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}` : `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/**
 * The plain progress line: `label: done/total  fields  speed unit/s  elapsed M:SS  ETA M:SS`
 * (the ETA assumes the remaining steps go at the mean pace so far; left out at the end).
 */
export function progressLine(
  label: string,
  { done, total, fields, units, unit, elapsed }: { done: number; total: number; fields: Record<string, number>; units: number; unit: string; elapsed: number },
): string {
  const shown = Object.entries(fields).map(([k, v]) => `${k} ${v.toFixed(4)}`);
  const speed = `${(units / Math.max(1e-9, elapsed)).toFixed(1)} ${unit}/s`;
  const eta = done < total ? `  ETA ${formatDuration(done > 0 ? (elapsed * (total - done)) / done : NaN)}` : '';
  return [`${label}: ${done}/${total}`, ...shown, speed, `elapsed ${formatDuration(elapsed)}${eta}`].join('  ');
}

/**
 * A bar over `total` items labelled `label`; speed is shown in `unit`s per second. Off a
 * terminal, a progress line at most every `every` seconds and one when it stops.
 */
export function progressBar(total: number, label: string, unit = 'it', { every = 30 }: { every?: number } = {}): Progress {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  let last: Record<string, number> = {};
  let done = 0;
  let unitsDone = 0;
  if (!process.stderr.isTTY) {
    let printed = 0;
    const line = () => progressLine(label, { done, total, fields: last, units: unitsDone, unit, elapsed: elapsed() });
    return {
      update(d, fields, units) {
        done = d;
        unitsDone = units ?? d;
        last = fields;
        if (d < total && elapsed() - printed >= every) {
          printed = elapsed();
          console.log(line());
        }
      },
      stop() {
        console.log(line());
      },
    };
  }
  const fmt = (fields: Record<string, number>) =>
    Object.entries(fields)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join('  ');
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total}  {fields}  {speed} ${unit}/s  elapsed {elapsed}  ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { fields: '', speed: '0', elapsed: '0:00' });
  return {
    update(d, fields, units) {
      done = d;
      unitsDone = units ?? d;
      last = fields;
      const seconds = elapsed();
      bar.update(d, { fields: fmt(fields), speed: (unitsDone / Math.max(1e-9, seconds)).toFixed(1), elapsed: formatDuration(seconds) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** How the epoch summary shows one of validate's fields. */
export interface MetricLabel {
  /** The name printed (e.g. 'dev CER'); default the field's own name. */
  label?: string;
  /** Print 100·value with ' %' (two decimals); default: the value with four decimals. */
  percent?: boolean;
  /** Leave the field out of the line. */
  hide?: boolean;
}

/**
 * The line trainLoop logs after each epoch:
 * `epoch 3/24: train loss 0.4321  dev CER 0.38 %  (best)  elapsed 0:12`.
 * `fields` are validate's; `labels` names them (unlabelled fields print as `name 0.1234`).
 */
export function epochSummary(
  { epoch, epochs, loss, fields, best, seconds }: { epoch: number; epochs: number; loss: number; fields: Record<string, number>; best: boolean; seconds: number },
  labels: Record<string, MetricLabel> = {},
): string {
  const shown = Object.entries(fields)
    .filter(([k]) => !labels[k]?.hide)
    .map(([k, v]) => {
      const l = labels[k] ?? {};
      return `${l.label ?? k} ${l.percent ? `${(100 * v).toFixed(2)} %` : Number(v).toFixed(4)}`;
    });
  return [`epoch ${epoch}/${epochs}: train loss ${loss.toFixed(4)}`, ...shown, ...(best ? ['(best)'] : []), `elapsed ${formatDuration(seconds)}`].join('  ');
}

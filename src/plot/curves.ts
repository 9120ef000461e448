/**
 * Training curves: one panel per quantity (the loss, the recipe's metric), one line per series
 * (train, dev, …) with a point per epoch, and the best epoch marked by a vertical rule in
 * every panel.
 */
import { checkOptionKeys, plotConfig, SERIES_STYLE, type PlotSpec } from './style.ts';

/** One line of a panel: `field` of every history entry, times `scale` (e.g. 100 for %). */
export interface CurveSeries {
  field: string;
  /** The legend entry, e.g. 'train' or 'dev + dev-unseen'. */
  label: string;
  /** Multiply the values by this (default 1; 100 turns a rate into %). */
  scale?: number;
}

/** One panel: a y-axis title with its unit and the series drawn on it. */
export interface CurvePanel {
  /** y-axis title with the unit, e.g. 'CTC loss (nats per utterance)' or 'CER (%)'. */
  title: string;
  series: CurveSeries[];
}

export interface TrainingCurvesInput {
  /**
   * One entry per epoch [E], e.g. trainLoop's `state.history` ({ epoch, loss, score, … });
   * entries without `epoch` are numbered 1, 2, ….
   */
  history: readonly Record<string, number>[];
  /** The panels, top to bottom; default: loss (field `loss`) and validation score (field `score`). */
  panels?: CurvePanel[];
  /** The epoch to mark (e.g. state.bestEpoch); none marked when absent or 0. */
  bestEpoch?: number;
  title?: string;
  subtitle?: string;
  /** Panel width in pixels (default 420). */
  width?: number;
}

const DEFAULT_PANELS: CurvePanel[] = [
  { title: 'training loss', series: [{ field: 'loss', label: 'train' }] },
  { title: 'validation score', series: [{ field: 'score', label: 'dev' }] },
];

/**
 * Training curves of a run.
 *
 * Marks: in panel i, `curve_points_i` holds one point per epoch per series (E × series) and
 * `best_rule_i` one rule at the best epoch. Epochs where a series' field is missing or not
 * finite are left out of that series (and named in no error: a metric may start later).
 */
export function trainingCurvesPlot(input: TrainingCurvesInput): PlotSpec {
  checkOptionKeys(input, ['history', 'panels', 'bestEpoch', 'title', 'subtitle', 'width'], 'trainingCurvesPlot');
  const { history, bestEpoch = 0, width = 420 } = input;
  const panels = input.panels ?? DEFAULT_PANELS;
  if (!Array.isArray(history) || history.length === 0) throw new Error(`history: expected one entry per epoch, got ${JSON.stringify(history)}`);
  const epochs = history.map((h, i) => (typeof h.epoch === 'number' ? h.epoch : i + 1));
  const labels = [...new Set(panels.flatMap((p) => p.series.map((s) => s.label)))];
  const style = (label: string) => labels.indexOf(label) % SERIES_STYLE.colours.length;
  const legendScale = {
    color: { domain: labels, range: labels.map((l) => SERIES_STYLE.colours[style(l)]) },
    dash: { domain: labels, range: labels.map((l) => [...SERIES_STYLE.dashes[style(l)]]) },
    shape: { domain: labels, range: labels.map((l) => SERIES_STYLE.shapes[style(l)]) },
  };
  const rows = (panel: CurvePanel) =>
    panel.series.flatMap((s) => {
      if (!history.some((h) => s.field in h)) {
        throw new Error(`panel '${panel.title}': no history entry has the field '${s.field}' (fields: ${Object.keys(history[0]).join(', ')})`);
      }
      return history
        .map((h, i) => ({ epoch: epochs[i], value: h[s.field] * (s.scale ?? 1), series: s.label }))
        .filter((r) => Number.isFinite(r.value));
    });
  const x = {
    field: 'epoch',
    type: 'quantitative' as const,
    title: 'epoch',
    scale: { domain: [Math.min(...epochs), Math.max(...epochs)], nice: false },
    axis: { tickMinStep: 1, format: 'd' },
  };
  const series = { field: 'series', type: 'nominal' as const, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title ?? 'Training curves', subtitle: input.subtitle ?? (bestEpoch ? `best epoch ${bestEpoch} marked` : undefined) },
    config: plotConfig(),
    vconcat: panels.map((panel, i) => ({
      width,
      height: 160,
      data: { values: rows(panel) },
      layer: [
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: panel.title, scale: { zero: false } },
            color: { ...series, scale: legendScale.color },
            strokeDash: { ...series, scale: legendScale.dash },
          },
        },
        {
          name: `curve_points_${i}`,
          mark: { type: 'point', filled: true, size: 36 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative' },
            color: { ...series, scale: legendScale.color },
            shape: { ...series, scale: legendScale.shape },
            tooltip: [
              { field: 'series', type: 'nominal' },
              { field: 'epoch', type: 'quantitative' },
              { field: 'value', type: 'quantitative', format: '.4g' },
            ],
          },
        },
        ...(bestEpoch
          ? [
              {
                name: `best_rule_${i}`,
                data: { values: [{ epoch: bestEpoch, label: `best epoch ${bestEpoch}` }] },
                mark: { type: 'rule' as const, color: '#444', strokeDash: [3, 3] },
                encoding: { x },
              },
              {
                data: { values: [{ epoch: bestEpoch, label: `best ${bestEpoch}` }] },
                mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, y: 4, fontSize: 11, color: '#444' },
                encoding: { x, text: { field: 'label' } },
              },
            ]
          : []),
      ],
    })),
    resolve: { scale: { color: 'shared', strokeDash: 'shared', shape: 'shared' } },
  } as PlotSpec;
}

/** What the recipes write to exp/NAME/train-history.json (trainLoop's state and extras). */
export interface TrainHistoryFile {
  history: Record<string, number>[];
  bestEpoch?: number;
}

/** `json` checked as a TrainHistoryFile: `history` a list of objects, `bestEpoch` (if any) a positive integer. */
export function historyFile(json: unknown): TrainHistoryFile {
  const file = json as Partial<TrainHistoryFile> | null;
  if (!file || !Array.isArray(file.history) || !file.history.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e))) {
    throw new Error('expected { history: [one object per epoch], bestEpoch? }');
  }
  if (file.bestEpoch !== undefined && !(Number.isInteger(file.bestEpoch) && file.bestEpoch >= 1)) throw new Error('bestEpoch must be a positive integer');
  return file as TrainHistoryFile;
}

/**
 * The panels for a train-history.json: the training loss, then, when the entries have them,
 * dev BLEU (`devBleu`) and dev exact match (`devExact`, in %) as the translation recipes log
 * them, else the validation score (`score`) under `scoreTitle`, times `scoreScale`.
 */
export function historyPanels(
  entries: readonly Record<string, number>[],
  { lossTitle = 'training loss (nats)', scoreTitle = 'validation score', scoreScale = 1 }: { lossTitle?: string; scoreTitle?: string; scoreScale?: number } = {},
): CurvePanel[] {
  const has = (f: string) => entries.some((h) => f in h);
  const panels: CurvePanel[] = [{ title: lossTitle, series: [{ field: 'loss', label: 'train' }] }];
  if (has('devBleu')) panels.push({ title: 'BLEU', series: [{ field: 'devBleu', label: 'dev' }] });
  if (has('devExact')) panels.push({ title: 'exact match (%)', series: [{ field: 'devExact', label: 'dev', scale: 100 }] });
  if (!has('devBleu') && !has('devExact') && has('score')) panels.push({ title: scoreTitle, series: [{ field: 'score', label: 'dev', scale: scoreScale }] });
  return panels;
}

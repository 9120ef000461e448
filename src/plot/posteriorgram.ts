/**
 * The CTC posteriorgram of one utterance: per-frame class probabilities y_t(k) as a heat map
 * (frames across, classes down, the blank last), with the forced-alignment path π*_t drawn
 * over it as white dots: where the model's mass sits against where the transcript must go.
 */
import { checkLength, checkOptionKeys, HEAT_SCHEME, matrixShape, plotConfig, type PlotSpec, type Rows } from './style.ts';

export interface PosteriorgramInput {
  /** y_t(k) [T, C]: per-frame class probabilities (softmax of the CTC logits). */
  probs: Rows;
  /** Class names [C] (the model's symbol table). */
  symbols: readonly string[];
  /** Index of ∅ among the classes (drawn as the last row, named ∅). */
  blank: number;
  /** π* [T]: the class of each frame on the forced alignment (ctcForcedAlign(…).path). */
  path?: readonly number[];
  /** Milliseconds per output frame (default 10; 20 with two stacked frames); the x axis is in seconds. */
  frameShiftMs?: number;
  title?: string;
  /** Shown under the title, e.g. the transcript and the recognised text. */
  subtitle?: string;
}

/**
 * The posteriorgram with the alignment.
 *
 * Marks: `posterior_cells` T × C rects, `alignment_path` T points when `path` is given.
 */
export function posteriorgramPlot(input: PosteriorgramInput): PlotSpec {
  checkOptionKeys(input, ['probs', 'symbols', 'blank', 'path', 'frameShiftMs', 'title', 'subtitle'], 'posteriorgramPlot');
  const { probs, symbols, blank, path, frameShiftMs = 10 } = input;
  const { rows: T, cols: C } = matrixShape(probs, 'probs [T, C]');
  checkLength(symbols, C, 'symbols [C]', 'one name per class of probs');
  if (!(blank >= 0 && blank < C)) throw new Error(`blank: ${blank} is not a class index below ${C}`);
  if (path) {
    checkLength(path, T, 'path [T]', 'one class per frame');
    const bad = path.findIndex((k) => !(k >= 0 && k < C));
    if (bad >= 0) throw new Error(`path[${bad}] = ${path[bad]} is not a class index below ${C}`);
  }
  const name = (k: number) => (k === blank ? '∅' : symbols[k]);
  const order = [...Array.from({ length: C }, (_, k) => k).filter((k) => k !== blank), blank];
  const keys = order.map((k) => `${k}:${name(k)}`);
  const key = (k: number) => `${k}:${name(k)}`;
  const dt = frameShiftMs / 1000;
  const cells: { t0: number; t1: number; k: string; p: number }[] = [];
  for (let t = 0; t < T; t++) for (let k = 0; k < C; k++) cells.push({ t0: t * dt, t1: (t + 1) * dt, k: key(k), p: probs[t][k] });
  const x = { field: 't0', type: 'quantitative' as const, title: 'time (s)', scale: { domain: [0, T * dt], nice: false }, axis: { grid: false } };
  const y = {
    field: 'k',
    type: 'ordinal' as const,
    title: 'class k',
    scale: { domain: keys },
    axis: { labelExpr: "slice(datum.value, indexof(datum.value, ':') + 1)", labelFontSize: 13 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title ?? 'CTC posteriorgram with the forced alignment', subtitle: input.subtitle },
    config: plotConfig(),
    width: Math.max(320, Math.min(900, 6 * T)),
    height: Math.max(120, 22 * C),
    layer: [
      {
        name: 'posterior_cells',
        data: { values: cells },
        mark: { type: 'rect' },
        encoding: {
          x,
          x2: { field: 't1' },
          y,
          color: { field: 'p', type: 'quantitative', title: 'y_t(k)', scale: { scheme: HEAT_SCHEME, domain: [0, 1] } },
          tooltip: [
            { field: 't0', type: 'quantitative', title: 'time (s)', format: '.2f' },
            { field: 'k', type: 'nominal', title: 'class' },
            { field: 'p', type: 'quantitative', title: 'probability', format: '.3f' },
          ],
        },
      },
      ...(path
        ? [
            {
              name: 'alignment_path',
              data: { values: path.map((k, t) => ({ t0: (t + 0.5) * dt, k: key(k) })) },
              mark: { type: 'point', filled: true, color: '#ffffff', stroke: '#000000', strokeWidth: 0.8, size: 22, opacity: 1 },
              encoding: { x, y },
            },
          ]
        : []),
    ],
  } as PlotSpec;
}

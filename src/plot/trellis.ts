/**
 * The CTC α-β trellis of one utterance, as the lecture draws it: frames t across, the extended
 * label sequence l′ = (∅, l_1, ∅, l_2, …, l_U, ∅) down (S = 2U + 1 rows, s = 0 on top), one
 * cell per (t, s) coloured by log α_t(s) in one panel and log β_t(s) in the other. Blank rows
 * are labelled ∅ on the axis and drawn with a hatch-free lighter outline; cells no path
 * reaches (log 0) are left white; the forced-alignment path can be drawn over both.
 */
import { checkLength, checkOptionKeys, HEAT_SCHEME, matrixShape, plotConfig, type PlotSpec, type Rows } from './style.ts';

export interface TrellisInput {
  /** log α_t(s) [T, S], e.g. ctcAlphaBeta(…).logAlpha.arraySync(). */
  logAlpha: Rows;
  /** log β_t(s) [T, S]. */
  logBeta: Rows;
  /** l′ [S] as class indices (ctcAlphaBeta's extendedLabels). */
  extendedLabels: readonly number[];
  /** Class names [C] (the model's symbol table), used for the row labels. */
  symbols: readonly string[];
  /** Index of ∅ among the classes. */
  blank: number;
  /**
   * The forced alignment's labelIndex [T] (ctcForcedAlign: u for frames emitting l_u, −1 for
   * blanks); drawn as the path through the trellis when given.
   */
  alignment?: readonly number[];
  /**
   * 'frame' (default): each frame's column shifted so its largest value is 0, i.e. log of
   * α_t(s) / max_s α_t(s): the shape of the distribution over s at each t, which otherwise
   * drowns in the steady fall of log α with t. 'none': the raw values.
   */
  normalise?: 'frame' | 'none';
  /** Values below this (after normalising) share the darkest colour (default −30 nats with 'frame', the lowest value with 'none'). */
  floor?: number;
  /** Milliseconds per frame, for the axis title (e.g. 20 with two stacked 10 ms frames). */
  frameShiftMs?: number;
  title?: string;
  /** Shown under the title, e.g. the transcript. */
  subtitle?: string;
}

/** log 0 as the CTC code stores it is a very large negative number; anything below is unreachable. */
const UNREACHABLE = -1e29;

/** The state s of each frame from the forced alignment's labelIndex [T]. */
export function alignmentStates(labelIndex: readonly number[]): number[] {
  let emitted = 0; // labels emitted so far
  return labelIndex.map((u) => {
    if (u >= 0) {
      emitted = u + 1;
      return 2 * u + 1;
    }
    return 2 * emitted;
  });
}

/**
 * The α-β trellis of one utterance: two panels (log α above, log β below).
 *
 * Marks: `alpha_cells` and `beta_cells` hold T × S rects each (S = 2U + 1), `alpha_path` and
 * `beta_path` T points when `alignment` is given.
 */
export function trellisPlot(input: TrellisInput): PlotSpec {
  checkOptionKeys(
    input,
    ['logAlpha', 'logBeta', 'extendedLabels', 'symbols', 'blank', 'alignment', 'normalise', 'floor', 'frameShiftMs', 'title', 'subtitle'],
    'trellisPlot',
  );
  const { logAlpha, logBeta, extendedLabels, symbols, blank, normalise = 'frame' } = input;
  const { rows: T, cols: S } = matrixShape(logAlpha, 'logAlpha [T, S]');
  const b = matrixShape(logBeta, 'logBeta [T, S]');
  if (b.rows !== T || b.cols !== S) throw new Error(`logBeta [T, S]: is [${b.rows}, ${b.cols}], logAlpha is [${T}, ${S}]`);
  checkLength(extendedLabels, S, 'extendedLabels [S]', 'one per trellis row');
  if (S % 2 !== 1) throw new Error(`extendedLabels [S]: S = ${S} is not 2U + 1`);
  for (let s = 0; s < S; s++) {
    const k = extendedLabels[s];
    if (!(k >= 0 && k < symbols.length)) throw new Error(`extendedLabels[${s}] = ${k} is not a class index below ${symbols.length}`);
    if ((s % 2 === 0) !== (k === blank)) throw new Error(`extendedLabels[${s}] = ${k}: even rows must be the blank (${blank}) and odd rows labels`);
  }
  const rowKey = (s: number) => `${s}:${extendedLabels[s] === blank ? '∅' : symbols[extendedLabels[s]]}`;
  const keys = Array.from({ length: S }, (_, s) => rowKey(s));
  const states = input.alignment ? alignmentStates(input.alignment) : undefined;
  if (input.alignment) {
    checkLength(input.alignment, T, 'alignment [T]', 'one per frame');
    if (states!.some((s) => s >= S)) throw new Error(`alignment [T]: a label index is ${Math.max(...input.alignment)}, but U = ${(S - 1) / 2}`);
  }

  let lowest = 0;
  for (const m of [logAlpha, logBeta]) for (const row of m) for (let s = 0; s < S; s++) if (row[s] > UNREACHABLE && row[s] < lowest) lowest = row[s];
  const floor = input.floor ?? (normalise === 'frame' ? -30 : lowest);
  const cells = (m: Rows) => {
    const out: { t: number; s: string; v: number; reachable: boolean; raw: number | null; blank: boolean }[] = [];
    for (let t = 0; t < T; t++) {
      let top = -Infinity;
      for (let s = 0; s < S; s++) if (m[t][s] > UNREACHABLE && m[t][s] > top) top = m[t][s];
      for (let s = 0; s < S; s++) {
        const reachable = m[t][s] > UNREACHABLE && Number.isFinite(m[t][s]);
        // unreachable cells keep a number (Vega-Lite drops rows with null in an encoded field) and are painted white
        const v = reachable ? Math.max(normalise === 'frame' ? m[t][s] - top : m[t][s], floor) : floor;
        out.push({ t, s: keys[s], v, reachable, raw: reachable ? m[t][s] : null, blank: s % 2 === 0 });
      }
    }
    return out;
  };
  const shift = input.frameShiftMs ? ` (${input.frameShiftMs} ms per frame)` : '';
  const x = { field: 't', type: 'quantitative' as const, title: `frame t${shift}`, scale: { domain: [0, T], nice: false } };
  const y = {
    field: 's',
    type: 'ordinal' as const,
    title: 'extended label s (l′_s)',
    scale: { domain: keys },
    axis: { labelExpr: "slice(datum.value, indexof(datum.value, ':') + 1) + '  ' + slice(datum.value, 0, indexof(datum.value, ':'))" },
  };
  const panel = (name: 'alpha' | 'beta', m: Rows, what: string) => ({
    width: Math.max(300, Math.min(900, 8 * T)),
    height: Math.max(120, 18 * S),
    title: { text: what, fontSize: 13 },
    layer: [
      {
        name: `${name}_cells`,
        data: { values: cells(m) },
        transform: [{ calculate: 'datum.t + 1', as: 't1' }],
        mark: { type: 'rect' as const, strokeWidth: 0.5 },
        encoding: {
          x,
          x2: { field: 't1' },
          y,
          color: {
            condition: { test: '!datum.reachable', value: '#ffffff' },
            field: 'v',
            type: 'quantitative' as const,
            title: normalise === 'frame' ? ['nats below', "the frame's max"] : 'nats',
            scale: { scheme: HEAT_SCHEME, domain: normalise === 'frame' ? [floor, 0] : undefined, clamp: true },
          },
          // blank rows get a light outline, label rows none: ∅ rows read as stripes in greyscale too
          stroke: { condition: { test: 'datum.blank', value: '#bbbbbb' }, value: null },
          tooltip: [
            { field: 't', type: 'quantitative' as const, title: 't' },
            { field: 's', type: 'nominal' as const, title: 's:l′_s' },
            { field: 'raw', type: 'quantitative' as const, title: `log ${name === 'alpha' ? 'α' : 'β'}`, format: '.3f' },
          ],
        },
      },
      ...(states
        ? [
            {
              name: `${name}_path_line`,
              data: { values: states.map((s, t) => ({ t: t + 0.5, s: keys[s] })) },
              mark: { type: 'line' as const, color: '#ff3b30', strokeWidth: 1.5 },
              encoding: { x: { ...x, field: 't' }, y },
            },
            {
              name: `${name}_path`,
              data: { values: states.map((s, t) => ({ t: t + 0.5, s: keys[s] })) },
              mark: { type: 'point' as const, filled: true, color: '#ffffff', stroke: '#000000', strokeWidth: 0.8, size: 18, opacity: 1 },
              encoding: { x: { ...x, field: 't' }, y },
            },
          ]
        : []),
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: input.title ?? 'CTC trellis: log α_t(s) and log β_t(s)',
      subtitle: input.subtitle ?? `T = ${T} frames, S = 2U + 1 = ${S} extended labels${states ? '; the forced alignment drawn over it' : ''}`,
    },
    config: plotConfig(),
    vconcat: [panel('alpha', logAlpha, 'forward log α_t(s)'), panel('beta', logBeta, 'backward log β_t(s)')],
    resolve: { scale: { color: normalise === 'frame' ? 'shared' : 'independent' } },
  } as PlotSpec;
}

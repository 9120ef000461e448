/**
 * Attention pictures: what each output token looked at.
 *
 * - attentionPlot: translation, source tokens across and target tokens down, one cell per
 *   weight a_{u,t} (each row sums to 1);
 * - imageAttentionPlot: captioning, one small map per generated word over the image's G_h × G_w
 *   grid of encoder cells, optionally over the image itself.
 */
import { checkLength, checkOptionKeys, HEAT_SCHEME, matrixShape, plotConfig, type PlotSpec, type Rows } from './style.ts';

export interface AttentionInput {
  /** Source tokens [T] (columns). */
  sourceTokens: readonly string[];
  /** Target tokens [U] (rows), e.g. the translation with </s>. */
  targetTokens: readonly string[];
  /** a_{u,t} [U, T]: the attention of target step u over source position t (`sori translate --attention`'s `attention`). */
  weights: Rows;
  title?: string;
  subtitle?: string;
  /** Write each weight in its cell (default: when U × T ≤ 400). */
  showValues?: boolean;
}

/**
 * Keys that keep repeated tokens apart on an ordinal axis ("3:the"); the axis shows the token
 * only, a white-space token (character-level text) as ␣.
 */
const keyed = (tokens: readonly string[]) => tokens.map((w, i) => `${i}:${w.trim() === '' ? '␣' : w}`);
const TOKEN_ONLY = "slice(datum.value, indexof(datum.value, ':') + 1)";

/**
 * Source × target attention heat map.
 *
 * Marks: `attention_cells` U × T rects (plus `attention_values`, U × T texts, when values are shown).
 */
export function attentionPlot(input: AttentionInput): PlotSpec {
  checkOptionKeys(input, ['sourceTokens', 'targetTokens', 'weights', 'title', 'subtitle', 'showValues'], 'attentionPlot');
  const { sourceTokens, targetTokens, weights } = input;
  const { rows: U, cols: T } = matrixShape(weights, 'weights [U, T]');
  checkLength(sourceTokens, T, 'sourceTokens [T]', 'one per column of weights');
  checkLength(targetTokens, U, 'targetTokens [U]', 'one per row of weights');
  const showValues = input.showValues ?? U * T <= 400;
  const src = keyed(sourceTokens);
  const tgt = keyed(targetTokens);
  const cells: { src: string; tgt: string; a: number }[] = [];
  for (let u = 0; u < U; u++) {
    for (let t = 0; t < T; t++) {
      const a = weights[u][t];
      if (!Number.isFinite(a)) throw new Error(`weights [U, T]: row ${u}, column ${t} is ${a}`);
      cells.push({ src: src[t], tgt: tgt[u], a });
    }
  }
  const x = { field: 'src', type: 'ordinal' as const, title: 'source token', scale: { domain: src }, axis: { labelExpr: TOKEN_ONLY, labelAngle: Math.max(0, ...sourceTokens.filter((w) => !/^<\w+>$/.test(w)).map((w) => w.length)) <= 2 ? 0 : -45, orient: 'top' as const } };
  const y = { field: 'tgt', type: 'ordinal' as const, title: 'generated token', scale: { domain: tgt }, axis: { labelExpr: TOKEN_ONLY } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title ?? 'Attention', subtitle: input.subtitle },
    config: plotConfig(),
    width: Math.max(120, 30 * T),
    height: Math.max(120, 24 * U),
    data: { values: cells },
    layer: [
      {
        name: 'attention_cells',
        mark: { type: 'rect' },
        encoding: {
          x,
          y,
          color: { field: 'a', type: 'quantitative', title: 'weight', scale: { scheme: HEAT_SCHEME, domain: [0, 1] } },
          tooltip: [
            { field: 'src', type: 'nominal', title: 'source' },
            { field: 'tgt', type: 'nominal', title: 'target' },
            { field: 'a', type: 'quantitative', title: 'weight', format: '.3f' },
          ],
        },
      },
      ...(showValues
        ? [
            {
              name: 'attention_values',
              mark: { type: 'text', fontSize: 9 },
              encoding: {
                x,
                y,
                text: { field: 'a', type: 'quantitative', format: '.2f' },
                // dark text on the light (high) end of viridis, white on the dark end
                color: { condition: { test: 'datum.a > 0.55', value: '#000000' }, value: '#ffffff' },
              },
            },
          ]
        : []),
    ],
  } as PlotSpec;
}

export interface ImageAttentionInput {
  /** The generated words [U], one map each. */
  words: readonly string[];
  /** a_{u,g} [U, G]: each word's attention over the G = gridHeight × gridWidth encoder cells, row-major. */
  weights: Rows;
  gridHeight: number;
  gridWidth: number;
  /**
   * The image under the maps (optional): a URL or data: URL (e.g. data:image/png;base64,…)
   * drawn to fill each panel, the attention over it at 60 % opacity.
   */
  image?: string;
  /** Panels per row (default 4). */
  columns?: number;
  /** Panel size in pixels (default 120). */
  panelSize?: number;
  title?: string;
  subtitle?: string;
}

/**
 * Image-captioning attention: one panel per word, the attention over the image grid.
 *
 * Marks: `grid_cells_u` G rects in word u's panel (U panels).
 */
export function imageAttentionPlot(input: ImageAttentionInput): PlotSpec {
  checkOptionKeys(input, ['words', 'weights', 'gridHeight', 'gridWidth', 'image', 'columns', 'panelSize', 'title', 'subtitle'], 'imageAttentionPlot');
  const { words, weights, gridHeight: GH, gridWidth: GW, image, columns = 4, panelSize = 120 } = input;
  const { rows: U, cols: G } = matrixShape(weights, 'weights [U, G]');
  checkLength(words, U, 'words [U]', 'one per row of weights');
  if (!(Number.isInteger(GH) && Number.isInteger(GW) && GH * GW === G)) {
    throw new Error(`gridHeight × gridWidth: ${GH} × ${GW} is not the G = ${G} columns of weights`);
  }
  const height = Math.round((panelSize * GH) / GW);
  const max = Math.max(...weights.flatMap((r) => Array.from(r)));
  const x = { field: 'c', type: 'quantitative' as const, scale: { domain: [0, GW], nice: false }, axis: null };
  const y = { field: 'r', type: 'quantitative' as const, scale: { domain: [GH, 0], nice: false }, axis: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title ?? 'Attention over the image', subtitle: input.subtitle ?? `${GH} × ${GW} grid; light = more attention` },
    config: plotConfig(),
    columns,
    concat: words.map((word, u) => ({
      title: { text: word, fontSize: 14 },
      width: panelSize,
      height,
      layer: [
        ...(image
          ? [
              {
                data: { values: [{ c: 0, r: 0, c1: GW, r1: GH, url: image }] },
                mark: { type: 'image' as const, aspect: false },
                encoding: { x: { ...x, field: 'c' }, y: { ...y, field: 'r' }, x2: { field: 'c1' }, y2: { field: 'r1' }, url: { field: 'url', type: 'nominal' as const } },
              },
            ]
          : []),
        {
          name: `grid_cells_${u}`,
          data: {
            values: Array.from({ length: G }, (_, g) => ({ c: g % GW, r: Math.floor(g / GW), a: weights[u][g] })),
          },
          transform: [
            { calculate: 'datum.c + 1', as: 'c1' },
            { calculate: 'datum.r + 1', as: 'r1' },
          ],
          mark: { type: 'rect' as const, opacity: image ? 0.6 : 1 },
          encoding: {
            x,
            x2: { field: 'c1' },
            y,
            y2: { field: 'r1' },
            color: { field: 'a', type: 'quantitative' as const, title: 'weight', scale: { scheme: HEAT_SCHEME, domain: [0, max > 0 ? max : 1] } },
          },
        },
      ],
    })),
    resolve: { scale: { color: 'shared' } },
  } as PlotSpec;
}

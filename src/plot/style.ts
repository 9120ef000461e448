/**
 * What every sori picture shares: the Vega-Lite spec type, fonts, sizes and colour scales.
 *
 * The spec builders in src/plot/ import nothing from Node and no tensors: they take plain
 * arrays and return a Vega-Lite spec (a JSON object), so the same function runs in a browser
 * (vega-embed) and in Node (render.ts turns the spec into SVG and PNG).
 *
 * Colour scales are chosen to read in greyscale too: heat maps use viridis (its luminance
 * rises monotonically from dark to light), and line series differ by dash pattern and point
 * shape as well as by colour.
 */
import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite spec as the builders return it (plain JSON, renderable anywhere). */
export type PlotSpec = TopLevelSpec;

/** Rows of a matrix: rows[i][j]. Float32Array and Float64Array rows are accepted as they are. */
export type Rows = readonly ArrayLike<number>[];

/**
 * Font families named in every spec. A browser takes the first it has; the PNG renderer
 * (render.ts) is given Noto Sans CJK's file when fonts-noto-cjk is installed, so Hangul
 * renders there, and falls back to the system's DejaVu Sans (Latin only) otherwise.
 */
export const FONT_FAMILY = "'Noto Sans CJK KR', 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', 'DejaVu Sans', sans-serif";

/** The sequential colour scheme of every heat map (light = high); greyscale-monotone. */
export const HEAT_SCHEME = 'viridis';

/** Colour, dash and shape of line series, in order; series stay distinct in greyscale. */
export const SERIES_STYLE = {
  colours: ['#1f4e79', '#d95f02', '#1b9e77', '#7570b3'],
  dashes: [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]],
  shapes: ['circle', 'square', 'triangle-up', 'diamond'],
} as const;

/** The Vega-Lite config block of every picture. */
export function plotConfig(): NonNullable<TopLevelSpec['config']> {
  return {
    font: FONT_FAMILY,
    background: 'white',
    padding: 8,
    title: { fontSize: 15, subtitleFontSize: 13, anchor: 'start', offset: 10 },
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
    legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
    view: { stroke: '#888' },
  };
}

/**
 * The shape of a matrix, checked: every row has the same length.
 * @param rows [R][C]
 * @param name the argument named in errors, e.g. 'logAlpha [T, S]'.
 */
export function matrixShape(rows: Rows, name: string): { rows: number; cols: number } {
  if (!Array.isArray(rows) && !(rows && typeof rows.length === 'number')) throw new Error(`${name}: expected an array of rows, got ${typeof rows}`);
  if (rows.length === 0) throw new Error(`${name}: has no rows`);
  const cols = rows[0].length;
  for (let i = 0; i < rows.length; i++) {
    if (!rows[i] || rows[i].length !== cols) {
      throw new Error(`${name}: row ${i} has ${rows[i]?.length} columns, row 0 has ${cols}`);
    }
  }
  if (cols === 0) throw new Error(`${name}: rows are empty`);
  return { rows: rows.length, cols };
}

/** Throw unless `xs` has `n` entries. */
export function checkLength(xs: ArrayLike<unknown>, n: number, name: string, what: string): void {
  if (!xs || xs.length !== n) throw new Error(`${name}: expected ${n} entries (${what}), got ${xs?.length}`);
}

/** Throw when `options` has keys the builder does not know (a misspelt option is an error). */
export function checkOptionKeys(options: object, known: readonly string[], name: string): void {
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new Error(`${name}: unknown option '${k}' (known: ${known.join(', ')})`);
  }
}

/** A finite number for JSON (Vega drops rows with non-finite values silently; we say so). */
export function finiteOr(v: number, fallback: number | null): number | null {
  return Number.isFinite(v) ? v : fallback;
}

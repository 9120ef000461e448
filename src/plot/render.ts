/**
 * Rendering specs to files, in Node: Vega-Lite → Vega (vega-lite's compile) → SVG (a headless
 * vega View with renderer 'none') → PNG (resvg, a Rust SVG renderer shipped as a prebuilt
 * binary in @resvg/resvg-js). Browsers render the same specs with vega-embed instead.
 *
 * Fonts in PNGs: resvg draws text with the font files it is given plus, with
 * loadSystemFonts, every font under the system font folders (/usr/share/fonts, ~/.fonts …).
 * We also name Noto Sans CJK's file explicitly when one of CJK_FONT_PATHS exists (Debian's
 * fonts-noto-cjk puts it in /usr/share/fonts/opentype/noto/) and make it the default family,
 * so Hangul renders. Without that package Latin text still renders (DejaVu Sans) and Hangul
 * glyphs fall back to whatever system font has them, or are left out.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { PlotSpec } from './style.ts';

/** Where Noto Sans CJK is looked for (Debian fonts-noto-cjk, then other common places). */
export const CJK_FONT_PATHS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
];

/** The CJK font files found here (empty when none is installed). */
export function cjkFontFiles(): string[] {
  return CJK_FONT_PATHS.filter((p) => existsSync(p));
}

/**
 * Text widths for Vega's layout in Node. Browsers measure text on a canvas; in Node (no
 * `canvas` package) Vega guesses 0.8 em per character, which makes long axis titles look
 * far longer than they are and pushes the plot down. This estimate uses Noto Sans CJK KR's
 * advance widths, measured with resvg (em per character, regular weight): Hangul 0.90,
 * capitals 0.63, digits 0.55, lower case 0.52, spaces and narrow punctuation 0.25; bold is
 * 7 % wider; 3 % is added so that a title is never clipped.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xff00 && c <= 0xffef)) em += 0.9;
    else if (/[ .,:;'|!il()[\]{}ʼ′]/.test(ch)) em += 0.25;
    else if (/[0-9]/.test(ch)) em += 0.55;
    else if (/[A-Z@%#&mw]/.test(ch)) em += 0.63;
    else em += 0.52;
  }
  return Math.ceil(em * fontSize * (bold ? 1.07 : 1) * 1.03);
}

(vega as unknown as { textMetrics: { width: unknown } }).textMetrics.width = (
  item: { text?: unknown; fontSize?: number; fontWeight?: string | number },
  text?: unknown,
): number => {
  const value = text ?? item.text;
  const lines = Array.isArray(value) ? value.map(String) : value == null ? [] : [String(value)];
  const size = item.fontSize ?? 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  return Math.max(0, ...lines.map((l) => estimateTextWidth(l, size, bold)));
};

/** The SVG text of a Vega-Lite spec. */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    // Heat-map cells drawn with crisp edges: anti-aliased neighbours otherwise leave hairline
    // seams of background between them (in resvg and in browsers alike).
    return (await view.toSVG()).replace(/<g class="mark-rect role-mark /g, '<g shape-rendering="crispEdges" class="mark-rect role-mark ');
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Pixels per SVG unit (default 2: sharp on high-density screens and in print). */
  scale?: number;
  /** Extra font files (default: the CJK fonts found by cjkFontFiles). */
  fontFiles?: string[];
  /** Also load the system's fonts (default true). */
  loadSystemFonts?: boolean;
}

/** The PNG of an SVG text (see the module comment for how fonts are found). */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const { scale = 2, fontFiles = cjkFontFiles(), loadSystemFonts = true } = options;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles,
      loadSystemFonts,
      // used for families that are not found; the CJK font covers Latin and Hangul
      defaultFontFamily: fontFiles.length > 0 ? 'Noto Sans CJK KR' : 'DejaVu Sans',
      sansSerifFamily: fontFiles.length > 0 ? 'Noto Sans CJK KR' : 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}

/** The PNG of a Vega-Lite spec. */
export async function renderPng(spec: PlotSpec, options: PngOptions = {}): Promise<Buffer> {
  return svgToPng(await renderSvg(spec), options);
}

/** The picture formats writePlot knows, by file extension. */
export const PLOT_FORMATS = ['.svg', '.png'] as const;

/**
 * Write `spec` to `path` as SVG or PNG, by the extension (.svg or .png); makes the folder.
 * @returns the SVG text (also when writing a PNG), e.g. for an HTML report.
 */
export async function writePlot(spec: PlotSpec, path: string, options: PngOptions = {}): Promise<string> {
  const ext = extname(path).toLowerCase();
  if (!(PLOT_FORMATS as readonly string[]).includes(ext)) {
    throw new Error(`${path}: the picture format follows the extension, which must be .svg or .png (got '${ext || 'none'}')`);
  }
  const svg = await renderSvg(spec);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, ext === '.svg' ? svg : svgToPng(svg, options));
  return svg;
}

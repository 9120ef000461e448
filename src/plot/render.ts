/**
 * Rendering specs to files, in Node: Vega-Lite → Vega (vega-lite's compile) → SVG (a headless
 * vega View with renderer 'none') → PNG (resvg, a Rust SVG renderer shipped as a prebuilt
 * binary in @resvg/resvg-js). Browsers render the same specs with vega-embed instead.
 *
 * Fonts in PNGs: resvg draws text only with the font files it is given (and, with
 * loadSystemFonts, every font under /usr/share/fonts, ~/.fonts …). We give it Noto Sans CJK
 * when one of CJK_FONT_PATHS exists (Debian's fonts-noto-cjk puts it in
 * /usr/share/fonts/opentype/noto/) for text with Hangul, and DejaVu Sans (fonts-dejavu-core)
 * for the rest (pngFontFamilies says why); when either is missing resvg also loads the system
 * fonts, so Latin text still renders from whatever is installed and Hangul falls back to any
 * system font that has it, or is left out.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
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
 * far longer than they are and pushes the plot down. This estimate uses the advance widths
 * of the fonts the PNGs use, measured with resvg (em per character, regular weight): Hangul
 * 0.90 (Noto Sans CJK KR); for Latin DejaVu Sans, a little wider than Noto's Latin: capitals
 * 0.67, digits 0.63, lower case 0.56, spaces and narrow punctuation 0.27; bold is 13 % wider;
 * 3 % is added so that a title is never clipped.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xff00 && c <= 0xffef)) em += 0.9;
    else if (/[ .,:;'|!il()[\]{}ʼ′]/.test(ch)) em += 0.27;
    else if (/[0-9]/.test(ch)) em += 0.63;
    else if (/[A-Z@%#&mw]/.test(ch)) em += 0.67;
    else em += 0.56;
  }
  return Math.ceil(em * fontSize * (bold ? 1.13 : 1) * 1.03);
}


let loaded: Promise<{ vega: typeof import('vega'); compile: typeof import('vega-lite').compile }> | undefined;

/**
 * vega and vega-lite, imported on first use: vega's canvas probe (vega-canvas) awaits at its
 * top level, which would stop `require('sori')` from loading the package at all. Vega's text
 * widths are set to estimateTextWidth once loaded.
 */
function loadVega() {
  loaded ??= (async () => {
    const [mod, vl] = await Promise.all([import('vega'), import('vega-lite')]);
    (mod as unknown as { textMetrics: { width: unknown } }).textMetrics.width = (
      item: { text?: unknown; fontSize?: number; fontWeight?: string | number },
      text?: unknown,
    ): number => {
      const value = text ?? item.text;
      const lines = Array.isArray(value) ? value.map(String) : value == null ? [] : [String(value)];
      const size = item.fontSize ?? 11;
      const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
      return Math.max(0, ...lines.map((l) => estimateTextWidth(l, size, bold)));
    };
    return { vega: mod, compile: vl.compile };
  })();
  return loaded;
}

/** The SVG text of a Vega-Lite spec. */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const { vega, compile } = await loadVega();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    // Heat-map cells drawn with crisp edges: anti-aliased neighbours otherwise leave hairline
    // seams of background between them (in resvg and in browsers alike).
    return (await view.toSVG()).replace(/<g class="mark-rect role-mark /g, '<g shape-rendering="crispEdges" class="mark-rect role-mark ');
  } finally {
    view.finalize();
  }
}

/** Where DejaVu Sans is looked for (Debian fonts-dejavu-core). */
export const LATIN_FONT_PATHS = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

/** Any Hangul, CJK or full-width character. */
const CJK = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]/;

/**
 * The SVG with each text element's font chosen for resvg: Noto Sans CJK KR for text holding
 * Hangul or CJK, DejaVu Sans (falling back to Noto) for the rest. resvg shapes every text
 * element afresh and a 65 000-glyph CJK font makes that slow (tens of ms per label, seconds
 * per picture on a busy machine), so only the text that needs it pays. DejaVu's Latin is a
 * little wider than Noto's; the width estimate above leaves room for it.
 */
export function pngFontFamilies(svg: string): string {
  return svg.replace(/<text\b([^>]*?)\sfont-family="[^"]*"([^>]*)>([^<]*)<\/text>/g, (_, before: string, after: string, content: string) => {
    const family = CJK.test(content) ? "'Noto Sans CJK KR', 'DejaVu Sans'" : "'DejaVu Sans', 'Noto Sans CJK KR'";
    return `<text${before} font-family="${family}"${after}>${content}</text>`;
  });
}

export interface PngOptions {
  /** Pixels per SVG unit (default 2: sharp on high-density screens and in print). */
  scale?: number;
  /**
   * Font files (default: Noto Sans CJK from cjkFontFiles and DejaVu Sans from LATIN_FONT_PATHS,
   * those that exist).
   */
  fontFiles?: string[];
  /** Also load every system font (default: only when the default files are not all found). */
  loadSystemFonts?: boolean;
}

/** The PNG of an SVG text (see the module comment for how fonts are found). */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const latin = LATIN_FONT_PATHS.filter((p) => existsSync(p));
  const cjk = cjkFontFiles();
  const { scale = 2, fontFiles = [...cjk, ...latin] } = options;
  const loadSystemFonts = options.loadSystemFonts ?? !(cjk.length > 0 && latin.length === LATIN_FONT_PATHS.length);
  const resvg = new Resvg(pngFontFamilies(svg), {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles,
      loadSystemFonts,
      // for families that are not found
      defaultFontFamily: cjk.length > 0 ? 'Noto Sans CJK KR' : 'DejaVu Sans',
      sansSerifFamily: cjk.length > 0 ? 'Noto Sans CJK KR' : 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}

/** The PNG of a Vega-Lite spec. */
export async function renderPng(spec: PlotSpec, options: PngOptions = {}): Promise<Uint8Array> {
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

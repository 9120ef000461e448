/**
 * The HTML report of one experiment: a single self-contained page (no scripts, no external
 * files) with the results table, the pictures inline as SVG and the resolved config, so it
 * opens offline straight from the file system. Pure string building: runs in a browser too.
 */

/** One picture of the report. */
export interface ReportPicture {
  /** File stem under plots/, e.g. 'curves'; also the anchor in the page. */
  name: string;
  /** The rendered SVG text. */
  svg: string;
  /** One or two sentences under the picture: what it shows. */
  caption?: string;
}

export interface ReportInput {
  /** Page title, e.g. 'annyeong'. */
  title: string;
  /** The results as Markdown (e.g. RESULTS.md): headings, pipe tables and paragraphs are rendered. */
  resultsMarkdown?: string;
  pictures: readonly ReportPicture[];
  /** The resolved config (written as JSON at the end). */
  config?: unknown;
  /** A line under the title, e.g. the command that made the experiment. */
  subtitle?: string;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline Markdown: `code` and **bold**, the rest escaped. */
function inline(s: string): string {
  return escapeHtml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/**
 * The Markdown subset recipes write into RESULTS.md, as HTML: ATX headings (one level
 * down, the page has its own h1), pipe tables (numeric columns right-aligned), paragraphs,
 * and `- ` lists.
 */
export function markdownToHtml(md: string): string {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  const cells = (l: string) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const h = /^(#{1,5})\s+(.*)$/.exec(line);
    if (h) {
      const level = Math.min(6, h[1].length + 1);
      out.push(`<h${level}>${inline(h[2])}</h${level}>`);
      i++;
    } else if (line.trim().startsWith('|') && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
      const head = cells(line);
      const body: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i].trim().startsWith('|')) body.push(cells(lines[i++]));
      const numeric = head.map((_, c) => body.length > 0 && body.every((r) => /^[-+]?[\d.,]+\s*%?$/.test(r[c] ?? '')));
      const td = (tag: string, s: string, c: number) => `<${tag}${numeric[c] ? ' class="num"' : ''}>${inline(s)}</${tag}>`;
      out.push(
        '<table>',
        `<thead><tr>${head.map((s, c) => td('th', s, c)).join('')}</tr></thead>`,
        `<tbody>${body.map((r) => `<tr>${head.map((_, c) => td('td', r[c] ?? '', c)).join('')}</tr>`).join('')}</tbody>`,
        '</table>',
      );
    } else if (/^\s*[-*]\s+/.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^\s*[-*]\s+/.test(lines[i])) items.push(lines[i++].replace(/^\s*[-*]\s+/, ''));
      out.push(`<ul>${items.map((s) => `<li>${inline(s)}</li>`).join('')}</ul>`);
    } else {
      const para: string[] = [];
      while (i < lines.length && lines[i].trim() && !/^(#{1,5})\s/.test(lines[i]) && !lines[i].trim().startsWith('|')) para.push(lines[i++]);
      out.push(`<p>${inline(para.join(' '))}</p>`);
    }
  }
  return out.join('\n');
}

/**
 * An SVG ready to sit inside HTML: the XML prolog or DOCTYPE dropped, and its ids (gradients,
 * clip paths) prefixed with `prefix`, since ids share one namespace across the page and
 * Vega numbers them from 0 in every picture.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const body = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/, '');
  const ids = new Set([...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  if (ids.size === 0) return body;
  return body.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => (ids.has(id) ? `${lead}${prefix}-${id}` : all));
}

/**
 * Scale the root width and height of an SVG (its viewBox keeps the drawing's coordinates):
 * Vega's 11–15 px text reads small beside the page's 16 px text.
 */
export function zoomSvg(svg: string, zoom: number): string {
  return svg.replace(/^(<svg\b[^>]*?)\swidth="([\d.]+)"\s+height="([\d.]+)"/, (_, head: string, w: string, h: string) =>
    `${head} width="${Math.round(Number(w) * zoom)}" height="${Math.round(Number(h) * zoom)}"`,
  );
}

/** The report page. */
export function reportHtml(input: ReportInput): string {
  const { title, resultsMarkdown, pictures, config, subtitle } = input;
  const figures = pictures.map(
    (p) =>
      `<figure id="${escapeHtml(p.name)}">\n${zoomSvg(inlineSvg(p.svg, p.name), 1.35)}\n` +
      `<figcaption>${p.caption ? inline(p.caption) + ' ' : ''}<span class="files">plots/${escapeHtml(p.name)}.svg · .png · .vl.json</span></figcaption>\n</figure>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · sori report</title>
<style>
body { font-family: 'Noto Sans CJK KR', 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', 'DejaVu Sans', sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #111; }
h1 { margin-bottom: 0.2rem; }
.subtitle { color: #555; margin-top: 0; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #333; max-width: 60rem; }
.files { color: #777; font-size: 0.85em; }
pre { background: #f6f6f6; padding: 0.75rem; overflow-x: auto; font-size: 0.85em; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${subtitle ? `<p class="subtitle">${inline(subtitle)}</p>` : ''}
<nav>${[resultsMarkdown ? '<a href="#results">results</a>' : '', ...pictures.map((p) => `<a href="#${escapeHtml(p.name)}">${escapeHtml(p.name)}</a>`), config !== undefined ? '<a href="#config">config</a>' : ''].filter(Boolean).join(' ')}</nav>
${resultsMarkdown ? `<section id="results">\n${/^\s*#\s/.test(resultsMarkdown) ? '' : '<h2>Results</h2>\n'}${markdownToHtml(resultsMarkdown)}\n</section>` : ''}
<section id="pictures">
<h2>Pictures</h2>
${figures.join('\n')}
</section>
${config !== undefined ? `<section id="config">\n<h2>Config</h2>\n<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>\n</section>` : ''}
</body>
</html>
`;
}

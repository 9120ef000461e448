/**
 * Reading Vega's SVG output in tests: a named mark (Vega-Lite `name: 'x'`) becomes
 * `<g class="mark-TYPE role-mark x_marks" …>` holding one element per item.
 */
export function markItems(svg: string, name: string): string[] {
  const open = new RegExp(`<g (?:shape-rendering="crispEdges" )?class="mark-[a-z]+ role-mark ${name}_marks"[^>]*>`);
  const m = open.exec(svg);
  if (!m) return [];
  const rest = svg.slice(m.index + m[0].length);
  const body = rest.slice(0, rest.indexOf('</g>'));
  return body.match(/<(path|text|line|image)\b[^>]*>/g) ?? [];
}

/** The axis titles of a rendered spec, in document order. */
export function axisTitles(svg: string): string[] {
  return [...svg.matchAll(/<g class="mark-text role-axis-title"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]));
}

/** The axis labels of a rendered spec. */
export function axisLabels(svg: string): string[] {
  return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].flatMap((m) =>
    [...m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => unescape(t[1])),
  );
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

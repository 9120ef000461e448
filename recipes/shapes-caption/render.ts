/**
 * Drawing a shapes layout as a 64×64 RGB image, with the variation a second drawing program may
 * bring: anti-aliased (4×4 supersampled coverage) or aliased (pixel-centre test) edges, colour
 * jitter, background grey level 200–255 with an optional faint gradient, an optional darker
 * outline, and optional mild Gaussian noise.
 *
 * Geometry (pixel (i, j) covers [i, i+1] × [j, j+1]; centre (x, y), size s across):
 *   circle     (u − x)² + (v − y)² ≤ (s/2)²
 *   square     |u − x| ≤ s/2 and |v − y| ≤ s/2
 *   triangle   apex (x, y − h/2), base from (x − s/2, y + h/2) to (x + s/2, y + h/2), h = s · k,
 *              k ∈ [0.85, 1] (drawn per shape); the centre is the bounding box's centre
 */
import type { Colour, PlacedShape } from './grammar.ts';

export const IMAGE_SIZE = 64;

/** How one image is drawn (everything but the layout). */
export interface RenderStyle {
  /** background grey level in [200, 255] */
  background: number;
  /** added to the background per unit of (x + y) / 128 − 1 (a faint diagonal gradient); 0 for flat */
  gradient: number;
  /** σ of the Gaussian noise added to every channel (0: none) */
  noise: number;
  /** supersampled edges (true) or a hard pixel-centre test (false) */
  antialias: boolean;
  /** RGB of each shape, in layout order */
  rgb: [number, number, number][];
  /** triangle height / width per shape (ignored for circles and squares) */
  aspect: number[];
  /** outline darkening per shape: 0 none, else the factor (e.g. 0.6) of the 1 px border */
  outline: number[];
}

/** Sample an RGB triple for a colour name, jittered within what still reads as that colour. */
export function colourRgb(colour: Colour, random: () => number): [number, number, number] {
  const u = (lo: number, hi: number) => Math.round(lo + (hi - lo) * random());
  switch (colour) {
    case 'red':
      return [u(170, 255), u(0, 70), u(0, 70)];
    case 'green':
      return [u(0, 70), u(120, 230), u(0, 80)];
    case 'blue':
      return [u(0, 70), u(0, 110), u(170, 255)];
    case 'yellow': {
      const r = u(200, 255);
      return [r, u(Math.max(180, r - 40), 255), u(0, 80)];
    }
  }
}

/** A random style for `shapes` (its own draws from `random`). */
export function randomStyle(shapes: readonly PlacedShape[], random: () => number): RenderStyle {
  return {
    background: Math.round(200 + 55 * random()),
    gradient: random() < 0.3 ? (random() - 0.5) * 20 : 0,
    noise: random() < 0.1 ? 1 + 5 * random() : 0,
    antialias: random() < 0.6,
    rgb: shapes.map((s) => colourRgb(s.colour, random)),
    aspect: shapes.map(() => 0.85 + 0.15 * random()),
    outline: shapes.map(() => (random() < 0.2 ? 0.5 + 0.3 * random() : 0)),
  };
}

/** Is point (u, v) inside shape s (triangle height factor `aspect`)? */
export function inside(s: PlacedShape, aspect: number, u: number, v: number): boolean {
  const half = s.size / 2;
  if (s.kind === 'circle') return (u - s.x) ** 2 + (v - s.y) ** 2 <= half * half;
  if (s.kind === 'square') return Math.abs(u - s.x) <= half && Math.abs(v - s.y) <= half;
  const h = s.size * aspect;
  const top = s.y - h / 2;
  if (v < top || v > s.y + h / 2) return false;
  return Math.abs(u - s.x) <= (half * (v - top)) / h;
}

/** Standard normal draws (Box–Muller) from `random`. */
function gaussian(random: () => number): number {
  const a = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * random());
}

/** Draw `shapes` in `style` → RGB bytes [64 · 64 · 3] (row-major, y down). */
export function render(shapes: readonly PlacedShape[], style: RenderStyle, random: () => number): Uint8Array {
  const N = IMAGE_SIZE;
  const out = new Uint8Array(N * N * 3);
  const samples = style.antialias ? 4 : 1;
  const offsets = Array.from({ length: samples }, (_, k) => (k + 0.5) / samples);
  const cover = (s: PlacedShape, i: number, j: number, aspect: number) => {
    let hits = 0;
    for (const a of offsets) for (const b of offsets) if (inside(s, aspect, j + a, i + b)) hits++;
    return hits / (samples * samples);
  };
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const grey = style.background + style.gradient * ((i + j) / N - 1);
      let pixel = [grey, grey, grey];
      shapes.forEach((s, k) => {
        const c = cover(s, i, j, style.aspect[k]);
        if (c === 0) return;
        let rgb = style.rgb[k];
        if (style.outline[k] > 0) {
          // 1 px border: some neighbouring pixel centre lies outside the shape.
          const edge = [[-1, 0], [1, 0], [0, -1], [0, 1]].some(([di, dj]) => !inside(s, style.aspect[k], j + dj + 0.5, i + di + 0.5));
          if (edge) rgb = rgb.map((v) => v * style.outline[k]) as [number, number, number];
        }
        pixel = pixel.map((p, ch) => (1 - c) * p + c * rgb[ch]);
      });
      for (let ch = 0; ch < 3; ch++) {
        const noisy = style.noise > 0 ? pixel[ch] + style.noise * gaussian(random) : pixel[ch];
        out[(i * N + j) * 3 + ch] = Math.max(0, Math.min(255, Math.round(noisy)));
      }
    }
  }
  return out;
}

/**
 * The shapes corpus: 64×64 RGB images of one or two coloured shapes, captioned by the grammar in
 * grammar.ts, drawn by render.ts. Seeded and deterministic.
 *
 *   corpora/shapes/png/ID.png            the images
 *   corpora/shapes/SPLIT/images.scp      "ID png/ID.png"              (paths relative to the corpus)
 *   corpora/shapes/SPLIT/text            "ID caption"                 the training target (reading order)
 *   corpora/shapes/SPLIT/references      "ID caption", one line per correct caption (an ID repeats)
 *   corpora/shapes/SPLIT/layouts         "ID JSON"                    the shapes: kind, colour, x, y, size
 *
 * Layouts: sizes 12–22 px, centres anywhere the shape fits, two shapes never overlap (their
 * bounding boxes are ≥ 2 px apart), and the larger centre offset is ≥ 1.5 × the smaller + 6 px
 * (the relation rule is never ambiguous).
 * Splits: a combination is a two-shape image's canonical caption (12 × 12 × 2 = 288 of them);
 * a seeded fifth of them is held out for test. train and dev draw from the others (20 % one-shape
 * images), test only from the held-out ones, so test captions are combinations train never shows.
 *
 * Run: npx tsx recipes/shapes-caption/generate.ts [--out corpora/shapes] [--train N] [--dev N] [--test N] [--seed S]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { mulberry32, shuffled } from '../../src/index.ts';
import {
  COLOURS, SHAPES, canonicalCaption, combination, references, relation, unambiguous,
  type Colour, type PlacedShape, type ShapeKind,
} from './grammar.ts';
import { IMAGE_SIZE, randomStyle, render } from './render.ts';

export const MIN_SIZE = 12;
export const MAX_SIZE = 22;

/** One generated image: its id, layout, training caption and every correct caption. */
export interface ShapesExample {
  id: string;
  shapes: PlacedShape[];
  text: string;
  references: string[];
}

/** Every two-shape combination as [first, relation, second] with relation 'left of' or 'above'. */
export function allCombinations(): { first: [Colour, ShapeKind]; relation: 'left of' | 'above'; second: [Colour, ShapeKind] }[] {
  const things = COLOURS.flatMap((c) => SHAPES.map((s) => [c, s] as [Colour, ShapeKind]));
  return things.flatMap((first) =>
    (['left of', 'above'] as const).flatMap((r) => things.map((second) => ({ first, relation: r, second }))),
  );
}

/** The held-out test combinations (canonical captions) for `seed`: a fifth of all 288. */
export function testCombinations(seed: number): Set<string> {
  const all = allCombinations().map((c) => `a ${c.first.join(' ')} ${c.relation} a ${c.second.join(' ')}`);
  return new Set(shuffled(all, mulberry32(seed * 7919 + 1)).slice(0, Math.round(all.length / 5)));
}

/** Do the bounding boxes of a and b (triangles: full height = size) stay ≥ `gap` px apart? */
export function apart(a: PlacedShape, b: PlacedShape, gap = 2): boolean {
  return Math.abs(a.x - b.x) >= (a.size + b.size) / 2 + gap || Math.abs(a.y - b.y) >= (a.size + b.size) / 2 + gap;
}

/** A random shape of `kind` and `colour` that fits inside the image. */
function placeShape(kind: ShapeKind, colour: Colour, random: () => number): PlacedShape {
  const size = MIN_SIZE + (MAX_SIZE - MIN_SIZE) * random();
  const lo = size / 2 + 1;
  const hi = IMAGE_SIZE - size / 2 - 1;
  return { kind, colour, size, x: lo + (hi - lo) * random(), y: lo + (hi - lo) * random() };
}

/** A two-shape layout showing `first RELATION second` (rejection sampling). */
export function twoShapeLayout(
  first: [Colour, ShapeKind],
  rel: string,
  second: [Colour, ShapeKind],
  random: () => number,
): PlacedShape[] {
  for (let attempt = 0; attempt < 100000; attempt++) {
    const a = placeShape(first[1], first[0], random);
    const b = placeShape(second[1], second[0], random);
    if (apart(a, b) && unambiguous(a, b) && relation(a, b) === rel) return random() < 0.5 ? [a, b] : [b, a];
  }
  throw new Error(`twoShapeLayout: no layout found for ${first.join(' ')} ${rel} ${second.join(' ')}`);
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

/** `count` examples of `split`: train/dev from combinations not in `held`, test from `held`. */
export function sampleSplit(split: string, count: number, held: Set<string>, random: () => number): ShapesExample[] {
  const combos = allCombinations().filter((c) => {
    const key = `a ${c.first.join(' ')} ${c.relation} a ${c.second.join(' ')}`;
    return split === 'test' ? held.has(key) : !held.has(key);
  });
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => {
    let shapes: PlacedShape[];
    if (split !== 'test' && random() < 0.2) {
      shapes = [placeShape(pick(SHAPES, random), pick(COLOURS, random), random)];
    } else {
      const c = pick(combos, random);
      shapes = twoShapeLayout(c.first, c.relation, c.second, random);
      if (split === 'test' !== held.has(combination(shapes))) throw new Error(`sampleSplit: ${combination(shapes)} in the wrong split`);
    }
    const id = `${split}-${String(i + 1).padStart(width, '0')}`;
    return { id, shapes, text: canonicalCaption(shapes), references: references(shapes) };
  });
}

/** RGB bytes [64 · 64 · 3] → PNG file bytes (8-bit RGB). */
export function encodePng(rgb: Uint8Array, width = IMAGE_SIZE, height = IMAGE_SIZE): Buffer {
  const png = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) {
    png.data[4 * p] = rgb[3 * p];
    png.data[4 * p + 1] = rgb[3 * p + 1];
    png.data[4 * p + 2] = rgb[3 * p + 2];
    png.data[4 * p + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2 });
}

export interface GenerateOptions {
  out: string;
  counts: Record<string, number>;
  seed: number;
}

/** Write the corpus (images and lists of every split) to `out`; returns the examples by split. */
export function generate({ out, counts, seed }: GenerateOptions): Record<string, ShapesExample[]> {
  const held = testCombinations(seed);
  mkdirSync(join(out, 'png'), { recursive: true });
  const result: Record<string, ShapesExample[]> = {};
  Object.entries(counts).forEach(([split, count], k) => {
    const random = mulberry32(seed * 1009 + k);
    const examples = sampleSplit(split, count, held, random);
    mkdirSync(join(out, split), { recursive: true });
    for (const e of examples) {
      const pixels = render(e.shapes, randomStyle(e.shapes, random), random);
      writeFileSync(join(out, 'png', `${e.id}.png`), encodePng(pixels));
    }
    const round = (s: PlacedShape) => ({ ...s, x: +s.x.toFixed(2), y: +s.y.toFixed(2), size: +s.size.toFixed(2) });
    writeFileSync(join(out, split, 'images.scp'), examples.map((e) => `${e.id} png/${e.id}.png\n`).join(''));
    writeFileSync(join(out, split, 'text'), examples.map((e) => `${e.id} ${e.text}\n`).join(''));
    writeFileSync(join(out, split, 'references'), examples.flatMap((e) => e.references.map((r) => `${e.id} ${r}\n`)).join(''));
    writeFileSync(join(out, split, 'layouts'), examples.map((e) => `${e.id} ${JSON.stringify(e.shapes.map(round))}\n`).join(''));
    result[split] = examples;
  });
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const flag = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const int = (name: string, fallback: number) => {
    const v = Number(flag(name, String(fallback)));
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name}: expected a non-negative integer, got '${flag(name, '')}'`);
    return v;
  };
  const out = flag('out', 'corpora/shapes');
  const counts = { train: int('train', 2000), dev: int('dev', 300), test: int('test', 300) };
  const examples = generate({ out, counts, seed: int('seed', 1) });
  for (const [split, list] of Object.entries(examples)) console.log(`${split}: ${list.length} images`);
  console.log(`wrote ${out}`);
}

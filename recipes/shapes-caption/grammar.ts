/**
 * The caption grammar of the shapes corpus, and the rule that reads a relation off a layout.
 *
 *   one shape:   a COLOUR SHAPE
 *   two shapes:  a COLOUR SHAPE RELATION a COLOUR SHAPE
 *
 *   COLOUR   red | green | blue | yellow
 *   SHAPE    circle | square | triangle          (the triangle points up)
 *   RELATION left of | right of | above | below
 *
 * Relation rule, read from the first-named shape (centre x₁, y₁) to the second (x₂, y₂), image y
 * pointing down, dx = x₁ − x₂, dy = y₁ − y₂:
 *
 *   |dx| ≥ |dy|:  'left of' if dx < 0, else 'right of'
 *   |dx| < |dy|:  'above'   if dy < 0, else 'below'
 *
 * Both orders describe a two-shape image correctly ("a red circle left of a blue square" and
 * "a blue square right of a red circle"): {@link references} gives all of them.
 */

export const COLOURS = ['red', 'green', 'blue', 'yellow'] as const;
export const SHAPES = ['circle', 'square', 'triangle'] as const;
export const RELATIONS = ['left of', 'right of', 'above', 'below'] as const;
export type Colour = (typeof COLOURS)[number];
export type ShapeKind = (typeof SHAPES)[number];
export type Relation = (typeof RELATIONS)[number];

/** One shape of a layout: kind, colour name, centre (x, y) in pixels (y down) and size across. */
export interface PlacedShape {
  kind: ShapeKind;
  colour: Colour;
  /** centre x, pixels from the left edge */
  x: number;
  /** centre y, pixels from the top edge */
  y: number;
  /** width (= height for circle and square) in pixels */
  size: number;
}

/** The relation of shape `a` to shape `b` by the rule above (centres only). */
export function relation(a: { x: number; y: number }, b: { x: number; y: number }): Relation {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  if (Math.abs(dx) >= Math.abs(dy)) return dx < 0 ? 'left of' : 'right of';
  return dy < 0 ? 'above' : 'below';
}

/**
 * True when the rule cannot flip under small changes of the centres: the larger of |dx|, |dy| is
 * at least 1.5 × the smaller + 6 px (what the generator guarantees for every two-shape image).
 */
export function unambiguous(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  const dx = Math.abs(a.x - b.x);
  const dy = Math.abs(a.y - b.y);
  return Math.max(dx, dy) >= 1.5 * Math.min(dx, dy) + 6;
}

/** "a COLOUR SHAPE" */
export function nounPhrase(s: { colour: Colour; kind: ShapeKind }): string {
  return `a ${s.colour} ${s.kind}`;
}

/** The caption naming `shapes` in this order (one or two shapes). */
export function caption(shapes: readonly PlacedShape[]): string {
  if (shapes.length === 1) return nounPhrase(shapes[0]);
  if (shapes.length === 2) return `${nounPhrase(shapes[0])} ${relation(shapes[0], shapes[1])} ${nounPhrase(shapes[1])}`;
  throw new Error(`caption: expected 1 or 2 shapes, got ${shapes.length}`);
}

/** Every correct caption of a layout: one for one shape, both orders for two (deduplicated). */
export function references(shapes: readonly PlacedShape[]): string[] {
  if (shapes.length === 1) return [caption(shapes)];
  return [...new Set([caption(shapes), caption([shapes[1], shapes[0]])])];
}

/**
 * The caption a model is trained to write: for two shapes, the order whose relation is
 * 'left of' or 'above' (reading order: left to right, top to bottom), so that each image has one
 * target.
 */
export function canonicalCaption(shapes: readonly PlacedShape[]): string {
  if (shapes.length === 1) return caption(shapes);
  const r = relation(shapes[0], shapes[1]);
  return r === 'left of' || r === 'above' ? caption(shapes) : caption([shapes[1], shapes[0]]);
}

/**
 * The combination a two-shape layout shows, independent of naming order: its canonical caption
 * ("a red circle left of a blue square"). The test split holds combinations that train never shows.
 */
export function combination(shapes: readonly PlacedShape[]): string {
  return canonicalCaption(shapes);
}

/**
 * The caption of the horizontally mirrored image: 'A left of B' becomes 'B left of A' (the
 * canonical order follows the shapes); 'above', 'below' and one-shape captions stay.
 */
export function mirrorCaption(text: string): string {
  const m = /^(a \S+ \S+) (left of|right of) (a \S+ \S+)$/.exec(text);
  if (!m) return text;
  return m[2] === 'left of' ? `${m[3]} left of ${m[1]}` : `${m[3]} right of ${m[1]}`;
}

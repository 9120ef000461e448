/**
 * The draws of the annyeong corpus generator (generate.ts): texts over 안 녕 하 세 요, the speaking
 * conditions of each split, and the whole corpus list. Every draw comes from the seeded sfc32
 * generator here (never Math.random), so a seed gives the same corpus.
 */
/** The lecture's symbol table: '<space>' 0, 안 1, 녕 2, 하 3, 세 4, 요 5, '<blank>' 6. */
export const SYMBOLS = ['<space>', '안', '녕', '하', '세', '요', '<blank>'] as const;
const SYLLABLES = ['안', '녕', '하', '세', '요'] as const;
const PHRASE = '안녕하세요';

// ---------------------------------------------------------------------------------------------
// Seeded PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32.

/** A deterministic generator of uniform numbers in [0, 1) from a 32-bit seed. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

export type Rng = () => number;
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
/** Standard normal draw (Box–Muller). */
export const gauss = (rng: Rng): number => {
  const u = 1 - rng(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
};

// ---------------------------------------------------------------------------------------------
// Texts.

type Category = 'phrase' | 'part' | 'random';

/** Weights of the random-sequence lengths 1..7 (shorter ones a bit more often: corpus size). */
const LENGTH_WEIGHTS = [1.2, 1.5, 1.4, 1.1, 0.8, 0.6, 0.4];

function drawLength(rng: Rng): number {
  const total = LENGTH_WEIGHTS.reduce((x, y) => x + y, 0);
  let r = rng() * total;
  for (let i = 0; i < LENGTH_WEIGHTS.length; i++) {
    r -= LENGTH_WEIGHTS[i];
    if (r < 0) return i + 1;
  }
  return LENGTH_WEIGHTS.length;
}

/** Join syllables, putting a space in each gap with probability `pSpace`. */
function joinSyllables(rng: Rng, syllables: string[], pSpace: number): string {
  let text = syllables[0];
  for (let i = 1; i < syllables.length; i++) text += (rng() < pSpace ? ' ' : '') + syllables[i];
  return text;
}

/** Space probability per gap: 40% of the utterances have none, the others a space in 40% of gaps. */
const drawSpaceProbability = (rng: Rng): number => (rng() < 0.4 ? 0 : 0.4);

function drawText(rng: Rng): { text: string; category: Category } {
  const r = rng();
  if (r < 0.15) {
    return { text: rng() < 0.7 ? PHRASE : '안녕 하세요', category: 'phrase' };
  }
  if (r < 0.4) {
    // A contiguous part of the phrase, 1–4 syllables.
    const phrase = [...PHRASE];
    let start: number;
    let end: number;
    do {
      start = Math.floor(rng() * phrase.length);
      end = start + 1 + Math.floor(rng() * (phrase.length - start));
    } while (end - start === phrase.length);
    const part = phrase.slice(start, end);
    return { text: joinSyllables(rng, part, drawSpaceProbability(rng)), category: 'part' };
  }
  const syllables = Array.from({ length: drawLength(rng) }, () => pick(rng, SYLLABLES));
  return { text: joinSyllables(rng, syllables, drawSpaceProbability(rng)), category: 'random' };
}

// ---------------------------------------------------------------------------------------------
// Speaking and recording conditions.

/** espeak-ng variants used (all checked against `espeak-ng --voices=variant` before use). */
export const VARIANTS = [
  '', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8',
  'f1', 'f2', 'f3', 'f4', 'f5', 'klatt', 'klatt2', 'klatt3', 'klatt4',
] as const;

export type NoiseKind = 'white' | 'pink' | 'brown';
const NOISES: readonly NoiseKind[] = ['white', 'pink', 'brown'];

interface Grid {
  rates: readonly number[]; // espeak -s, words per minute
  pitches: readonly number[]; // espeak -p, 0..99
  amplitudes: readonly number[]; // espeak -a, 0..200
  snrs: readonly (number | null)[]; // dB; null = no added noise
  // espeak -g: pause between words in units of 10 ms at 175 wpm (shorter when faster). With -g 0
  // espeak leaves almost no pause (0–15 ms), so a space would be nearly inaudible, and 4–8
  // (25–55 ms at 220 wpm) left spaces the recogniser's main error; 10–16 makes every space a
  // pause of roughly 80–200 ms, which the audio then really carries.
  gaps: readonly number[];
  pad: readonly [number, number]; // leading/trailing silence, seconds, uniform in [lo, hi]
  formats: readonly { sampleRate: number; channels: number }[];
}

const TRAIN_GRID: Grid = {
  rates: [130, 145, 160, 175, 190, 205, 220],
  pitches: [20, 30, 40, 50, 60, 70, 80],
  amplitudes: [45, 60, 75, 90, 105, 120],
  snrs: [null, 30, 24, 18, 12],
  gaps: [10, 12, 14, 16],
  pad: [0.03, 0.2],
  formats: [{ sampleRate: 16000, channels: 1 }],
};

/** Values none of which occurs in TRAIN_GRID (between its steps and a little beyond its ends). */
const UNSEEN_GRID: Grid = {
  rates: [120, 153, 183, 212, 235],
  pitches: [12, 35, 55, 75, 88],
  amplitudes: [32, 68, 98, 135],
  snrs: [27, 21, 15, 10],
  gaps: [10, 12, 14, 16],
  pad: [0.03, 0.2],
  // Cycled through in this order; 44.1 kHz stereo (176 kB/s) less often to keep the corpus small.
  formats: [
    { sampleRate: 8000, channels: 1 },
    { sampleRate: 16000, channels: 1 },
    { sampleRate: 22050, channels: 1 },
    { sampleRate: 44100, channels: 2 },
    { sampleRate: 8000, channels: 1 },
    { sampleRate: 16000, channels: 1 },
    { sampleRate: 22050, channels: 1 },
  ],
};

/** dev-unseen: test-unseen's conditions, mono only (44.1 kHz stereo is 5.5× the bytes). */
const DEV_UNSEEN_GRID: Grid = {
  ...UNSEEN_GRID,
  formats: [
    { sampleRate: 8000, channels: 1 },
    { sampleRate: 16000, channels: 1 },
    { sampleRate: 22050, channels: 1 },
  ],
};

export interface Utterance {
  id: string;
  split: string;
  text: string;
  category: Category;
  variant: string;
  rate: number;
  pitch: number;
  amplitude: number;
  gap: number;
  lead: number; // seconds
  trail: number; // seconds
  noise: NoiseKind | 'none';
  snr: number | null;
  sampleRate: number;
  channels: number;
  noiseSeed: number;
}

/** The key that makes an utterance: same key = same file (up to padding and noise draw). */
const utteranceKey = (u: Utterance): string =>
  [u.text, u.variant, u.rate, u.pitch, u.amplitude, u.gap].join('|');

function drawUtterance(rng: Rng, grid: Grid, split: string, index: number): Utterance {
  const { text, category } = drawText(rng);
  const snr = pick(rng, grid.snrs);
  const format = grid.formats[index % grid.formats.length];
  return {
    id: `${split}-${String(index + 1).padStart(4, '0')}`,
    split,
    text,
    category,
    variant: pick(rng, VARIANTS),
    rate: pick(rng, grid.rates),
    pitch: pick(rng, grid.pitches),
    amplitude: pick(rng, grid.amplitudes),
    gap: pick(rng, grid.gaps),
    lead: Math.round(uniform(rng, ...grid.pad) * 1000) / 1000,
    trail: Math.round(uniform(rng, ...grid.pad) * 1000) / 1000,
    noise: snr === null ? 'none' : pick(rng, NOISES),
    snr,
    sampleRate: format.sampleRate,
    channels: format.channels,
    noiseSeed: Math.floor(rng() * 4294967296),
  };
}

/**
 * Draw all utterances of all splits. No key occurs twice in the whole corpus; random sequences
 * of 3+ syllables in the held-out lists that are not part of the phrase never occur as training
 * texts, spaces ignored (the model must read sequences, not recall them). dev-unseen is drawn
 * last (after train, so that adding it left the other splits unchanged) and avoids the training
 * texts instead.
 */
export function drawCorpus(seed: number, counts: Record<SplitName, number>): Utterance[] {
  const rng = makeRng(seed);
  const seen = new Set<string>();
  const heldOutTexts = new Set<string>();
  const all: Utterance[] = [];
  const trainTexts = new Set<string>();
  const order: SplitName[] = ['test-unseen', 'test', 'dev', 'train', 'dev-unseen'];
  const grids: Record<SplitName, Grid> = {
    train: TRAIN_GRID,
    dev: TRAIN_GRID,
    test: TRAIN_GRID,
    'test-unseen': UNSEEN_GRID,
    'dev-unseen': DEV_UNSEEN_GRID,
  };
  for (const split of order) {
    for (let i = 0; i < counts[split]; i++) {
      let u: Utterance;
      let bare: string;
      let heldOut: boolean;
      do {
        u = drawUtterance(rng, grids[split], split, i);
        bare = u.text.replaceAll(' ', '');
        heldOut = split !== 'train' && u.category === 'random' && bare.length >= 3 && !PHRASE.includes(bare);
      } while (
        seen.has(utteranceKey(u)) ||
        (split === 'train' && heldOutTexts.has(bare)) ||
        (split === 'dev-unseen' && heldOut && trainTexts.has(bare))
      );
      seen.add(utteranceKey(u));
      if (heldOut) heldOutTexts.add(bare);
      if (split === 'train') trainTexts.add(bare);
      all.push(u);
    }
  }
  return all;
}


export type SplitName = 'train' | 'dev' | 'test' | 'test-unseen' | 'dev-unseen';
export const SPLITS: SplitName[] = ['train', 'dev', 'test', 'test-unseen', 'dev-unseen'];
export const DEFAULT_COUNTS: Record<SplitName, number> = {
  train: 360,
  dev: 45,
  test: 45,
  'test-unseen': 56,
  'dev-unseen': 28,
};

/**
 * Generate the toy '안녕하세요' speech corpus (corpora/annyeong/) with espeak-ng's Korean voice.
 *
 *   npx tsx recipes/annyeong/prepare.ts --seed 5 --out corpora/annyeong
 *
 * What it makes (see corpora/annyeong/README.md for the format):
 * - texts: the whole phrase 안녕하세요 (also spaced as 안녕 하세요), its contiguous parts (안녕, 하세요,
 *   세요, 안녕하, …) and random sequences of the five syllables 안 녕 하 세 요 of 1–7 syllables, with
 *   and without spaces between them;
 * - speech: `espeak-ng -v ko+VARIANT -s RATE -p PITCH -a AMPLITUDE -g GAP`, silence trimmed,
 *   resampled with sox to the target rate, padded with leading/trailing silence, plus additive
 *   white/pink/brown noise at a chosen SNR (generated here from the seeded PRNG);
 * - splits train / dev / test at 16 kHz 16-bit mono, and test-unseen: rates, pitches, amplitudes
 *   and SNRs from grids disjoint from the training grids, stored at 8 kHz, 16 kHz, 22.05 kHz and
 *   44.1 kHz stereo; dev-unseen: a smaller held-out list of the same unseen conditions (8, 16 and
 *   22.05 kHz mono) for choosing the recipe's settings and its best epoch without touching test-unseen.
 *
 * Deterministic from --seed: every random draw comes from the sfc32 generator below (never
 * Math.random); espeak-ng and sox (run with -R, no dither) are deterministic for fixed input.
 * Output files are written atomically (temporary name, then rename).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

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

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
/** Standard normal draw (Box–Muller). */
const gauss = (rng: Rng): number => {
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
const VARIANTS = [
  '', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8',
  'f1', 'f2', 'f3', 'f4', 'f5', 'klatt', 'klatt2', 'klatt3', 'klatt4',
] as const;

type NoiseKind = 'white' | 'pink' | 'brown';
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

interface Utterance {
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

// ---------------------------------------------------------------------------------------------
// Signal processing (all on Float32Array samples in [-1, 1]).

/** Keep [first, last] 10 ms frame whose RMS exceeds 1% (−40 dB) of the loudest frame, ±20 ms. */
function trimSilence(x: Float32Array, sampleRate: number): Float32Array {
  const frame = Math.round(0.01 * sampleRate);
  const nFrames = Math.floor(x.length / frame);
  const rms = new Float64Array(nFrames);
  for (let f = 0; f < nFrames; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) sum += x[i] * x[i];
    rms[f] = Math.sqrt(sum / frame);
  }
  const threshold = 0.01 * Math.max(...rms);
  let first = 0;
  while (first < nFrames && rms[first] <= threshold) first++;
  let last = nFrames - 1;
  while (last > first && rms[last] <= threshold) last--;
  const margin = 2 * frame;
  return x.slice(Math.max(0, first * frame - margin), Math.min(x.length, (last + 1) * frame + margin));
}

/** Unit-variance noise of the given colour (pink: Paul Kellet's filter; brown: leaky integral). */
function makeNoise(rng: Rng, kind: NoiseKind, n: number): Float32Array {
  const out = new Float32Array(n);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, brown = 0;
  for (let i = 0; i < n; i++) {
    const w = gauss(rng);
    if (kind === 'white') out[i] = w;
    else if (kind === 'pink') {
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.969 * b2 + w * 0.153852;
      b3 = 0.8665 * b3 + w * 0.3104856;
      b4 = 0.55 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.016898;
      out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
      b6 = w * 0.115926;
    } else {
      brown = 0.995 * brown + w;
      out[i] = brown;
    }
  }
  let power = 0;
  for (const v of out) power += v * v;
  const scale = 1 / Math.sqrt(power / n);
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

/** Pad speech with silence and add noise at `snr` dB relative to the speech's mean power. */
function padAndAddNoise(speech: Float32Array, u: Utterance): Float32Array {
  const lead = Math.round(u.lead * u.sampleRate);
  const trail = Math.round(u.trail * u.sampleRate);
  const y = new Float32Array(lead + speech.length + trail);
  y.set(speech, lead);
  if (u.snr !== null && u.noise !== 'none') {
    let speechPower = 0;
    for (const v of speech) speechPower += v * v;
    speechPower /= speech.length;
    const noiseStd = Math.sqrt(speechPower / 10 ** (u.snr / 10));
    const noise = makeNoise(makeRng(u.noiseSeed), u.noise, y.length);
    for (let i = 0; i < y.length; i++) y[i] += noiseStd * noise[i];
  }
  return y;
}

/** A 16-bit PCM WAV file; the same signal in every channel; values beyond [-1, 1] clip. */
function encodeWav(x: Float32Array, sampleRate: number, channels: number): Buffer {
  const dataBytes = x.length * channels * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28); // byte rate
  buf.writeUInt16LE(channels * 2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  let offset = 44;
  for (let i = 0; i < x.length; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768)));
    for (let c = 0; c < channels; c++, offset += 2) buf.writeInt16LE(v, offset);
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Tools.

async function checkTools(): Promise<void> {
  try {
    await run('espeak-ng', ['--version']);
  } catch {
    throw new Error(
      'prepare: espeak-ng is not installed or not on PATH (Debian: apt-get install espeak-ng); ' +
        'the committed corpus in corpora/annyeong/ needs nothing but npm',
    );
  }
  try {
    await run('sox', ['--version']);
  } catch {
    throw new Error('prepare: sox is not installed or not on PATH (Debian: apt-get install sox)');
  }
  const { stdout } = await run('espeak-ng', ['--voices=variant']);
  const known = new Set([...stdout.matchAll(/!v\/(\S+)/g)].map((m) => m[1]));
  const missing = VARIANTS.filter((v) => v !== '' && !known.has(v));
  if (missing.length > 0) {
    throw new Error(`prepare: espeak-ng lacks the voice variants ${missing.join(', ')}`);
  }
}

/** Speak `u` with espeak-ng, resample with sox, return trimmed mono samples at u.sampleRate. */
async function synthesize(u: Utterance, workDir: string): Promise<Float32Array> {
  const wav = join(workDir, `${u.id}.espeak.wav`);
  const voice = u.variant === '' ? 'ko' : `ko+${u.variant}`;
  const args = ['-v', voice, '-s', String(u.rate), '-p', String(u.pitch), '-a', String(u.amplitude)];
  await run('espeak-ng', [...args, '-g', String(u.gap), '-w', wav, u.text]);
  const { stdout } = await run(
    'sox',
    ['-R', '-D', wav, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', String(u.sampleRate), '-'],
    { encoding: 'buffer', maxBuffer: 64 << 20 },
  );
  await unlink(wav);
  const pcm = stdout as Buffer;
  const x = new Float32Array(pcm.length / 2);
  for (let i = 0; i < x.length; i++) x[i] = pcm.readInt16LE(2 * i) / 32768;
  if (x.length === 0) throw new Error(`prepare: espeak-ng produced no audio for ${u.id} '${u.text}'`);
  return trimSilence(x, u.sampleRate);
}

async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

// ---------------------------------------------------------------------------------------------
// Main.

type SplitName = 'train' | 'dev' | 'test' | 'test-unseen' | 'dev-unseen';
const SPLITS: SplitName[] = ['train', 'dev', 'test', 'test-unseen', 'dev-unseen'];
export const DEFAULT_COUNTS: Record<SplitName, number> = {
  train: 360,
  dev: 45,
  test: 45,
  'test-unseen': 56,
  'dev-unseen': 28,
};

function parseArgs(argv: string[]): { seed: number; out: string; counts: Record<SplitName, number> } {
  let seed = 5;
  let out = 'corpora/annyeong';
  const counts = { ...DEFAULT_COUNTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--seed' || flag === '--out' || flag.startsWith('--count-')) {
      if (value === undefined) throw new Error(`prepare: ${flag} needs a value`);
      i++;
      if (flag === '--out') out = value;
      else {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw new Error(`prepare: ${flag} must be a non-negative integer, got '${value}'`);
        if (flag === '--seed') seed = n;
        else {
          const split = flag.slice('--count-'.length) as SplitName;
          if (!SPLITS.includes(split)) throw new Error(`prepare: unknown split in ${flag} (known: ${SPLITS.join(', ')})`);
          counts[split] = n;
        }
      }
    } else {
      throw new Error(`prepare: unknown argument '${flag}' (known: --seed N, --out DIR, --count-SPLIT N)`);
    }
  }
  return { seed, out, counts };
}

/** Run `fn` over `items` with at most `width` in flight. */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function main(): Promise<void> {
  const { seed, out, counts } = parseArgs(process.argv.slice(2));
  await checkTools();
  const root = resolve(out);
  const utterances = drawCorpus(seed, counts);
  const workDir = await mkdtemp(join(tmpdir(), 'annyeong-'));
  try {
    for (const split of SPLITS) await mkdir(join(root, 'wav', split), { recursive: true });
    let done = 0;
    await pool(utterances, 2, async (u) => {
      const speech = await synthesize(u, workDir);
      const y = padAndAddNoise(speech, u);
      await writeAtomic(join(root, 'wav', u.split, `${u.id}.wav`), encodeWav(y, u.sampleRate, u.channels));
      done++;
      if (done % 50 === 0 || done === utterances.length) process.stderr.write(`prepare: ${done}/${utterances.length}\n`);
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  for (const split of SPLITS) {
    const us = utterances.filter((u) => u.split === split);
    const dir = join(root, split);
    await mkdir(dir, { recursive: true });
    await writeAtomic(join(dir, 'wav.scp'), us.map((u) => `${u.id} wav/${split}/${u.id}.wav\n`).join(''));
    await writeAtomic(join(dir, 'text'), us.map((u) => `${u.id} ${u.text}\n`).join(''));
    const params = (u: Utterance): string =>
      [
        `voice=${u.variant === '' ? 'ko' : `ko+${u.variant}`}`,
        `rate=${u.rate}`, `pitch=${u.pitch}`, `amplitude=${u.amplitude}`, `gap=${u.gap}`,
        `lead=${u.lead}`, `trail=${u.trail}`, `noise=${u.noise}`, `snr=${u.snr ?? 'inf'}`,
        `sampleRate=${u.sampleRate}`, `channels=${u.channels}`, `category=${u.category}`,
      ].join(' ');
    await writeAtomic(join(dir, 'utt2params'), us.map((u) => `${u.id} ${params(u)}\n`).join(''));
    // Remove WAVs a previous run with larger counts left behind.
    const keep = new Set(us.map((u) => `${u.id}.wav`));
    for (const f of await readdir(join(root, 'wav', split))) {
      if (f.endsWith('.wav') && !keep.has(f)) await unlink(join(root, 'wav', split, f));
    }
  }
  await writeAtomic(join(root, 'symbols.txt'), SYMBOLS.map((s, i) => `${s} ${i}\n`).join(''));
  const summary = SPLITS.map((s) => `${s} ${utterances.filter((u) => u.split === s).length}`).join(', ');
  process.stderr.write(`prepare: wrote ${root} (seed ${seed}): ${summary}\n`);
}

if (process.argv[1]?.endsWith('prepare.ts')) {
  main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}

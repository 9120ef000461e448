/**
 * Generate the toy '안녕하세요' speech corpus (corpora/annyeong/) with espeak-ng's Korean voice.
 *
 *   npx tsx recipes/annyeong/generate.ts --seed 5 --out corpora/annyeong
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
 * Deterministic from --seed: every random draw comes from the sfc32 generator in draw-corpus.ts (never
 * Math.random); espeak-ng and sox (run with -R, no dither) are deterministic for fixed input.
 * Output files are written atomically (temporary name, then rename).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_COUNTS, SPLITS, SYMBOLS, VARIANTS, drawCorpus, type SplitName, type Utterance } from './draw-corpus.ts';
import { encodeWav, padAndAddNoise, trimSilence } from './signal.ts';

const run = promisify(execFile);

async function checkTools(): Promise<void> {
  try {
    await run('espeak-ng', ['--version']);
  } catch {
    throw new Error(
      'generate: espeak-ng is not installed or not on PATH (Debian: apt-get install espeak-ng); ' +
        'the committed corpus in corpora/annyeong/ needs nothing but npm',
    );
  }
  try {
    await run('sox', ['--version']);
  } catch {
    throw new Error('generate: sox is not installed or not on PATH (Debian: apt-get install sox)');
  }
  const { stdout } = await run('espeak-ng', ['--voices=variant']);
  const known = new Set([...stdout.matchAll(/!v\/(\S+)/g)].map((m) => m[1]));
  const missing = VARIANTS.filter((v) => v !== '' && !known.has(v));
  if (missing.length > 0) {
    throw new Error(`generate: espeak-ng lacks the voice variants ${missing.join(', ')}`);
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
  if (x.length === 0) throw new Error(`generate: espeak-ng produced no audio for ${u.id} '${u.text}'`);
  return trimSilence(x, u.sampleRate);
}

async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

// ---------------------------------------------------------------------------------------------
// Main.


function parseArgs(argv: string[]): { seed: number; out: string; counts: Record<SplitName, number> } {
  let seed = 5;
  let out = 'corpora/annyeong';
  const counts = { ...DEFAULT_COUNTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--seed' || flag === '--out' || flag.startsWith('--count-')) {
      if (value === undefined) throw new Error(`generate: ${flag} needs a value`);
      i++;
      if (flag === '--out') out = value;
      else {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw new Error(`generate: ${flag} must be a non-negative integer, got '${value}'`);
        if (flag === '--seed') seed = n;
        else {
          const split = flag.slice('--count-'.length) as SplitName;
          if (!SPLITS.includes(split)) throw new Error(`generate: unknown split in ${flag} (known: ${SPLITS.join(', ')})`);
          counts[split] = n;
        }
      }
    } else {
      throw new Error(`generate: unknown argument '${flag}' (known: --seed N, --out DIR, --count-SPLIT N)`);
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
      if (done % 50 === 0 || done === utterances.length) process.stderr.write(`generate: ${done}/${utterances.length}\n`);
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
  process.stderr.write(`generate: wrote ${root} (seed ${seed}): ${summary}\n`);
}

if (process.argv[1]?.endsWith('generate.ts')) {
  main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}

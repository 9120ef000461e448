// The committed corpus corpora/annyeong/ has the properties its README promises (read from the
// files only; nothing here runs generate.ts or espeak-ng).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = 'corpora/annyeong';
const SPLITS = ['train', 'dev', 'test', 'test-unseen', 'dev-unseen'] as const;
const UNSEEN = ['test-unseen', 'dev-unseen'] as const;

const table = (path: string): Map<string, string> =>
  new Map(
    readFileSync(join(ROOT, path), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)] as [string, string]),
  );

const params = (split: string): Map<string, Record<string, string>> =>
  new Map([...table(`${split}/utt2params`)].map(([id, p]) => [id, Object.fromEntries(p.split(' ').map((kv) => kv.split('=')))]));

/** The fmt and data fields of a canonical 44-byte-header PCM WAV file. */
function wavHeader(path: string): { format: number; channels: number; sampleRate: number; bits: number; dataBytes: number; fileBytes: number } {
  const b = readFileSync(path);
  expect(b.toString('ascii', 0, 4) + b.toString('ascii', 8, 16) + b.toString('ascii', 36, 40)).toBe('RIFFWAVEfmt data');
  return {
    format: b.readUInt16LE(20),
    channels: b.readUInt16LE(22),
    sampleRate: b.readUInt32LE(24),
    bits: b.readUInt16LE(34),
    dataBytes: b.readUInt32LE(40),
    fileBytes: b.length,
  };
}

describe('corpora/annyeong', () => {
  it("symbols.txt is the lecture's table: <space> 0, 안 1, 녕 2, 하 3, 세 4, 요 5, <blank> 6", () => {
    expect(readFileSync(join(ROOT, 'symbols.txt'), 'utf8')).toBe('<space> 0\n안 1\n녕 2\n하 3\n세 4\n요 5\n<blank> 6\n');
  });

  it('each split lists the same ids in wav.scp, text and utt2params, and every WAV exists', () => {
    for (const split of SPLITS) {
      const wavs = table(`${split}/wav.scp`);
      expect(wavs.size, split).toBeGreaterThan(0);
      expect([...table(`${split}/text`).keys()], split).toEqual([...wavs.keys()]);
      expect([...params(split).keys()], split).toEqual([...wavs.keys()]);
      const files = new Set(readdirSync(join(ROOT, 'wav', split)));
      for (const [id, path] of wavs) {
        expect(path).toBe(`wav/${split}/${id}.wav`);
        expect(files.has(`${id}.wav`), path).toBe(true);
      }
      expect(files.size, `stray files in wav/${split}`).toBe(wavs.size);
    }
  });

  it('transcripts use only the five syllables, with single spaces between them', () => {
    for (const split of SPLITS) {
      for (const [id, text] of table(`${split}/text`)) {
        expect(text, `${split} ${id}`).toMatch(/^[안녕하세요]+( [안녕하세요]+)*$/);
        expect(text.replaceAll(' ', '').length, `${split} ${id}`).toBeLessThanOrEqual(7);
      }
    }
  });

  it('train, dev and test are 16 kHz 16-bit mono PCM; test-unseen is at 8, 16, 22.05 kHz mono and 44.1 kHz stereo; dev-unseen at 8, 16, 22.05 kHz mono', () => {
    const unseenFormats = new Set<string>();
    const devUnseenFormats = new Set<string>();
    for (const split of SPLITS) {
      for (const [id, path] of table(`${split}/wav.scp`)) {
        const h = wavHeader(join(ROOT, path));
        expect([h.format, h.bits, h.dataBytes + 44], path).toEqual([1, 16, h.fileBytes]);
        const p = params(split).get(id) as Record<string, string>;
        expect([h.sampleRate, h.channels], path).toEqual([Number(p.sampleRate), Number(p.channels)]);
        if (split === 'test-unseen') unseenFormats.add(`${h.sampleRate}/${h.channels}`);
        else if (split === 'dev-unseen') devUnseenFormats.add(`${h.sampleRate}/${h.channels}`);
        else expect([h.sampleRate, h.channels], path).toEqual([16000, 1]);
      }
    }
    expect([...unseenFormats].sort()).toEqual(['16000/1', '22050/1', '44100/2', '8000/1']);
    expect([...devUnseenFormats].sort()).toEqual(['16000/1', '22050/1', '8000/1']);
  });

  it('no utterance (text, voice, rate, pitch, amplitude, gap) is in two lists', () => {
    const owner = new Map<string, string>();
    for (const split of SPLITS) {
      const texts = table(`${split}/text`);
      for (const [id, p] of params(split)) {
        const key = [texts.get(id), p.voice, p.rate, p.pitch, p.amplitude, p.gap].join('|');
        expect(owner.get(key), `${split} ${id} repeats ${owner.get(key)}`).toBeUndefined();
        owner.set(key, `${split} ${id}`);
      }
    }
  });

  it('test-unseen and dev-unseen use no rate, pitch, amplitude or SNR that occurs in train', () => {
    const train = [...params('train').values()];
    for (const name of ['rate', 'pitch', 'amplitude', 'snr']) {
      const seen = new Set(train.map((p) => p[name]));
      for (const split of UNSEEN) {
        for (const [id, p] of params(split)) expect(seen.has(p[name]), `${id} ${name}=${p[name]}`).toBe(false);
      }
    }
  });

  it('random sequences of 3+ syllables (not parts of 안녕하세요) in dev, test, test-unseen and dev-unseen are not training texts', () => {
    const trainTexts = new Set([...table('train/text').values()].map((t) => t.replaceAll(' ', '')));
    for (const split of ['dev', 'test', 'test-unseen', 'dev-unseen']) {
      const p = params(split);
      for (const [id, text] of table(`${split}/text`)) {
        const bare = text.replaceAll(' ', '');
        if (p.get(id)?.category === 'random' && bare.length >= 3 && !'안녕하세요'.includes(bare)) expect(trainTexts.has(bare), `${split} ${id} ${text}`).toBe(false);
      }
    }
  });

  it('takes at most 20 MB in all', () => {
    const size = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce(
        (sum, e) => sum + (e.isDirectory() ? size(join(dir, e.name)) : statSync(join(dir, e.name)).size),
        0,
      );
    expect(size(ROOT)).toBeLessThanOrEqual(20_000_000);
  });
});

// WAV decoding: every encoding sox writes that we read gives the same samples as the 16-bit file;
// what we cannot read is refused with an error naming the file and the problem.
import { describe, expect, it } from 'vitest';
import { decodeWav, mixToMono } from '../../src/audio/wav.ts';
import { loadAudio } from '../../src/audio/load-audio.ts';
import { fixture, fixtureBytes } from './helpers.ts';

const s16 = decodeWav(fixtureBytes('clip_s16.wav'), 'clip_s16.wav');
const clip = s16.channels[0];

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The 44-byte-header clip with some header bytes changed. */
function patched(edit: (view: DataView) => void, bytes = fixtureBytes('clip_s16.wav')): Uint8Array {
  const copy = bytes.slice();
  edit(new DataView(copy.buffer));
  return copy;
}

describe('decodeWav', () => {
  it('reads 16-bit PCM as integer / 32768 (Kaldi and torchaudio scale)', () => {
    expect(s16.sampleRate).toBe(16000);
    expect(s16.channels).toHaveLength(1);
    expect(clip).toHaveLength(4000);
    for (const x of clip.subarray(0, 200)) expect(Number.isInteger(x * 32768)).toBe(true);
    expect(Math.max(...clip.map(Math.abs))).toBeGreaterThan(0.01);
  });

  it.each([
    ['clip_s24.wav', 24, 0], // sox writes WAVE_FORMAT_EXTENSIBLE for 24 and 32 bits
    ['clip_s32.wav', 32, 0],
    ['clip_f32.wav', 32, 0],
    ['clip_u8.wav', 8, 1 / 127],
  ])('reads %s (%i-bit) as the same samples as 16-bit', (name, bits, tolerance) => {
    const wav = decodeWav(fixtureBytes(name), name);
    expect(wav.bitsPerSample).toBe(bits);
    expect(wav.sampleRate).toBe(16000);
    expect(maxDiff(wav.channels[0], clip)).toBeLessThanOrEqual(tolerance + 1e-7);
  });

  it('averages stereo channels to mono (left = x, right = x/2 gives 0.75·x)', () => {
    const wav = decodeWav(fixtureBytes('clip_stereo.wav'), 'clip_stereo.wav');
    expect(wav.channels).toHaveLength(2);
    const mono = mixToMono(wav.channels);
    const expected = clip.map((x) => 0.75 * x);
    expect(maxDiff(mono, expected)).toBeLessThan(1 / 32768); // sox rounds x/2 to 16 bits
  });

  it('reads four channels (WAVE_FORMAT_EXTENSIBLE) and mixes them', () => {
    const wav = decodeWav(fixtureBytes('clip_4ch.wav'), 'clip_4ch.wav');
    expect(wav.channels).toHaveLength(4);
    expect(maxDiff(mixToMono(wav.channels), clip)).toBeLessThan(1e-7);
  });

  it.each([
    ['clip_alaw.wav', /clip_alaw\.wav: cannot read A-law encoding/],
    ['clip_ulaw.wav', /clip_ulaw\.wav: cannot read μ-law encoding/],
    ['clip_ima_adpcm.wav', /clip_ima_adpcm\.wav: cannot read IMA ADPCM encoding/],
    ['clip_ms_adpcm.wav', /clip_ms_adpcm\.wav: cannot read Microsoft ADPCM encoding/],
  ])('refuses %s naming the file and the encoding', (name, message) => {
    expect(() => decodeWav(fixtureBytes(name), name)).toThrow(message);
  });

  it('refuses a file that is not RIFF/WAVE', () => {
    const text = new TextEncoder().encode('ID3\u0004 this is an mp3, honestly');
    expect(() => decodeWav(text, 'song.mp3')).toThrow(/song\.mp3: not a RIFF\/WAVE file \(starts with "ID3/);
    expect(() => decodeWav(new Uint8Array(0), 'empty.wav')).toThrow(/empty\.wav: not a RIFF\/WAVE file \(0 bytes\)/);
  });

  it('refuses a truncated data chunk, saying how many bytes are missing', () => {
    const cut = fixtureBytes('clip_s16.wav').subarray(0, 44 + 5000);
    expect(() => decodeWav(cut, 'cut.wav')).toThrow(/cut\.wav: truncated data chunk: header says 8000 bytes, file holds 5000/);
  });

  it('refuses zero channels', () => {
    const bytes = patched((v) => v.setUint16(22, 0, true));
    expect(() => decodeWav(bytes, 'zero.wav')).toThrow(/zero\.wav: zero channels/);
  });

  it('refuses a file without a data chunk', () => {
    expect(() => decodeWav(fixtureBytes('clip_s16.wav').subarray(0, 36), 'nodata.wav')).toThrow(/nodata\.wav: no data chunk/);
  });

  it('reads an empty data chunk as zero samples', () => {
    const bytes = patched((v) => v.setUint32(40, 0, true), fixtureBytes('clip_s16.wav').subarray(0, 44));
    const wav = decodeWav(bytes, 'silent.wav');
    expect(wav.channels[0]).toHaveLength(0);
  });

  it('skips unknown chunks, including the pad byte of an odd-sized one', () => {
    const original = fixtureBytes('clip_s16.wav');
    const extra = new Uint8Array(8 + 3 + 1); // 'junk', size 3, 3 bytes, 1 pad byte
    extra.set(new TextEncoder().encode('junk'), 0);
    new DataView(extra.buffer).setUint32(4, 3, true);
    const bytes = new Uint8Array(original.length + extra.length);
    bytes.set(original.subarray(0, 36), 0); // RIFF header + fmt chunk
    bytes.set(extra, 36);
    bytes.set(original.subarray(36), 36 + extra.length);
    const wav = decodeWav(bytes, 'junk.wav');
    expect(maxDiff(wav.channels[0], clip)).toBe(0);
  });
});

describe('loadAudio', () => {
  it('loads a path as mono at 16 kHz by default', async () => {
    const audio = await loadAudio(fixture('clip_stereo.wav'));
    expect(audio.sampleRate).toBe(16000);
    expect(audio.fileChannels).toBe(2);
    expect(audio.samples).toHaveLength(4000);
  });

  it('names a missing file', async () => {
    await expect(loadAudio(fixture('nope.wav'))).rejects.toThrow(/nope\.wav: cannot read file \(ENOENT\)/);
  });

  it('names the file in decoding errors', async () => {
    await expect(loadAudio(fixture('clip_alaw.wav'))).rejects.toThrow(/clip_alaw\.wav: cannot read A-law/);
  });

  it('gives empty audio for an empty data chunk', async () => {
    const bytes = patched((v) => v.setUint32(40, 0, true), fixtureBytes('clip_s16.wav').subarray(0, 44));
    const audio = await loadAudio(bytes, { sampleRate: 8000, name: 'silent.wav' });
    expect(audio.samples).toHaveLength(0);
  });

  it('refuses unknown options', async () => {
    await expect(loadAudio(fixture('clip_s16.wav'), { rate: 8000 } as never)).rejects.toThrow(/unknown option 'rate'/);
  });
});

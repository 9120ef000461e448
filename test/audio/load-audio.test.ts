// Loading audio: WAV decoding of every encoding sox writes that we read, the refusals (each naming
// the file and the problem), and band-limited resampling.
import { describe, expect, it } from 'vitest';
import { decodeWav, mixToMono } from '../../src/audio/wav.ts';
import { loadAudio } from '../../src/audio/load-audio.ts';
import { fixture, fixtureBytes } from './helpers.ts';
import { resample } from '../../src/audio/resample.ts';

// WAV decoding: every encoding sox writes that we read gives the same samples as the 16-bit file;
// what we cannot read is refused with an error naming the file and the problem.
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

// Resampling is band-limited: tones below the new Nyquist pass unchanged, tones above it vanish
// (linear interpolation would fold them back), and speech matches sox's own resampler.
const tone = (hz: number, rate: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, n) => amplitude * Math.sin((2 * Math.PI * hz * n) / rate));

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  it('keeps a 1 kHz tone: 44.1 kHz → 16 kHz gives the 16 kHz sine', async () => {
    const y = await resample(tone(1000, 44100, 0.5), 44100, 16000);
    expect(Math.abs(y.length - 8000)).toBeLessThanOrEqual(1);
    const expected = tone(1000, 16000, 0.5);
    let err = 0;
    for (let n = 400; n < 7600; n++) err = Math.max(err, Math.abs(y[n] - expected[n])); // away from the edges
    expect(err).toBeLessThan(2e-3);
  });

  it('removes a 10 kHz tone above the new Nyquist (8 kHz) instead of aliasing it to 6 kHz', async () => {
    const y = await resample(tone(10000, 44100, 0.5), 44100, 16000);
    expect(rms(y, 400, 7600)).toBeLessThan(1e-3); // the input's rms is 0.35
  });

  it('upsamples 8 kHz → 16 kHz keeping a 1 kHz tone', async () => {
    const y = await resample(tone(1000, 8000, 0.5), 8000, 16000, { quality: 'best' });
    const expected = tone(1000, 16000, 0.5);
    let err = 0;
    for (let n = 400; n < 7600; n++) err = Math.max(err, Math.abs(y[n] - expected[n]));
    expect(err).toBeLessThan(2e-3);
  });

  it('calls do not leak state into each other (the converter is reused across rates)', async () => {
    const x = tone(1000, 44100, 0.2);
    const first = await resample(x, 44100, 16000);
    await resample(tone(300, 8000, 0.3), 8000, 16000);
    expect(Array.from(await resample(x, 44100, 16000))).toEqual(Array.from(first));
  });

  it('returns the input unchanged when the rates are equal', async () => {
    const x = tone(440, 16000, 0.1);
    expect(await resample(x, 16000, 16000)).toBe(x);
  });

  it('checks its arguments', async () => {
    await expect(resample(new Float32Array(10), 0, 16000)).rejects.toThrow(/rateIn must be an integer in \[1, 192000\] Hz, got 0/);
    await expect(resample(new Float32Array(10), 8000, 16000, { quality: 'great' as never })).rejects.toThrow(/quality must be one of kaiser, hann, best, medium, fastest, got 'great'/);
  });
});

describe('loadAudio resampling', () => {
  it("matches sox's resampling of espeak-ng speech, 22.05 → 16 kHz (correlation > 0.999)", async () => {
    const ours = (await loadAudio(fixture('annyeong_22k.wav'))).samples;
    const sox = (await loadAudio(fixture('annyeong_16k.wav'))).samples;
    expect(Math.abs(ours.length - sox.length)).toBeLessThanOrEqual(1);
    let xy = 0, xx = 0, yy = 0;
    for (let n = 0; n < Math.min(ours.length, sox.length); n++) {
      xy += ours[n] * sox[n];
      xx += ours[n] * ours[n];
      yy += sox[n] * sox[n];
    }
    expect(xy / Math.sqrt(xx * yy)).toBeGreaterThan(0.999);
    expect(Math.sqrt(xx / yy)).toBeCloseTo(1, 2); // same level
  });
});

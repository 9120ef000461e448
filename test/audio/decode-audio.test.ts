/**
 * loadAnyAudio: formats other than PCM/float WAV through audio-decode. References: sox's encodings
 * of clip_s16.wav and sox's decoding of clip_ulaw.wav (make_encoded_fixtures.py).
 */
import { describe, expect, it } from 'vitest';
import { loadAnyAudio, loadAudio } from '../../src/index.ts';

const F = 'test/fixtures/audio/';
const source = async () => (await loadAudio(F + 'clip_s16.wav')).samples; // [4000] at 16 kHz

function snrDb(ref: Float32Array, x: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    signal += ref[i] ** 2;
    noise += (ref[i] - x[i]) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

describe('loadAnyAudio', () => {
  it('reads PCM WAV exactly as loadAudio does', async () => {
    expect((await loadAnyAudio(F + 'clip_s16.wav')).samples).toEqual(await source());
  });

  it('decodes FLAC (lossless) to the samples it was encoded from, up to the 1/32767 vs 1/32768 scale', async () => {
    const ref = await source();
    const flac = await loadAnyAudio(F + 'clip.flac');
    expect([flac.fileSampleRate, flac.fileChannels, flac.samples.length]).toEqual([16000, 1, ref.length]);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(flac.samples[i] - ref[i])).toBeLessThanOrEqual(Math.abs(ref[i]) / 32767 + 1e-7);
  });

  it("decodes μ-law WAV (which sori's own WAV reader refuses) to sox's decoding", async () => {
    const sox = (await loadAudio(F + 'clip_ulaw_sox_s16.wav')).samples;
    expect((await loadAnyAudio(F + 'clip_ulaw.wav')).samples).toEqual(sox);
  });

  it('decodes Ogg Vorbis (lossy) to the same length, close to the source', async () => {
    const ref = await source();
    const ogg = await loadAnyAudio(F + 'clip.ogg');
    expect(ogg.samples.length).toBe(ref.length);
    expect(snrDb(ref, ogg.samples)).toBeGreaterThan(15);
  });

  it('decodes MP3 at its rate (with the codec padding, so at least as long as the source)', async () => {
    const mp3 = await loadAnyAudio(F + 'clip.mp3', { sampleRate: 8000 });
    expect([mp3.fileSampleRate, mp3.fileChannels]).toEqual([16000, 1]);
    expect(mp3.samples.length).toBeGreaterThanOrEqual(2000); // resampled to 8 kHz
  });

  it('names the file and its first bytes when no decoder knows the format', async () => {
    await expect(loadAnyAudio(new TextEncoder().encode('hello, not audio'), { name: 'notes.txt' })).rejects.toThrow(
      /notes\.txt: cannot decode \(.*starts with "hell"\): sori reads WAV/,
    );
    await expect(loadAnyAudio(new Uint8Array(), { name: 'empty.wav' })).rejects.toThrow('empty.wav: empty (0 bytes)');
  });

  it('keeps the WAV reader’s own errors for a broken WAV file', async () => {
    const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile(F + 'clip_s16.wav')).slice(0, 100);
    await expect(loadAnyAudio(bytes, { name: 'cut.wav' })).rejects.toThrow(/cut\.wav: truncated data chunk/);
  });
});

// Bad audio is never silent: non-finite or absurd samples, rates out of range and files that are
// not regular files get an error naming the file (and the sample).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/index.ts';

/** A mono 32-bit float WAV of `samples` at `rate` Hz. */
function floatWav(samples: number[], rate = 16000): Uint8Array {
  const out = new Uint8Array(44 + 4 * samples.length);
  const v = new DataView(out.buffer);
  const ascii = (s: string, o: number) => [...s].forEach((ch, i) => v.setUint8(o + i, ch.charCodeAt(0)));
  ascii('RIFF', 0);
  v.setUint32(4, 36 + 4 * samples.length, true);
  ascii('WAVE', 8);
  ascii('fmt ', 12);
  v.setUint32(16, 16, true);
  v.setUint16(20, 3, true); // IEEE float
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 4, true);
  v.setUint16(32, 4, true);
  v.setUint16(34, 32, true);
  ascii('data', 36);
  v.setUint32(40, 4 * samples.length, true);
  samples.forEach((x, i) => v.setFloat32(44 + 4 * i, x, true));
  return out;
}

describe('bad audio', () => {
  it.each([
    [NaN, /clip.wav: sample 5 of channel 0 is NaN/],
    [Infinity, /clip.wav: sample 5 of channel 0 is Infinity/],
    [-Infinity, /clip.wav: sample 5 of channel 0 is -Infinity/],
    [1e30, /clip.wav: sample 5 of channel 0 is 1.00\d*e\+30, beyond ±1000/],
  ])('a float sample %s is refused with the file and index', async (bad, message) => {
    const x = new Array(10).fill(0.1);
    x[5] = bad;
    await expect(loadAudio(floatWav(x), { name: 'clip.wav' })).rejects.toThrow(message);
  });

  it('a 1 Hz file is refused with the supported range (libsamplerate returned 6 samples for 100)', async () => {
    await expect(loadAudio(floatWav(new Array(100).fill(0), 1), { name: 'slow.wav' })).rejects.toThrow(
      /slow.wav: sample rate 1 Hz is outside the supported \[1000, 192000\] Hz/,
    );
  });

  it('rates at both ends of the range load', async () => {
    expect((await loadAudio(floatWav(new Array(1000).fill(0.1), 1000))).samples.length).toBeGreaterThan(15000);
    expect((await loadAudio(floatWav(new Array(1920).fill(0.1), 192000))).samples.length).toBeGreaterThan(150);
  });

  it('a FIFO is refused at once instead of blocking forever', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sori-audio-')), 'pipe.wav');
    execFileSync('mkfifo', [path]);
    await expect(loadAudio(path)).rejects.toThrow(/pipe.wav: cannot read file \(audio file '.*pipe.wav' is a FIFO: only regular files are read/);
  });

  it('a device (/dev/zero) is refused instead of read until memory runs out', async () => {
    await expect(loadAudio('/dev/zero')).rejects.toThrow(/\/dev\/zero: cannot read file \(audio file '\/dev\/zero' is a device/);
  });

  it('a sound file of a supported rate but a bad target rate names the option', async () => {
    await expect(loadAudio(floatWav([0, 0]), { sampleRate: 1 })).rejects.toThrow(/loadAudio: sampleRate must be an integer in \[1000, 192000\] Hz, got 1/);
  });

  it('still reads a good float file', async () => {
    const audio = await loadAudio(floatWav([0.5, -0.25, 0]));
    expect(Array.from(audio.samples)).toEqual([0.5, -0.25, 0]);
  });
});
